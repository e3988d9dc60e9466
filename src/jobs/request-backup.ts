/**
 * requestBackup: the one way a manual or pre-restore backup starts (bot, CLI, restore job). Validates the
 * connection, creates the `pending` record, audits `backup.requested` and enqueues a job whose id is the
 * backup id (BullMQ custom ids must not contain ':' — ours are UUIDs — and dedupe a second add of the
 * same id). If Redis refuses the job, the record is marked failed so it does not sit pending.
 */

import type { Backup, SlackMessageRef } from '../app/ports/records.ts';
import type { BackupType } from '../core/status.ts';
import type { Services } from './context.ts';
import { safeNotify } from './notifier.ts';
import { type BackupJobData, backupJobOptions, JOB_NAMES } from './queues.ts';

export interface BackupRequest {
  connection: string;
  type: BackupType;
  /** Slack user id, `system` or `cli:<user>` */
  requestedBy: string;
  note?: string | null;
  slack?: SlackMessageRef | null;
}

export async function enqueueBackupJob(services: Services, backupId: string): Promise<void> {
  const data: BackupJobData = { backupId };
  await services.queues.backup.add(JOB_NAMES.backup, data, {
    ...backupJobOptions(services.retry),
    jobId: backupId,
  });
}

export async function requestBackup(services: Services, request: BackupRequest): Promise<Backup> {
  const connection = services.connection(request.connection);
  const backup = await services.repos.backups.create({
    connection: connection.name,
    type: request.type,
    requestedBy: request.requestedBy,
    note: request.note ?? null,
    environment: connection.environment,
    slack: request.slack ?? null,
  });
  // audited before the job exists: a worker's `backup.started` can never come first in the log
  await services.audit.append({
    actor: request.requestedBy,
    action: 'backup.requested',
    connection: connection.name,
    targetId: backup.id,
    outcome: 'ok',
    details: { type: request.type, ...(request.note ? { note: request.note } : {}) },
  });
  try {
    await enqueueBackupJob(services, backup.id);
  } catch (err) {
    const reason = `could not be queued: ${(err as Error).message}`;
    const failed = await services.repos.backups.markFailed(backup.id, reason);
    await services.audit.append({
      actor: request.requestedBy,
      action: 'backup.failed',
      connection: connection.name,
      targetId: backup.id,
      outcome: 'failed',
      details: { reason },
    });
    await safeNotify(() =>
      services.notifier.backupChanged({ backup: failed, phase: 'finished', message: reason }),
    );
    throw err;
  }
  await safeNotify(() => services.notifier.backupChanged({ backup, phase: 'queued' }));
  return backup;
}
