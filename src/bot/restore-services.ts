/**
 * What the bot needs from the jobs module's restore layer (requestRestore, approve/reject/cancel), as
 * one narrow interface, and the restore events the jobs report to the notifier. `BotServices` carries it
 * as `restoreRequests`; a server built without it answers that restores do not run here.
 */
import type { Plan, Section } from '../core/index.ts';
import type { Backup, Restore, SlackMessageRef } from '../db/index.ts';

export type RestoreBackupChoice =
  | { kind: 'id'; id: string }
  | { kind: 'latest' }
  | { kind: 'at'; time: Date };

export interface RestoreRequestInput {
  connection: string;
  backup: RestoreBackupChoice;
  only?: Section[];
  noDeletes?: boolean;
  breakGlass?: boolean;
  reason: string;
  requestedBy: string;
  /** the card that becomes the thread root */
  slack?: SlackMessageRef;
}

export interface RestoreRequested {
  restore: Restore;
  backup: Backup;
  /** with `--at`: how long before the requested time the picked backup was taken */
  gapMs?: number;
}

/** Asked at click time: does `user` hold `role` (or more) on `connection` right now? */
export type ApproverCheck = (
  connection: string,
  user: string,
  role: 'approver' | 'admin',
) => Promise<boolean>;

export type RestoreDecisionResult =
  | { ok: true; restore: Restore }
  | { ok: false; refusal: string; message: string };

export interface RestoreRequests {
  /** Creates the request and enqueues its plan job; throws (with a message for people) when refused. */
  request(input: RestoreRequestInput): Promise<RestoreRequested>;
  /** `planHash`: the plan the approver saw; a different current plan is refused (`plan_changed`). */
  approve(input: {
    restoreId: string;
    approver: string;
    authorize: ApproverCheck;
    planHash?: string;
  }): Promise<RestoreDecisionResult>;
  reject(input: { restoreId: string; by: string; authorize: ApproverCheck }): Promise<RestoreDecisionResult>;
  cancel(input: { restoreId: string; by: string }): Promise<RestoreDecisionResult>;
}

/** A step of a partial apply that did not go through, with Kong's error in words. */
export interface FailedRestoreStep {
  seq: number;
  op: string;
  kind: string;
  name: string;
  error: string;
}

export interface RestoreRunResult {
  applied: number;
  failed: number;
  notAttempted: number;
  /** steps a fresh plan still has after the apply (0 = zero drift; null = not checked) */
  drift: number | null;
  failedSteps: FailedRestoreStep[];
}

/**
 * One restore event: structurally the jobs' `RestoreEvent` (src/jobs/restore/types.ts), which
 * `Notifier.restoreChanged` receives. Phases: requested, awaiting_approval (with `plan`), approved,
 * rejected, cancelled, expired, refused, started, pre_restore_backup, replan_required (with the new
 * `plan`), applying (`progress`), verifying, finished (`result`).
 */
export interface RestoreNotice {
  restore: Restore;
  phase?: string;
  /** the plan awaiting approval: in-process only; the card shows it, the full diff goes to a file */
  plan?: Plan;
  backup?: Backup | null;
  progress?: { done: number; total: number };
  result?: RestoreRunResult;
  preRestoreBackupId?: string | null;
  actor?: string;
  breakGlass?: boolean;
  message?: string;
}
