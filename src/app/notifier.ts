/**
 * How jobs report what happens: the `Notifier` interface. Jobs call it at each phase; the console
 * implementation prints one line per call, the bot implements it for Slack (threaded status cards).
 * Calls carry records from the database (ids, names, counts, reasons), never snapshot content or secrets.
 * A notifier must not throw into the job: `safeNotify` wraps every call so a Slack outage never fails a
 * backup.
 */
import type { CheckpointEvent } from '../audit/index.ts';
import type { DiffOutcome } from './diff.ts';
import type { Backup, SlackMessageRef } from './ports/records.ts';
import type { WeeklyReportEvent } from './report.ts';
import type { RestoreEvent } from './restore/types.ts';
import type { AlertEvent } from './watch/alert-types.ts';
import type { DriftEvent } from './watch/drift.ts';

/** Where a running backup is: the bot turns these into a progress line. */
export type BackupPhase = 'queued' | 'started' | 'dumping' | 'writing' | 'retrying' | 'finished';

export interface BackupEvent {
  backup: Backup;
  phase?: BackupPhase;
  /** one line for people, e.g. `services 1200/…` or `attempt 1 failed: …; retrying in 5 s` */
  message?: string;
}

export interface CopyVerifyOutcome {
  target: string;
  location: string;
  ok: boolean;
  problem?: string;
  /** the copy is intact but the key ring cannot open it (wrong or missing key), not a bad copy */
  keyProblem?: boolean;
}

export interface VerifyEvent {
  backup: Backup;
  ok: boolean;
  copies: CopyVerifyOutcome[];
}

export interface PruneDecision {
  backupId: string;
  takenAt: Date;
  status: string;
  action: 'keep' | 'remove';
  reasons: string[];
}

export interface PruneEvent {
  connection: string;
  dryRun: boolean;
  decisions: PruneDecision[];
  /** artifact files removed (names); shared artifacts still referenced by a kept backup stay */
  deletedArtifacts: string[];
}

/** Generic hook for other record kinds (restores next): `kind` names the record, `id` its id. */
export interface RecordEvent {
  kind: string;
  id: string;
  connection: string;
  status: string;
  message?: string;
  /** how long it took, once it ended (a rehearsal: the measured recovery time) */
  durationMs?: number;
}

export interface Notifier {
  backupChanged(event: BackupEvent): Promise<void> | void;
  verifyFinished(event: VerifyEvent): Promise<void> | void;
  pruneFinished(event: PruneEvent): Promise<void> | void;
  recordChanged?(event: RecordEvent): Promise<void> | void;
  /** a restore request moved (plan ready, approved, progress, finished…); see RestoreEvent */
  restoreChanged?(event: RestoreEvent): Promise<void> | void;
  /** a signed audit checkpoint was published, or refused because the chain broke (the audit channel) */
  auditCheckpoint?(event: CheckpointEvent): Promise<void> | void;
  /** a queued diff finished: its plan, or the failure (the work names the card to edit) */
  diffFinished?(outcome: DiffOutcome): Promise<void> | void;
  /** the weekly report is ready (posted to `report.channel` by the Slack notifier) */
  weeklyReport?(event: WeeklyReportEvent): Promise<void> | void;
  /**
   * An alert was raised, repeated, resolved or suppressed (src/app/watch). For `raised`, the message
   * posted (whose thread takes the repeats and the resolved reply), or null when nothing was posted.
   */
  alertChanged?(
    event: AlertEvent,
  ): Promise<SlackMessageRef | null | undefined> | SlackMessageRef | null | undefined;
  /** a drift check ended: drift (new or the same again), none, or a failure; `post` says whether to show it */
  driftChecked?(event: DriftEvent): Promise<void> | void;
}

export type LogLine = (line: string) => void;

/** One line per event on stdout (or the given writer): the worker's log. */
export class ConsoleNotifier implements Notifier {
  constructor(private readonly write: LogLine = (line) => process.stdout.write(`${line}\n`)) {}

  backupChanged({ backup, phase, message }: BackupEvent): void {
    const tail = message ? `: ${message}` : '';
    this.write(
      `backup ${backup.id} [${backup.connection}] ${backup.status}${phase ? ` (${phase})` : ''}${tail}`,
    );
  }

  verifyFinished({ backup, ok, copies }: VerifyEvent): void {
    const bad = copies.filter((c) => !c.ok).map((c) => `${c.target}: ${c.problem ?? 'failed'}`);
    this.write(`verify ${backup.id} [${backup.connection}] ${ok ? 'ok' : `FAILED (${bad.join('; ')})`}`);
  }

  pruneFinished({ connection, dryRun, decisions, deletedArtifacts }: PruneEvent): void {
    const removed = decisions.filter((d) => d.action === 'remove').length;
    const verb = dryRun ? 'would remove' : 'removed';
    this.write(
      `prune [${connection}] ${verb} ${removed} of ${decisions.length} backups, ${deletedArtifacts.length} artifact files`,
    );
  }

  recordChanged({ kind, id, connection, status, message }: RecordEvent): void {
    this.write(`${kind} ${id} [${connection}] ${status}${message ? `: ${message}` : ''}`);
  }

  restoreChanged({ restore, phase, progress, result, message, preRestoreBackupId }: RestoreEvent): void {
    const parts = [`restore ${restore.id} [${restore.connection}] ${restore.status} (${phase})`];
    if (progress) parts.push(`${progress.phase} level ${progress.level} ${progress.done}/${progress.total}`);
    if (result) {
      const drift = result.drift === null ? 'not checked' : String(result.drift);
      parts.push(`applied ${result.applied}, failed ${result.failed}, drift ${drift}`);
    }
    if (preRestoreBackupId) parts.push(`pre-restore backup ${preRestoreBackupId}`);
    if (message) parts.push(message);
    this.write(parts.join('; '));
  }

