/**
 * The plan job: `planned` → `awaiting_approval` (or straight to `completed`/`failed`).
 *   1. verify the backup (every copy's checksum; the first whole copy, primary first, is read and recorded
 *      as `planSummary.readFrom`) — a backup with no whole copy stops here; so does a backup of another
 *      workspace than the connection's (`requireSameWorkspace`);
 *   2. dump the live gateway (the request's sections) and plan the restore;
 *   3. refused plan → `failed` with the refusals; empty plan → `completed` ("nothing to restore");
 *   4. otherwise audit `restore.planned`, then record plan hash, live fingerprint and summary (→
 *      `awaiting_approval`), hold the plan for the restore job in this process (prepared-plans.ts), start
 *      the approval window (a delayed expiry job) and hand the plan to the notifier for the card and diff file.
 * Nothing here writes to the gateway.
 */

import type { Plan } from '../../core/index.ts';
import { describeJobFailure } from '../failure.ts';
import { type Failure, type Restore, TransitionError } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { auditRestore, notifyRestore } from './audit.ts';
import { approvalExpiresAt } from './expiry.ts';
import { BackupIntegrityError, verifyAndOpenBackupFrom } from './integrity.ts';
import { type LivePlan, planAgainstLive, WorkspaceMismatchError, withGateway } from './live.ts';
import { preparedPlans } from './prepared-plans.ts';
import { buildPlanSummary } from './summary.ts';

export interface PlanOutcome {
  restore: Restore;
  /** set when a plan was computed (also for refused and empty plans) */
  plan?: Plan;
}

export async function runRestorePlan(services: Services, restoreId: string): Promise<PlanOutcome> {
  const repo = services.repos.restores;
  const restore = await repo.get(restoreId);
  if (!restore) throw new Error(`restore ${restoreId} does not exist`);
  if (restore.status !== 'planned') return { restore };
  const backup = await services.repos.backups.get(restore.backupId);

  let planned: LivePlan;
  let readFrom: { target: string; location: string; problems: string[] };
  try {
    if (!backup) throw new BackupIntegrityError(restore.backupId, ['the backup record is gone']);
    const opened = await verifyAndOpenBackupFrom(services, backup);
    readFrom = { target: opened.from.target, location: opened.from.location, problems: opened.problems };
    planned = await withGateway(services, restore, (gateway) =>
      planAgainstLive(services, gateway, restore, opened.snapshot),
    );
  } catch (err) {
    const connection = services.connection(restore.connection);
    const failure: Failure =
      err instanceof BackupIntegrityError
        ? { code: 'backup_unreadable', reason: err.message }
        : err instanceof WorkspaceMismatchError
          ? { code: 'plan_refused', reason: err.message }
          : couldNotPlan(describeJobFailure(services, connection, err));
    return { restore: await planFailed(services, restore, failure) };
  }
  const { plan, liveFingerprint } = planned;

  if (plan.refusals.length > 0) {
    const reason = `the plan would break the gateway and is refused: ${plan.refusals.map((r) => r.message).join('; ')}`;
    return { restore: await planFailed(services, restore, { code: 'plan_refused', reason }, plan), plan };
  }
  if (plan.steps.length === 0) {
    const done = await settle(() =>
      repo.finish(restore.id, 'completed', { planSummary: buildPlanSummary(plan) }),
    );
    if (!done) return { restore: (await repo.get(restoreId)) ?? restore, plan };
    const message = 'nothing to restore: the gateway already matches the backup';
    await auditRestore(services, { ...done, planHash: plan.planHash }, 'restore.completed', {
      details: { nothingToRestore: true },
    });
    await notifyRestore(services, { restore: done, phase: 'finished', backup, message });
    return { restore: done, plan };
  }

  // Audited before the status changes: whoever sees `awaiting_approval` (an approver's click, a poller)
  // finds `restore.planned` already in the log, so an approval is never audited ahead of its plan. If a
  // cancel wins the race below, the log still truthfully says a plan was made.
  await auditRestore(services, { ...restore, planHash: plan.planHash }, 'restore.planned', {
    details: {
      liveFingerprint,
      steps: plan.steps.length,
      ...plan.summary,
      warnings: plan.warnings.length,
      readFrom: readFrom.target,
      ...(readFrom.problems.length > 0 ? { copyProblems: readFrom.problems } : {}),
    },
  });
  const expiresAt = approvalExpiresAt(services);
  const ready = await settle(() =>
    repo.markAwaitingApproval(restore.id, {
      planHash: plan.planHash,
      liveFingerprint,
      planSummary: { ...buildPlanSummary(plan), readFrom },
      expiresAt,
    }),
  );
  if (!ready) return { restore: (await repo.get(restoreId)) ?? restore, plan };
  const { live, gateway, target } = planned;
  preparedPlans(services.repos).put(ready.id, {
    planHash: plan.planHash,
    liveFingerprint,
    gateway,
    target,
    live,
    plan,
  });
  await services.work.restoreExpiry(ready.id, expiresAt);
  await notifyRestore(services, { restore: ready, phase: 'awaiting_approval', plan, backup });
  return { restore: ready, plan };
}

/** A status change another actor may have beaten us to (the requester cancelled while we planned). */
export async function settle(change: () => Promise<Restore>): Promise<Restore | null> {
  try {
    return await change();
  } catch (err) {
    if (err instanceof TransitionError) return null;
    throw err;
  }
}

function couldNotPlan(failure: Failure): Failure {
  return { code: failure.code, reason: `could not plan the restore: ${failure.reason}` };
}

async function planFailed(
  services: Services,
  restore: Restore,
  failure: Failure,
  plan?: Plan,
): Promise<Restore> {
  const { reason } = failure;
  const failed = await settle(() =>
    services.repos.restores.finish(restore.id, 'failed', {
      failure,
      ...(plan ? { planSummary: buildPlanSummary(plan) } : {}),
    }),
  );
  if (!failed) return (await services.repos.restores.get(restore.id)) ?? restore;
  await auditRestore(services, { ...failed, planHash: plan?.planHash ?? null }, 'restore.plan_failed', {
    outcome: 'failed',
    details: { reason },
  });
  // with the plan, the card shows its refusals (preflight: what the gateway cannot take) in place
  await notifyRestore(services, {
    restore: failed,
    phase: 'finished',
    message: reason,
    ...(plan ? { plan } : {}),
  });
  return failed;
}
