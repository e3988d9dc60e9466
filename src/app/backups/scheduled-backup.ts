/**
 * A job scheduler's run: create the `scheduled` backup record and run it. The record id is derived from
 * the scheduler job's id (`repeat:<scheduler>:<millis>`), so a retried or re-delivered run finds the record
 * it created before instead of creating a second one.
 */
import { createHash } from 'node:crypto';
import { safeNotify } from '../notifier.ts';
import type { Backup } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { type BackupAttempt, runBackup } from './run-backup.ts';

/**
 * A UUID-shaped backup id derived from what asked for the backup (hex digits lead, so artifact short ids
 * differ): a repeated request finds the record its first run created instead of creating a second one.
 */
export function derivedBackupId(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The backup id of a scheduler's run, from its job id (`repeat:<scheduler>:<millis>`). */
export function scheduledBackupId(jobId: string): string {
  return derivedBackupId(jobId);
}

export async function runScheduledBackup(
  services: Services,
  jobId: string,
  data: { connection: string; schedule: string },
  attempt: BackupAttempt,
): Promise<Backup> {
  const id = scheduledBackupId(jobId);
  let backup = await services.repos.backups.get(id);
  if (!backup) {
    const connection = services.connection(data.connection);
    try {
      backup = await services.repos.backups.create({
        id,
        connection: connection.name,
        type: 'scheduled',
        requestedBy: 'system',
        note: `schedule ${data.schedule}`,
        environment: connection.environment,
      });
    } catch (err) {
      // Two deliveries raced on the insert: the other one's row is ours too.
      backup = await services.repos.backups.get(id);
      if (!backup) throw err;
    }
    await services.audit.append({
      actor: 'system',
      action: 'backup.requested',
      connection: connection.name,
      targetId: id,
      outcome: 'ok',
      details: { type: 'scheduled', schedule: data.schedule },
    });
    const created = backup;
    await safeNotify(() => services.notifier.backupChanged({ backup: created, phase: 'queued' }));
  }
  return runBackup(services, id, attempt);
}
