/**
 * The restore job: `approved → running → completed | partially_failed | failed` (or back to
 * `awaiting_approval` when the gateway changed since the approval).
 *   1. conditional approved → running; a request already `running` on entry is a job delivered again
 *      after its worker died mid-restore: it ends `failed` and is never applied a second time (the
 *      gateway may hold part of the restore; only a person looking at a new diff can decide);
 *   2. re-dump and re-plan: a plan hash other than the approved one means someone changed the gateway,
 *      so the request goes back to `awaiting_approval` with the new plan — nothing is written, and no
 *      pre-restore backup is taken (a restore re-planned once takes one, not two). When the live content
 *      is what the plan job planned against, the plan job's plan (held in this process) is the re-plan
 *      (prepared-plans.ts);
 *   3. a `pre-restore` backup of the whole gateway, taken inline (Undo restores it); if it saw other
 *      content than the re-plan's dump, the plan is made again from the live gateway;
 *   4. apply with progress; every step's result recorded (those that went well while the apply runs);
 *   5. dump again and plan against the target: zero steps = zero drift for the selected sections (while
 *      the step results of 4 are written).
 * Never retried automatically (attempts 1, maxStalledCount 0): see README "a worker killed mid-restore".
 */

import type { Plan, Snapshot, StepPhase } from '../../core/index.ts';
import { BackupFailedError, runBackup } from '../backups/run-backup.ts';
import { describeJobFailure } from '../failure.ts';
import type { ApplyProgress, Gateway } from '../ports/gateway.ts';
import { type Backup, type Failure, type Restore, TransitionError } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { auditRestore, notifyRestore } from './audit.ts';
import { approvalExpiresAt } from './expiry.ts';
import { keepAlive } from './heartbeat.ts';
import { openBackup } from './integrity.ts';
import { type LivePlan, planAgainstLive, replanAgainstLive, withGateway } from './live.ts';
import { decide, finishRestore, resultOf } from './outcome.ts';
import { settle } from './plan-job.ts';
import { type PreparedPlan, preparedPlans } from './prepared-plans.ts';
import { StepRecorder } from './step-recorder.ts';
import { buildPlanSummary } from './summary.ts';
import type { ApplyProgressEvent } from './types.ts';

export const WORKER_STOPPED_REASON =
  'the worker stopped during the restore; the gateway may be partially restored — run a new diff';
export const WORKER_STOPPED: Failure = { code: 'worker_stopped', reason: WORKER_STOPPED_REASON };

const PROGRESS_EVERY_MS = 250;

export interface RunOptions {
  /** BullMQ progress (ids and counts only) */
  onProgress?: (p: ApplyProgressEvent) => void;
  /** writes in flight at once within a dependency level (default 10) */
  parallelism?: number;
}

interface ApplyRunOptions extends RunOptions {
  /** fires when the request stopped being this worker's (failed as stopped): no more writes */
  signal: AbortSignal;
}

export async function runRestore(
  services: Services,
  restoreId: string,
  options: RunOptions = {},
): Promise<Restore> {
  const repo = services.repos.restores;
  const entry = await repo.get(restoreId);
  if (!entry) throw new Error(`restore ${restoreId} does not exist`);
  if (entry.status === 'running') return failStopped(services, entry);
  if (entry.status !== 'approved') return entry;
  const running = await settle(() => repo.markRunning(restoreId));
  if (!running) return (await repo.get(restoreId)) ?? entry;
  await auditRestore(services, running, 'restore.started', { details: { approvedBy: running.approvedBy } });
  await notifyRestore(services, { restore: running, phase: 'started' });

  const connection = services.connection(running.connection);
  // heartbeats while running (heartbeat.ts); if another process took this worker for stopped and failed
  // the request, the apply stops between two writes
  const lost = new AbortController();
  const beat = keepAlive(services, restoreId, () => lost.abort());
  try {
    const backup = await services.repos.backups.get(running.backupId);
    if (!backup) throw new Error(`backup ${running.backupId} is gone`);
    const prepared = preparedPlans(services.repos).take(running.id);
    return await withGateway(services, running, (gateway) =>
      replanAndApply(services, gateway, running, backup, prepared, { ...options, signal: lost.signal }),
    );
  } catch (err) {
    const failure: Failure =
      err instanceof BackupFailedError
        ? {
            code: 'pre_restore_failed',
            reason: `the pre-restore backup failed (${err.message}); nothing was applied`,
          }
        : nothingApplied(describeJobFailure(services, connection, err));
    const current = (await repo.get(restoreId)) ?? running;
    return finishRestore(services, current, 'failed', failure, null);
  } finally {
    beat.stop();
  }
}

