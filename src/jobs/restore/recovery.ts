/**
 * Start-up recovery for restore requests, and the hook for a restore job BullMQ failed because its worker
 * stopped (the job stalled; with maxStalledCount 0 it fails without running again):
 * - `running` with no live job → `failed` ("the worker stopped during the restore … run a new diff"):
 *   the gateway may hold part of the restore, so it is never applied again without a person;
 * - `approved` with no live job → the run job is queued again (nothing was written yet: a restore writes
 *   only after it moved the request to `running`);
 * - `planned` with no live job → the plan job is queued again (planning writes nothing);
 * - undecided requests past their expiry → `expired`.
 */
import type { Job } from 'bullmq';
import { expireDueRestores } from '../../app/restore/expiry.ts';
import { finishRestore } from '../../app/restore/outcome.ts';
import { WORKER_STOPPED } from '../../app/restore/run-job.ts';
import type { RestoreJobData, JobServices as Services } from '../queues.ts';
import { JOB_NAMES } from '../queues.ts';
import { planJobId, runJobId } from '../work-queue.ts';

export interface RestoreRecoveryResult {
  failed: string[];
  requeued: string[];
  expired: string[];
}

const LIVE_STATES = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children'] as const;

async function liveJobs(services: Services): Promise<{ plan: Set<string>; run: Set<string> }> {
  const plan = new Set<string>();
  const run = new Set<string>();
  for (const job of await services.queues.restore.getJobs([...LIVE_STATES], 0, -1)) {
    if (!job) continue;
    if (job.name === JOB_NAMES.restorePlan) plan.add(job.data.restoreId);
    if (job.name === JOB_NAMES.restoreRun) run.add(job.data.restoreId);
  }
  return { plan, run };
}

/** A running restore whose worker is gone: failed, never re-applied. No-op once it moved on. */
export async function failStoppedRestore(services: Services, restoreId: string): Promise<boolean> {
  const restore = await services.repos.restores.get(restoreId);
  if (restore?.status !== 'running') return false;
  const done = await finishRestore(services, restore, 'failed', WORKER_STOPPED, null);
  return done.status === 'failed';
}

/** A plan job that failed (stalled, or an unexpected error): the request fails, planning wrote nothing. */
async function failStoppedPlan(services: Services, restoreId: string, why: string): Promise<void> {
  const restore = await services.repos.restores.get(restoreId);
  if (restore?.status !== 'planned') return;
  const reason = `planning stopped (${why}); nothing was changed — request the restore again`;
  await finishRestore(services, restore, 'failed', { code: 'worker_stopped', reason }, null);
}

/** The restore worker's `failed` listener: a job that failed without settling its request. */
export async function settleFailedRestoreJob(
  services: Services,
  job: Job<RestoreJobData> | undefined,
  error: Error,
) {
  if (!job) return;
  if (job.name === JOB_NAMES.restoreRun) await failStoppedRestore(services, job.data.restoreId);
  if (job.name === JOB_NAMES.restorePlan) await failStoppedPlan(services, job.data.restoreId, error.message);
}

export async function recoverRestores(services: Services): Promise<RestoreRecoveryResult> {
  const result: RestoreRecoveryResult = { failed: [], requeued: [], expired: [] };
  result.expired = (await expireDueRestores(services)).map((r) => r.id);
  const live = await liveJobs(services);
  const repo = services.repos.restores;

  for (const r of await repo.listByStatus('running')) {
    if (live.run.has(r.id)) continue; // BullMQ's stalled check fails it; the `failed` listener settles it
    if (await failStoppedRestore(services, r.id)) result.failed.push(r.id);
  }
  for (const r of await repo.listByStatus('approved')) {
    if (live.run.has(r.id)) continue;
    const approvals = await repo.listApprovals(r.id);
    const approvalId = approvals.filter((a) => a.decision === 'approve').pop()?.id ?? 0;
    await (await services.queues.restore.getJob(runJobId(r.id, approvalId)))?.remove();
    await services.work.restoreRun(r.id, approvalId);
    result.requeued.push(r.id);
  }
  for (const r of await repo.listByStatus('planned')) {
    if (live.plan.has(r.id)) continue;
    // A finished job with the same id would swallow the add: remove it first.
    await (await services.queues.restore.getJob(planJobId(r.id)))?.remove();
    await services.work.restorePlan(r.id);
    result.requeued.push(r.id);
  }
  return result;
}
