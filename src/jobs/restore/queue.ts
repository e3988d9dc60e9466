/**
 * The restore queue's jobs and their ids. Every job carries the request id only (BullMQ keeps job data in
 * clear text; the plan is recomputed from the gateway and the artifact, never queued). Ids are
 * deterministic and contain no ':' (bullmq guide/jobs/job-ids.md), so a second add of the same job is a
 * no-op: two approvals that both got through cannot queue two runs.
 * Every restore job runs once (`attempts: 1`): a restore is never retried automatically after a partial
 * apply, and the restore worker uses `maxStalledCount: 0` so a stalled job fails instead of re-running.
 */
import type { JobsOptions } from 'bullmq';
import type { Services } from '../context.ts';
import { JOB_NAMES, ONE_SHOT_JOB_OPTIONS, type RestoreJobData } from '../queues.ts';

export const planJobId = (restoreId: string) => `plan-${restoreId}`;
/** one run per approval: a re-plan approved again gets a new approval row, hence a new job */
export const runJobId = (restoreId: string, approvalId: number) => `run-${restoreId}-${approvalId}`;
export const expireJobId = (restoreId: string, expiresAt: Date) =>
  `expire-${restoreId}-${expiresAt.getTime()}`;

const RESTORE_JOB_OPTIONS: JobsOptions = { ...ONE_SHOT_JOB_OPTIONS, attempts: 1 };

async function add(services: Services, name: string, jobId: string, restoreId: string, delay = 0) {
  const data: RestoreJobData = { restoreId };
  await services.queues.restore.add(name, data, {
    ...RESTORE_JOB_OPTIONS,
    jobId,
    ...(delay > 0 ? { delay } : {}),
  });
}

export async function enqueuePlanJob(services: Services, restoreId: string): Promise<void> {
  await add(services, JOB_NAMES.restorePlan, planJobId(restoreId), restoreId);
}

export async function enqueueRunJob(
  services: Services,
  restoreId: string,
  approvalId: number,
): Promise<void> {
  await add(services, JOB_NAMES.restoreRun, runJobId(restoreId, approvalId), restoreId);
}

/** A delayed job that expires the request at `expiresAt` if nobody decided by then. */
export async function scheduleExpiry(services: Services, restoreId: string, expiresAt: Date): Promise<void> {
  const delay = Math.max(0, expiresAt.getTime() - services.now().getTime());
  await add(services, JOB_NAMES.restoreExpire, expireJobId(restoreId, expiresAt), restoreId, delay);
}

export function approvalTimeoutMs(services: Services): number {
  return services.config.restores?.approvalTimeoutMs ?? 30 * 60_000;
}
