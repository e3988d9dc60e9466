/**
 * What `/readyz` and `/metrics` read, built from one process's runtime: the readiness checks (the
 * records, Redis, every copy target) and the metrics with their scrape-time sources (BullMQ job counts,
 * each connection's newest completed backup). `serve` and `worker` both call this.
 */
import { queueCounts } from '../jobs/queues.ts';
import { describeRedis } from '../jobs/redis-connection.ts';
import { SnapgateMetrics } from '../observe/metrics.ts';
import { MetricsNotifier } from '../observe/metrics-notifier.ts';
import { probeCheck, type ReadinessCheck } from '../observe/readiness.ts';
import type { Runtime } from './services.ts';

/** `database`, `redis`, then `storage:primary` and `storage:<target id>` per copy. */
export function readinessChecks(runtime: Runtime): ReadinessCheck[] {
  return [
    probeCheck('database', () => runtime.repos.ping()),
    probeCheck('redis', async () => {
      try {
        await runtime.redis.ping();
      } catch (err) {
        throw new Error(`${describeRedis(runtime.redisConfig)} does not answer (${(err as Error).message})`);
      }
    }),
    probeCheck('storage:primary', () => runtime.primary.probe()),
    ...runtime.copyTargets.map((t) => probeCheck(`storage:${t.id}`, () => t.probe())),
  ];
}

export interface ProcessMetrics {
  metrics: SnapgateMetrics;
  /** add to the process's CompositeNotifier */
  notifier: MetricsNotifier;
}

/**
 * The metrics of one process, fed by its notifier and read at scrape time from `runtime` — a function,
 * because the notifier is made before the runtime it is handed to (`createServices({ notifier })`).
 */
export function processMetrics(runtime: () => Runtime | undefined): ProcessMetrics {
  const metrics = new SnapgateMetrics({
    queueCounts: async () => {
      const r = runtime();
      return r ? queueCounts(r.queues) : {};
    },
    lastSuccessfulBackups: async () => {
      const r = runtime();
      if (!r) return {};
      const entries = await Promise.all(
        r.config.connections.map(async (c) => {
          const b = await r.repos.backups.findLatestCompleted(c.name);
          return [c.name, b?.finishedAt ?? null] as const;
        }),
      );
      return Object.fromEntries(entries);
    },
  });
  return { metrics, notifier: new MetricsNotifier(metrics) };
}
