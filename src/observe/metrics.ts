/**
 * Every metric snapgate exports, in one `prom-client` registry per process. Counters and histograms are
 * fed by the application's events (`metrics-notifier.ts`) and the Slack outbox's 429 hook; the queue
 * depths and each connection's newest completed backup are read when Prometheus scrapes, from the ports
 * `src/compose` hands in, so they are right whichever process did the work. Labels are connection names,
 * statuses, failure codes and queue names: never a secret, never an unbounded value such as an id.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsSource } from './http.ts';

export type QueueState = 'waiting' | 'active' | 'failed' | 'delayed';
export const QUEUE_STATES: readonly QueueState[] = ['waiting', 'active', 'failed', 'delayed'];

/** Jobs per queue and state. */
export type QueueCounts = Record<string, Partial<Record<QueueState, number>>>;

export interface MetricsSources {
  /** read at scrape time (BullMQ's job counts per queue) */
  queueCounts?: () => Promise<QueueCounts>;
  /** read at scrape time: per connection, when its newest completed backup finished (null: none yet) */
  lastSuccessfulBackups?: () => Promise<Record<string, Date | null>>;
}

const DURATION_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

export class SnapgateMetrics implements MetricsSource {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;

  readonly backups = new Counter({
    name: 'snapgate_backups_total',
    help: 'Backups that finished, by connection and final status (completed, failed).',
    labelNames: ['connection', 'status'] as const,
    registers: [this.registry],
  });
  readonly backupDuration = new Histogram({
    name: 'snapgate_backup_duration_seconds',
    help: "A finished backup's last attempt, from its start to completed or failed.",
    labelNames: ['connection', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly artifactBytes = new Counter({
    name: 'snapgate_artifact_bytes_written_total',
    help: 'Bytes of new backup artifacts written (an unchanged backup shares the earlier artifact and adds none).',
    labelNames: ['connection'] as const,
    registers: [this.registry],
  });
  readonly lastArtifactBytes = new Gauge({
    name: 'snapgate_artifact_bytes',
    help: 'Size of the newest completed backup artifact this process recorded, per connection.',
    labelNames: ['connection'] as const,
    registers: [this.registry],
  });
  readonly restores = new Counter({
    name: 'snapgate_restores_total',
    help: 'Restore requests that ended, by connection and outcome (completed, partially_failed, failed, rejected, expired, cancelled).',
    labelNames: ['connection', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly restoreDuration = new Histogram({
    name: 'snapgate_restore_duration_seconds',
    help: 'A restore run, from its start (after the approval) to its outcome.',
    labelNames: ['connection', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly gatewayErrors = new Counter({
    name: 'snapgate_gateway_errors_total',
    help: 'Backups, restores and diffs that failed on the gateway, by failure code (gateway_auth, gateway_unreachable, gateway_error).',
    labelNames: ['connection', 'code'] as const,
    registers: [this.registry],
  });
  readonly alerts = new Counter({
    name: 'snapgate_alerts_total',
    help: 'Alerts by connection, kind (backup-failed, backup-missing, verify-failed, rehearsal-failed) and event (raised, repeated, resolved, suppressed: the same problem again, not posted).',
    labelNames: ['connection', 'kind', 'event'] as const,
    registers: [this.registry],
  });
  readonly rehearsals = new Counter({
    name: 'snapgate_rehearsals_total',
    help: 'Restore rehearsals into scratch connections that ended, by connection and outcome (passed, failed).',
    labelNames: ['connection', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly rehearsalRecovery = new Histogram({
    name: 'snapgate_rehearsal_recovery_seconds',
    help: 'The measured recovery time of a rehearsal: opening the backup to a scratch gateway with zero drift.',
    labelNames: ['connection', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly driftChecks = new Counter({
    name: 'snapgate_drift_checks_total',
    help: 'Drift checks by connection and result (drift: a new drift posted, repeat: the same drift again, unchanged, no-backup, failed).',
    labelNames: ['connection', 'result'] as const,
    registers: [this.registry],
  });
  readonly slackRateLimited = new Counter({
    name: 'snapgate_slack_rate_limited_total',
    help: 'Slack Web API calls answered 429 (each is held for Retry-After and tried again).',
    registers: [this.registry],
  });

  constructor(sources: MetricsSources = {}) {
    collectDefaultMetrics({ register: this.registry });
    const { queueCounts, lastSuccessfulBackups } = sources;
    new Gauge({
      name: 'snapgate_queue_jobs',
      help: 'Jobs per queue and state (waiting, active, failed, delayed), read from Redis when scraped.',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        if (!queueCounts) return;
        // Redis down: no samples rather than a failed scrape (/readyz says what is wrong)
        const counts = await queueCounts().catch(() => null);
        for (const [queue, byState] of Object.entries(counts ?? {}))
          for (const state of QUEUE_STATES) this.set({ queue, state }, byState[state] ?? 0);
      },
    });
    new Gauge({
      name: 'snapgate_last_successful_backup_timestamp_seconds',
      help: "When each connection's newest completed backup finished (Unix time), read from the records when scraped.",
      labelNames: ['connection'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        if (!lastSuccessfulBackups) return;
        const last = await lastSuccessfulBackups().catch(() => null);
        for (const [connection, at] of Object.entries(last ?? {}))
          if (at) this.set({ connection }, at.getTime() / 1000);
      },
    });
  }

  /** The Prometheus text format of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
