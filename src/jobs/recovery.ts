/**
 * Start-up recovery: make the records agree with the queue after a crash or a Redis flush.
 * - `pending` rows with no job waiting for them are enqueued again (same job id: a duplicate add is a no-op);
 * - `running` rows with no job left in Redis (a worker died and its job was removed, or Redis lost it)
 *   become `failed` with a reason. A running row whose job is still active is left alone: BullMQ's stalled
 *   check hands it to a live worker once the dead worker's lock expires (bullmq guide/jobs/stalled.md);
 * - settled backups of the last day whose `backup.completed`/`backup.failed` a stopped worker never
 *   appended get it now, marked `recovered` (src/app/backups/audit-gaps.ts).
 */
import type { Job } from 'bullmq';
import { auditMissingOutcomes } from '../app/backups/audit-gaps.ts';
import { scheduledBackupId } from '../app/backups/scheduled-backup.ts';
import { safeNotify } from '../app/notifier.ts';
import { backupSettled } from '../app/watch/alerts.ts';
import type { JobServices as Services } from './queues.ts';
import { JOB_NAMES } from './queues.ts';

export interface RecoveryResult {
  requeued: string[];
  failed: string[];
  /** settled backups whose outcome event a stopped worker never appended, appended now */
  audited: string[];
}

const LIVE_STATES = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children'] as const;

/** The backup a queued job works on: its id for requested backups, derived from the job id for scheduled ones. */
export function backupIdOfJob(job: Job): string | undefined {
  if (job.name === JOB_NAMES.scheduledBackup) return job.id ? scheduledBackupId(job.id) : undefined;
  return (job.data as { backupId?: string }).backupId;
}

export async function recoverBackups(services: Services): Promise<RecoveryResult> {
  const queue = services.queues.backup;
  const live = new Set<string>();
  for (const job of await queue.getJobs([...LIVE_STATES], 0, -1)) {
    const id = job ? backupIdOfJob(job) : undefined;
    if (id) live.add(id);
  }
  const result: RecoveryResult = { requeued: [], failed: [], audited: [] };

  for (const b of await services.repos.backups.listByStatus('pending')) {
    if (live.has(b.id)) continue;
    if (b.type === 'scheduled') {
      // Its scheduler job is gone; the next scheduled run takes a fresh backup.
      await failRow(
        services,
        b.id,
        'its scheduled job was lost before it started (Redis restarted or flushed)',
      );
      result.failed.push(b.id);
      continue;
    }
    // A finished job with the same id would swallow the add: remove it first.
    await (await queue.getJob(b.id))?.remove();
    await services.work.backup(b.id);
    result.requeued.push(b.id);
  }
  for (const b of await services.repos.backups.listByStatus('running')) {
    if (live.has(b.id)) continue;
    await failRow(
      services,
      b.id,
      'the worker running it stopped and its job is no longer in the queue; take a new backup',
    );
    result.failed.push(b.id);
  }
  result.audited = await auditMissingOutcomes(services);
  return result;
}

async function failRow(services: Services, id: string, reason: string): Promise<void> {
  try {
    const failed = await services.repos.backups.markFailed(id, { code: 'worker_stopped', reason });
    await services.audit.append({
      actor: 'system',
      action: 'backup.failed',
      connection: failed.connection,
      targetId: id,
      outcome: 'failed',
      details: { reason, recovery: true },
    });
    await safeNotify(() =>
      services.notifier.backupChanged({ backup: failed, phase: 'finished', message: reason }),
    );
    // a scheduled backup whose worker died is a failed scheduled backup: alerted like any other
    await backupSettled(services, failed);
  } catch {
    // Another process settled it meanwhile: nothing to recover.
  }
}
