/**
 * Diff: what a restore from a backup would change on the live gateway now, as a queued job (it survives
 * a restart of the process that asked) through the same planning pipeline as restores (`planConnection`:
 * the whole live gateway, the backup filled with the gateway's defaults, natural keys matched, preflight).
 * The result — the plan, or the failure with its code — goes to the notifier; the Slack notifier edits
 * the card named in the work and uploads the full diff, secrets masked, into its thread.
 */
import { type Plan, type Snapshot, sectionsRefusal } from '../core/index.ts';
import { describeJobFailure } from './failure.ts';
import { safeNotify } from './notifier.ts';
import type { Backup, Failure } from './ports/records.ts';
import type { DiffWork } from './ports/work-queue.ts';
import { BackupIntegrityError, verifyAndOpenBackupFrom } from './restore/integrity.ts';
import { planConnection } from './restore/live.ts';
import type { Services } from './services.ts';

/** Which copy of the backup a diff read, and what was wrong with the copies before it (primary first). */
export interface DiffReadFrom {
  target: string;
  location: string;
  problems: string[];
}

/** A diff that finished: the plan, or why there is none. */
export type DiffOutcome =
  | { ok: true; work: DiffWork; backup: Backup; plan: Plan; readFrom: DiffReadFrom }
  | { ok: false; work: DiffWork; backup: Backup | null; failure: Failure };

/** The backup a diff compares against, or why it cannot be used (words for the person who asked). */
export async function diffableBackup(
  services: Services,
  connection: string,
  backupId: string,
): Promise<Backup | string> {
  const b = await services.repos.backups.get(backupId);
  if (!b) return `There is no backup ${backupId}.`;
  if (b.connection !== connection) return `Backup ${b.id} belongs to ${b.connection}, not ${connection}.`;
  if (b.status !== 'completed')
    return `Backup ${b.id} is ${b.status}; only completed backups can be compared.`;
  if (b.prunedAt) return `Backup ${b.id} was removed by retention; its artifact is gone.`;
  return b;
}

/** Queues a diff after checking the connection and the backup; returns why not, in words, or null. */
export async function requestDiff(services: Services, work: DiffWork): Promise<string | null> {
  const refusal = sectionsRefusal(work.only, services.connection(work.connection).type);
  if (refusal) return refusal;
  const backup = await diffableBackup(services, work.connection, work.backupId);
  if (typeof backup === 'string') return backup;
  await services.work.diff(work);
  return null;
}

/** The snapshot of a backup, from the first copy that reads back whole (GCM tag and checksum checked). */
export async function openBackupSnapshot(services: Services, backup: Backup): Promise<Snapshot> {
  const copies = await services.repos.backups.listCopies(backup.id);
  return (await services.artifacts.openBackup(backup.id, copies)).snapshot;
}

/** The diff job: plan against the live gateway, audit, and report to the notifier. Never throws. */
export async function runDiff(services: Services, work: DiffWork): Promise<DiffOutcome> {
  const outcome = await computeDiff(services, work);
  await services.audit.append({
    actor: work.requestedBy,
    action: outcome.ok ? 'diff.completed' : 'diff.failed',
    connection: work.connection,
    targetId: work.backupId,
    outcome: outcome.ok ? 'ok' : 'failed',
    details: outcome.ok
      ? { planHash: outcome.plan.planHash, ...outcome.plan.summary, only: work.only }
      : { code: outcome.failure.code, reason: outcome.failure.reason, only: work.only },
  });
  await safeNotify(() => services.notifier.diffFinished?.(outcome));
  return outcome;
}

async function computeDiff(services: Services, work: DiffWork): Promise<DiffOutcome> {
  const backup = await diffableBackup(services, work.connection, work.backupId);
  if (typeof backup === 'string') {
    return { ok: false, work, backup: null, failure: { code: 'backup_unreadable', reason: backup } };
  }
  try {
    const connection = services.connection(work.connection);
    try {
      // as a restore reads it: every copy's checksum, then the first whole copy (primary first); a missing
      // or corrupt primary falls back to the next copy, and the card says which one was read
      let readFrom: DiffReadFrom | undefined;
      const snapshot = verifyAndOpenBackupFrom(services, backup).then((opened) => {
        readFrom = { target: opened.from.target, location: opened.from.location, problems: opened.problems };
        return opened.snapshot;
      });
      snapshot.catch(() => undefined); // awaited by planConnection; a gateway that fails first wins
      // the whole live gateway (parents outside --only still decide whether a reference dangles), the
      // backup filled with the gateway's defaults and preflighted: what a restore would do
      const plan = await planConnection(
        services,
        connection.name,
        snapshot,
        work.only ? { only: work.only } : {},
      );
      return { ok: true, work, backup, plan, readFrom: readFrom! };
    } catch (err) {
      if (err instanceof BackupIntegrityError)
        return { ok: false, work, backup, failure: { code: 'backup_unreadable', reason: err.message } };
      const { code, reason } = describeJobFailure(services, connection, err);
      return { ok: false, work, backup, failure: { code, reason } };
    }
  } catch (err) {
    return {
      ok: false,
      work,
      backup,
      failure: { code: 'unknown_connection', reason: (err as Error).message },
    };
  }
}
