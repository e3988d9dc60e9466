/**
 * What an audit event may say: who (actor), what (action), how it ended (outcome). Parsed with zod at
 * append time, so a typo in an action name fails in tests instead of writing an event no query finds.
 */
import { z } from 'zod';
import { AUDIT_OUTCOMES } from '../app/ports/audit-store.ts';

export const AUDIT_ACTIONS = [
  'backup.requested',
  'backup.started',
  'backup.completed',
  'backup.failed',
  'backup.pruned',
  'verify.completed',
  'verify.failed',
  'prune.planned',
  'prune.completed',
  'prune.failed',
  'keys.rotated',
  'keys.rotation_failed',
  'storage.synced',
  'config.loaded',
  'config.rejected',
  'schedule.created',
  'schedule.removed',
  'artifact.exported',
  'gdpr.searched',
  'gdpr.erased',
  'diff.completed',
  'diff.failed',
  'restore.requested',
  'restore.planned',
  'restore.plan_failed',
  'restore.approved',
  'restore.approval_refused',
  'restore.rejected',
  'restore.expired',
  'restore.cancelled',
  'restore.replan_required',
  'restore.started',
  'restore.completed',
  'restore.partially_failed',
  'restore.failed',
  'rehearsal.started',
  'rehearsal.passed',
  'rehearsal.failed',
  'alert.raised',
  'alert.repeated',
  'alert.suppressed',
  'alert.resolved',
  'drift.checked',
  'drift.detected',
  'drift.failed',
  'slack.command',
  'slack.button',
  'slack.refused',
  'cli.command',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const auditActionSchema = z.enum(AUDIT_ACTIONS);

/** Approvals bind to a plan, not to a request: these events must name the plan hash they concern. */
export const ACTIONS_NAMING_A_PLAN: readonly AuditAction[] = [
  'restore.planned',
  'restore.approved',
  'restore.rejected',
  'restore.replan_required',
  'restore.started',
  'restore.completed',
  'restore.partially_failed',
];

/** Slack user ids (U…, W… on Enterprise Grid), the scheduler/workers, or a person at the CLI. */
export const auditActorSchema = z.string().regex(/^(?:[UW][A-Z0-9]{2,}|system|cli:[A-Za-z0-9._@-]{1,64})$/, {
  message: 'actor must be a Slack user id (U…/W…), "system" or "cli:<user>"',
});

export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES);

// a SHA-256 in hex, optionally prefixed the way some tools print digests
const PLAN_HASH = /^(?:sha256:)?[0-9a-f]{64}$/;

export const auditEventInputSchema = z
  .object({
    actor: auditActorSchema,
    action: auditActionSchema,
    connection: z.string().min(1).max(200).nullish(),
    targetId: z.string().min(1).max(200).nullish(),
    outcome: auditOutcomeSchema,
    details: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((e, ctx) => {
    const planHash = e.details.planHash;
    if (
      ACTIONS_NAMING_A_PLAN.includes(e.action) &&
      (typeof planHash !== 'string' || !PLAN_HASH.test(planHash))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['details', 'planHash'],
        message: `${e.action} must carry the plan hash (SHA-256 hex) it concerns`,
      });
    }
  });

export type AuditEventInput = z.input<typeof auditEventInputSchema>;
