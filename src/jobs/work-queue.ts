/**
 * The work-queue port over BullMQ. Every job carries ids only (BullMQ keeps job data in clear text; a
 * plan is recomputed from the gateway and the artifact, never queued). Ids are deterministic and contain
 * no ':' (bullmq guide/jobs/job-ids.md), so a second add of the same job is a no-op: two approvals that
 * both got through cannot queue two runs.
 * Restore and diff jobs run once (`attempts: 1`): a restore is never retried automatically after a partial
 * apply, and the restore worker uses `maxStalledCount: 0` so a stalled job fails instead of re-running.
 */
import type { JobsOptions } from 'bullmq';
import type { DiffWork, DriftWork, WorkQueue } from '../app/ports/work-queue.ts';
import {
  type BackupJobData,
  backupJobOptions,
  type DiffJobData,
  JOB_NAMES,
  ONE_SHOT_JOB_OPTIONS,
  type Queues,
  type RestoreJobData,
  type RetryPolicy,
  type VerifyJobData,
  type WatchJobData,
} from './queues.ts';

export const planJobId = (restoreId: string) => `plan-${restoreId}`;
/** one run per approval: a re-plan approved again gets a new approval row, hence a new job */
export const runJobId = (restoreId: string, approvalId: number) => `run-${restoreId}-${approvalId}`;
export const expireJobId = (restoreId: string, expiresAt: Date) =>
  `expire-${restoreId}-${expiresAt.getTime()}`;
export const diffJobId = (diffId: string) => `diff-${diffId}`;
export const driftJobId = (driftId: string) => `drift-check-${driftId}`;

const RUN_ONCE: JobsOptions = { ...ONE_SHOT_JOB_OPTIONS, attempts: 1 };

/**
 * The delayed job that expires an undecided request at `expiresAt`. Its id is derived from the request and
 * the expiry, so adding it again (a re-plan keeps no old one alive; a resync after Redis lost it) is a no-op
 * while it exists.
 */
export async function addRestoreExpiryJob(
  queue: Queues['restore'],
  restoreId: string,
  expiresAt: Date,
  now: Date,
): Promise<void> {
  const data: RestoreJobData = { restoreId };
  const delay = Math.max(0, expiresAt.getTime() - now.getTime());
  await queue.add(JOB_NAMES.restoreExpire, data, {
    ...RUN_ONCE,
    jobId: expireJobId(restoreId, expiresAt),
    ...(delay > 0 ? { delay } : {}),
  });
}

export function bullmqWorkQueue(queues: Queues, options: { retry: RetryPolicy; now: () => Date }): WorkQueue {
  const restore = async (name: string, jobId: string, restoreId: string) => {
    const data: RestoreJobData = { restoreId };
    await queues.restore.add(name, data, { ...RUN_ONCE, jobId });
  };
  return {
    async backup(backupId) {
      const data: BackupJobData = { backupId };
      // the job id is the backup id: BullMQ custom ids must not contain ':' (ours are UUIDs)
      await queues.backup.add(JOB_NAMES.backup, data, {
        ...backupJobOptions(options.retry),
        jobId: backupId,
      });
    },
    async verify(backupId) {
      const data: VerifyJobData = { backupId };
      // a fresh job id per request: verifying the same backup twice is a fair thing to ask
      const jobId = `verify-${backupId}-${options.now().getTime()}`;
      await queues.verify.add(JOB_NAMES.verify, data, { ...ONE_SHOT_JOB_OPTIONS, jobId });
    },
    restorePlan: (restoreId) => restore(JOB_NAMES.restorePlan, planJobId(restoreId), restoreId),
    restoreRun: (restoreId, approvalId) =>
      restore(JOB_NAMES.restoreRun, runJobId(restoreId, approvalId), restoreId),
    restoreExpiry: (restoreId, expiresAt) =>
      addRestoreExpiryJob(queues.restore, restoreId, expiresAt, options.now()),
    async diff(work: DiffWork) {
      const data: DiffJobData = work;
      await queues.diff.add(JOB_NAMES.diff, data, { ...RUN_ONCE, jobId: diffJobId(work.id) });
    },
    async drift(work: DriftWork) {
      const data: WatchJobData = {
        connection: work.connection,
        requestedBy: work.requestedBy,
        ...(work.channel ? { channel: work.channel } : {}),
      };
      await queues.watch.add(JOB_NAMES.driftCheck, data, { ...RUN_ONCE, jobId: driftJobId(work.id) });
    },
  };
}
