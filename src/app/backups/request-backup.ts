/**
 * requestBackup: the one way a manual or pre-restore backup starts (bot, CLI, restore job). Validates the
 * connection, creates the `pending` record, audits `backup.requested` and then hands it to the work queue
 * (a second add of the same backup is a no-op). If Redis refuses the job, the record is marked failed so
 * it does not sit pending.
 */

import type { BackupType } from '../../core/status.ts';
import { safeNotify } from '../notifier.ts';
import type { Backup, SlackMessageRef } from '../ports/records.ts';
import type { Services } from '../services.ts';

export interface BackupRequest {
  /** the record's id, when the caller derives it (a repeated request must find its first record) */
  id?: string;
  connection: string;
  type: BackupType;
  /** Slack user id, `system` or `cli:<user>` */
  requestedBy: string;
  note?: string | null;
  slack?: SlackMessageRef | null;
}

export async function requestBackup(services: Services, request: BackupRequest): Promise<Backup> {
  const connection = services.connection(request.connection);
  const backup = await services.repos.backups.create({
    ...(request.id ? { id: request.id } : {}),
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
    await services.work.backup(backup.id);
  } catch (err) {
    const reason = `could not be queued: ${(err as Error).message}`;
    const failed = await services.repos.backups.markFailed(backup.id, { code: 'queue_unavailable', reason });
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