function nothingApplied(failure: Failure): Failure {
  return { code: failure.code, reason: `${failure.reason}; nothing was applied` };
}

async function failStopped(services: Services, restore: Restore): Promise<Restore> {
  return finishRestore(services, restore, 'failed', WORKER_STOPPED, null);
}

/**
 * The safety backup, run inline after the re-plan confirmed the approved plan and before the first write,
 * so a request that goes back for approval has taken none and each restore takes one. A request that
 * already holds a pre-restore backup of exactly the live content (a run that went back for approval after
 * taking it) reuses it instead of taking a second one.
 */
async function ensurePreRestoreBackup(
  services: Services,
  restore: Restore,
  liveFingerprint: string,
): Promise<{ restore: Restore; backup: Backup }> {
  const held = restore.preRestoreBackupId
    ? await services.repos.backups.get(restore.preRestoreBackupId)
    : null;
  if (held?.status === 'completed' && !held.prunedAt && held.contentSha256 === liveFingerprint) {
    return { restore, backup: held };
  }
  const backup = await services.repos.backups.create({
    connection: restore.connection,
    type: 'pre-restore',
    requestedBy: 'system',
    note: `before restore ${restore.id}`,
    environment: services.connection(restore.connection).environment,
  });
  await services.audit.append({
    actor: 'system',
    action: 'backup.requested',
    connection: restore.connection,
    targetId: backup.id,
    outcome: 'ok',
    details: { type: 'pre-restore', restoreId: restore.id },
  });
  const done = await runBackup(services, backup.id, { attempt: 1, maxAttempts: 1 });
  const updated = await services.repos.restores.setPreRestoreBackup(restore.id, done.id);
  await notifyRestore(services, {
    restore: updated,
    phase: 'pre_restore_backup',
    preRestoreBackupId: done.id,
  });
  return { restore: updated, backup: done };
}

/**
 * Re-dump and re-plan; only the approved plan is applied. A different plan (someone changed the gateway
 * since the approval) goes back for approval before any write and before the pre-restore backup. When
 * the pre-restore backup saw other content than the re-plan's dump (a change in between), the plan is
 * made once more from the live gateway, so what is applied is planned against a state the backup holds
 * or newer.
 */
async function replanAndApply(
  services: Services,
  gateway: Gateway,
  running: Restore,
  backup: Backup,
  prepared: PreparedPlan | undefined,
  options: ApplyRunOptions,
): Promise<Restore> {
  const open = () => openBackup(services, backup);
  let replanned = await replanAgainstLive(services, gateway, running, prepared, open);
  const { target } = replanned;
  const stop = await stopBeforeWriting(services, running, replanned, backup);
  if (stop) return stop;
  const pre = await ensurePreRestoreBackup(services, running, replanned.liveFingerprint);
  const restore = pre.restore;
  if (pre.backup.contentSha256 !== replanned.liveFingerprint) {
    replanned = await planAgainstLive(services, gateway, restore, target);
    const changed = await stopBeforeWriting(services, restore, replanned, backup);
    if (changed) return changed;
  }
  const { live, plan } = replanned;
  // steps that went well are recorded while the apply waits for the gateway (step-recorder.ts)
  const recorder = new StepRecorder((rows) => services.repos.restores.recordSteps(restore.id, rows));
  const report = progressReporter(services, restore, plan, options);
  const apply = await gateway.apply(plan, {
    current: live,
    parallelism: options.parallelism ?? 10,
    onProgress: (p) => {
      recorder.onStep(p);
      report(p);
    },
    signal: options.signal,
  });
  // failed meanwhile by another process (this worker was silent too long): its steps are recorded, the
  // request stays as that process settled it
  if (options.signal.aborted) {
    await recorder.finish(apply.steps);
    return (await services.repos.restores.get(restore.id)) ?? restore;
  }
  // the rest of the step results are written while the gateway is read again for the drift check (both
  // are needed before the request may say `completed`; neither depends on the other)
  const [, drift] = await Promise.all([
    recorder.finish(apply.steps),
    measureDrift(services, gateway, restore, target),
  ]);
  const result = resultOf(apply, drift.drift);
  const { status, failure } = decide(apply, result, drift.error);
  return finishRestore(services, restore, status, failure, result);
}