  auditCheckpoint(event: CheckpointEvent): void {
    if (event.kind === 'refused') this.write(`audit checkpoint REFUSED (${event.reason}): ${event.message}`);
    else
      this.write(
        `audit checkpoint #${event.checkpoint.seq} ${event.checkpoint.hash} signed by ${event.checkpoint.keyId} (${event.reason}) → ${event.locations.join(', ')}`,
      );
  }

  alertChanged(e: AlertEvent): null {
    const where = e.backupId ? ` backup ${e.backupId}` : '';
    const copy = e.copy ? ` copy ${e.copy}` : '';
    this.write(`alert ${e.kind} [${e.connection}] ${e.phase}${where}${copy}: ${e.reason}`);
    return null;
  }

  driftChecked({ connection, outcome }: DriftEvent): void {
    const o = outcome;
    const line =
      o.status === 'drift'
        ? `drift: ${o.plan.summary.create} create, ${o.plan.summary.update} update, ${o.plan.summary.delete} delete vs backup ${o.backup.id}${o.repeat ? ' (same as before)' : ''}${o.driftBackup ? `; backup ${o.driftBackup.id} requested` : ''}`
        : o.status === 'failed'
          ? `failed (${o.failure.code}): ${o.failure.reason}`
          : o.status === 'unchanged'
            ? `no drift from backup ${o.backup.id}`
            : 'no completed backup to compare with';
    this.write(`drift check [${connection}] ${line}`);
  }

  diffFinished(outcome: DiffOutcome): void {
    const head = `diff ${outcome.work.id} [${outcome.work.connection}] vs backup ${outcome.work.backupId}`;
    if (!outcome.ok) {
      this.write(`${head} failed (${outcome.failure.code}): ${outcome.failure.reason}`);
      return;
    }
    const { create, update, delete: del } = outcome.plan.summary;
    const from = outcome.readFrom;
    const copy =
      from.target === 'primary' && from.problems.length === 0
        ? ''
        : `; read from copy ${from.target}${from.problems.length ? ` (${from.problems.join('; ')})` : ''}`;
    this.write(
      `${head}: ${create} create, ${update} update, ${del} delete (plan ${outcome.plan.planHash})${copy}`,
    );
  }

  weeklyReport({ report, channel }: WeeklyReportEvent): void {
    this.write(
      `weekly report ${report.from.toISOString()} → ${report.to.toISOString()}: ${report.connections.length} connection(s), posted to ${channel}`,
    );
  }
}

/** Fans every event out to several notifiers (console + Slack); one failing does not stop the others. */
export class CompositeNotifier implements Notifier {
  constructor(private readonly notifiers: readonly Notifier[]) {}

  async backupChanged(event: BackupEvent): Promise<void> {
    await Promise.all(this.notifiers.map((n) => safeNotify(() => n.backupChanged(event))));
  }

  async verifyFinished(event: VerifyEvent): Promise<void> {
    await Promise.all(this.notifiers.map((n) => safeNotify(() => n.verifyFinished(event))));
  }

  async pruneFinished(event: PruneEvent): Promise<void> {
    await Promise.all(this.notifiers.map((n) => safeNotify(() => n.pruneFinished(event))));
  }

  async recordChanged(event: RecordEvent): Promise<void> {
    await Promise.all(this.notifiers.map((n) => safeNotify(() => n.recordChanged?.(event))));
  }

  async restoreChanged(event: RestoreEvent): Promise<void> {
    await Promise.all(this.notifiers.map((n) => safeNotify(() => n.restoreChanged?.(event))));
  }

  async auditCheckpoint(event: CheckpointEvent): Promise<void> {
    await Promise.all(this.notifiers.map((n) => safeNotify(() => n.auditCheckpoint?.(event))));
  }

  async diffFinished(outcome: DiffOutcome): Promise<void> {
    await Promise.all(this.notifiers.map((n) => safeNotify(() => n.diffFinished?.(outcome))));
  }

  async weeklyReport(event: WeeklyReportEvent): Promise<void> {
    await Promise.all(this.notifiers.map((n) => safeNotify(() => n.weeklyReport?.(event))));
  }

  /** Every notifier hears it; the first message any of them posted is the alert's thread. */
  async alertChanged(event: AlertEvent): Promise<SlackMessageRef | null> {
    const refs = await Promise.all(
      this.notifiers.map(async (n) => {
        try {
          return (await n.alertChanged?.(event)) ?? null;
        } catch (err) {
          process.stderr.write(`snapgate: notifier failed: ${(err as Error).message}\n`);
          return null;
        }
      }),
    );
    return refs.find((r) => r !== null) ?? null;
  }

  async driftChecked(event: DriftEvent): Promise<void> {
    await Promise.all(this.notifiers.map((n) => safeNotify(() => n.driftChecked?.(event))));
  }
}

/** Notifies nobody: for CLI verbs that print their own output. */
export const SILENT_NOTIFIER: Notifier = {
  backupChanged: () => undefined,
  verifyFinished: () => undefined,
  pruneFinished: () => undefined,
};

/** Runs one notifier call; its failure is written to stderr and swallowed (reporting never fails a job). */
export async function safeNotify(call: () => Promise<void> | void): Promise<void> {
  try {
    await call();
  } catch (err) {
    process.stderr.write(`snapgate: notifier failed: ${(err as Error).message}\n`);
  }
}
