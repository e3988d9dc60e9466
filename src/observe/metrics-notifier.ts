/**
 * The application's events as metrics: a `Notifier` next to the console and Slack ones (a
 * `CompositeNotifier` fans every event out). A backup or restore is counted once, when it reaches a final
 * status (a repeated final event is not counted again); durations come from the records' times (backups)
 * or from the run's `started` event in this process (restores run start to end in one process).
 */
import type {
  AlertEvent,
  BackupEvent,
  DiffOutcome,
  DriftEvent,
  Notifier,
  PruneEvent,
  RecordEvent,
  RestoreEvent,
  VerifyEvent,
} from '../app/index.ts';
import type { FailureCode } from '../app/ports/records.ts';
import { BACKUP_STATUS, RESTORE_STATUS } from '../core/status.ts';
import type { SnapgateMetrics } from './metrics.ts';

const GATEWAY_CODES: ReadonlySet<FailureCode> = new Set([
  'gateway_auth',
  'gateway_unreachable',
  'gateway_error',
]);
/** how many finished ids are remembered to ignore repeats (oldest forgotten first) */
const REMEMBERED = 10_000;

class RecentIds {
  readonly #ids = new Set<string>();
  /** true the first time `id` is seen */
  first(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > REMEMBERED) this.#ids.delete(this.#ids.values().next().value!);
    return true;
  }
}

export class MetricsNotifier implements Notifier {
  readonly #backups = new RecentIds();
  readonly #restores = new RecentIds();
  readonly #rehearsals = new RecentIds();
  readonly #restoreStarts = new Map<string, number>();

  constructor(
    private readonly metrics: SnapgateMetrics,
    private readonly now: () => Date = () => new Date(),
  ) {}

  backupChanged({ backup: b }: BackupEvent): void {
    if (!BACKUP_STATUS.isTerminal(b.status) || !this.#backups.first(b.id)) return;
    const labels = { connection: b.connection, status: b.status };
    this.metrics.backups.inc(labels);
    if (b.startedAt && b.finishedAt)
      this.metrics.backupDuration.observe(labels, (b.finishedAt.getTime() - b.startedAt.getTime()) / 1000);
    if (b.status === 'completed' && b.bytes !== null) {
      this.metrics.lastArtifactBytes.set({ connection: b.connection }, b.bytes);
      if (!b.unchangedFrom) this.metrics.artifactBytes.inc({ connection: b.connection }, b.bytes);
    }
    this.gatewayError(b.connection, b.failureCode);
  }

  restoreChanged({ restore: r, phase }: RestoreEvent): void {
    if (phase === 'started' && !this.#restoreStarts.has(r.id))
      this.#restoreStarts.set(r.id, this.now().getTime());
    if (!RESTORE_STATUS.isTerminal(r.status) || !this.#restores.first(r.id)) return;
    const labels = { connection: r.connection, outcome: r.status };
    this.metrics.restores.inc(labels);
    const started = this.#restoreStarts.get(r.id);
    this.#restoreStarts.delete(r.id);
    if (started !== undefined) {
      const end = r.finishedAt?.getTime() ?? this.now().getTime();
      this.metrics.restoreDuration.observe(labels, Math.max(0, end - started) / 1000);
    }
    this.gatewayError(r.connection, r.failureCode);
  }

  diffFinished(outcome: DiffOutcome): void {
    if (!outcome.ok) this.gatewayError(outcome.work.connection, outcome.failure.code);
  }

  alertChanged({ connection, kind, phase }: AlertEvent): null {
    this.metrics.alerts.inc({ connection, kind, event: phase });
    return null;
  }

  /** A rehearsal that ended (`recordChanged` with kind `rehearsal`): counted, its recovery time observed. */
  recordChanged({ kind, id, connection, status, durationMs }: RecordEvent): void {
    if (kind !== 'rehearsal' || (status !== 'passed' && status !== 'failed') || !this.#rehearsals.first(id))
      return;
    const labels = { connection, outcome: status };
    this.metrics.rehearsals.inc(labels);
    if (durationMs !== undefined) this.metrics.rehearsalRecovery.observe(labels, durationMs / 1000);
  }

  driftChecked({ connection, outcome }: DriftEvent): void {
    const result = outcome.status === 'drift' && outcome.repeat ? 'repeat' : outcome.status;
    this.metrics.driftChecks.inc({ connection, result });
    if (outcome.status === 'failed') this.gatewayError(connection, outcome.failure.code);
  }

  verifyFinished(_event: VerifyEvent): void {}

  pruneFinished(_event: PruneEvent): void {}

  /** A Slack call answered 429 (the outbox's hook). */
  slackRateLimited(): void {
    this.metrics.slackRateLimited.inc();
  }

  private gatewayError(connection: string, code: FailureCode | null): void {
    if (code && GATEWAY_CODES.has(code)) this.metrics.gatewayErrors.inc({ connection, code });
  }
}