/** The end of a run before any write: a refused plan, nothing to do, or a plan other than the approved one. */
async function stopBeforeWriting(
  services: Services,
  restore: Restore,
  { plan, liveFingerprint }: LivePlan,
  backup: Backup,
): Promise<Restore | null> {
  if (plan.refusals.length > 0) {
    const reason = `the new plan would break the gateway and is refused: ${plan.refusals.map((r) => r.message).join('; ')}; nothing was applied`;
    return finishRestore(services, restore, 'failed', { code: 'plan_refused', reason }, null);
  }
  if (plan.steps.length === 0) {
    const empty = { applied: 0, failed: 0, notAttempted: 0, drift: 0, failedSteps: [] };
    const message = 'nothing to restore: the gateway already matches the backup';
    return finishRestore(services, restore, 'completed', null, empty, message);
  }
  if (plan.planHash !== restore.planHash) return askAgain(services, restore, plan, liveFingerprint, backup);
  return null;
}

/** Zero steps against the target = zero drift for the selected sections; an unreadable gateway says why. */
async function measureDrift(
  services: Services,
  gateway: Gateway,
  restore: Restore,
  target: Snapshot,
): Promise<{ drift: number | null; error: string | null }> {
  await notifyRestore(services, { restore, phase: 'verifying' });
  try {
    return {
      drift: (await planAgainstLive(services, gateway, restore, target)).plan.steps.length,
      error: null,
    };
  } catch (err) {
    return { drift: null, error: (err as Error).message };
  }
}

/** The gateway changed since the approval: show the new plan and ask again; nothing was written. */
async function askAgain(
  services: Services,
  restore: Restore,
  plan: Plan,
  liveFingerprint: string,
  backup: Backup,
): Promise<Restore> {
  // audited before the status changes, as in the plan job: a new approval never precedes it in the log
  await auditRestore(services, { ...restore, planHash: plan.planHash }, 'restore.replan_required', {
    details: { previousPlanHash: restore.planHash, liveFingerprint, steps: plan.steps.length },
  });
  const expiresAt = approvalExpiresAt(services);
  let again: Restore;
  try {
    again = await services.repos.restores.markAwaitingApproval(restore.id, {
      planHash: plan.planHash,
      liveFingerprint,
      planSummary: buildPlanSummary(plan),
      expiresAt,
    });
  } catch (err) {
    if (err instanceof TransitionError) return (await services.repos.restores.get(restore.id)) ?? restore;
    throw err;
  }
  await services.work.restoreExpiry(again.id, expiresAt);
  const message = 'the gateway changed after the diff was approved; review the new diff and approve again';
  await notifyRestore(services, { restore: again, phase: 'replan_required', plan, backup, message });
  return again;
}

/** Progress at every phase or level change and at most every 250 ms between (Slack throttles further). */
function progressReporter(services: Services, restore: Restore, plan: Plan, options: RunOptions) {
  let last = 0;
  let lastKey = '';
  return (p: ApplyProgress) => {
    const key = `${p.step.phase}:${p.step.level}`;
    const at = Date.now();
    if (key === lastKey && p.done < p.total && at - last < PROGRESS_EVERY_MS) return;
    last = at;
    lastKey = key;
    const progress: ApplyProgressEvent = {
      phase: p.step.phase as StepPhase,
      level: p.step.level,
      done: p.done,
      total: plan.steps.length,
    };
    options.onProgress?.(progress);
    void notifyRestore(services, { restore, phase: 'applying', progress });
  };
}
