/**
 * Job schedulers from the config (bullmq guide/job-schedulers): one per connection schedule (a scheduled
 * backup), one prune per connection with retention rules, one daily verify, one rehearsal per connection
 * with `rehearsal:` (queue `rehearsal`), the weekly report when `report:` is set (queue `report`), and on the watch queue one
 * drift check per connection with `drift:` and the dead man's switch (every 5 minutes, when a connection
 * has an alerts `maxAge`). Scheduler ids are derived from names (`backup-<connection>-<schedule>`,
 * `prune-<connection>`, `verify-daily`, `rehearsal-<connection>`, `report-weekly`, `drift-<connection>`,
 * `watch-staleness`), so a sync is
 * idempotent; schedulers we own that the config no longer names are removed.
 *
 * Several processes may start at once (a rolling deploy), and concurrent upserts have raced in BullMQ
 * (#3085, #3381, #3262), so the whole sync runs under a short Redis lock and upserts only what differs
 * from what Redis already holds (a needless remove+upsert can lose the next run, #3063).
 *
 * Redis is the only place schedulers live, so a Redis that lost its data (restarted without persistence,
 * flushed, failed over to an empty replica) loses them; `startWorkers` therefore runs this sync again on
 * every reconnect and periodically (`resync.ts`), on its own reconnecting connection (`via`).
 */
import type { JobSchedulerJson, Queue } from 'bullmq';
import type { Queues, JobServices as Services } from './queues.ts';
import { backupJobOptions, JOB_NAMES, ONE_SHOT_JOB_OPTIONS } from './queues.ts';
import type { RedisClient } from './redis-connection.ts';
import { withRedisLock } from './redis-lock.ts';

/** Prune and verify run at fixed quiet hours (UTC); backups follow the config. */
export const PRUNE_PATTERN = '30 4 * * *';
export const VERIFY_PATTERN = '0 5 * * *';
/** the dead man's switch looks at every connection's newest backup this often */
export const STALENESS_PATTERN = '*/5 * * * *';
export const STALENESS_SCHEDULER = 'watch-staleness';

export interface DesiredScheduler {
  queue: ScheduledQueue;
  id: string;
  pattern: string;
  tz: string;
  jobName: string;
  data: Record<string, unknown>;
}

export interface ScheduleSyncResult {
  created: string[];
  updated: string[];
  removed: string[];
  unchanged: string[];
}

const OWNED = /^(backup-|prune-|verify-|rehearsal-|report-|drift-|watch-)/;

/** the queues whose job schedulers a sync owns */
const SCHEDULED_QUEUES = ['backup', 'prune', 'verify', 'rehearsal', 'report', 'watch'] as const;
type ScheduledQueue = (typeof SCHEDULED_QUEUES)[number];

export function desiredSchedulers(services: Services): DesiredScheduler[] {
  const out: DesiredScheduler[] = [];
  for (const c of services.config.connections) {
    for (const s of c.schedules) {
      out.push({
        queue: 'backup',
        id: `backup-${c.name}-${s.name}`,
        pattern: s.cron,
        tz: s.timezone,
        jobName: JOB_NAMES.scheduledBackup,
        data: { connection: c.name, schedule: s.name },
      });
    }
    const r = c.retention;
    if (r.keepDaily || r.keepWeekly || r.keepMonthly || r.keepWithin) {
      out.push({
        queue: 'prune',
        id: `prune-${c.name}`,
        pattern: PRUNE_PATTERN,
        tz: 'UTC',
        jobName: JOB_NAMES.prune,
        data: { connection: c.name },
      });
    }
    if (c.rehearsal) {
      out.push({
        queue: 'rehearsal',
        id: `rehearsal-${c.name}`,
        pattern: c.rehearsal.cron,
        tz: c.rehearsal.timezone,
        jobName: JOB_NAMES.rehearsal,
        data: { connection: c.name },
      });
    }
    if (c.drift) {
      out.push({
        queue: 'watch',
        id: `drift-${c.name}`,
        pattern: c.drift.cron,
        tz: c.drift.timezone,
        jobName: JOB_NAMES.driftCheck,
        data: { connection: c.name },
      });
    }
  }
  const report = services.config.report;
  if (report) {
    out.push({
      queue: 'report',
      id: 'report-weekly',
      pattern: report.cron,
      tz: report.timezone,
      jobName: JOB_NAMES.report,
      data: { scheduled: true },
    });
  }
  if (services.config.connections.some((c) => c.alerts?.maxAgeMs)) {
    out.push({
      queue: 'watch',
      id: STALENESS_SCHEDULER,
      pattern: STALENESS_PATTERN,
      tz: 'UTC',
      jobName: JOB_NAMES.stalenessCheck,
      data: { staleness: true },
    });
  }
  out.push({
    queue: 'verify',
    id: 'verify-daily',
    pattern: VERIFY_PATTERN,
    tz: 'UTC',
    jobName: JOB_NAMES.verifyScheduled,
    data: { scheduled: true },
  });
  return out;
}

function same(existing: JobSchedulerJson | undefined, want: DesiredScheduler): boolean {
  if (!existing) return false;
  return (
    existing.pattern === want.pattern &&
    (existing.tz ?? 'UTC') === want.tz &&
    existing.name === want.jobName &&
    JSON.stringify(existing.template?.data ?? {}) === JSON.stringify(want.data)
  );
}

/** What a sync runs on: the services' producer queues by default, a worker's own connection in `resync.ts`. */
export interface ScheduleSyncVia {
  queues: Pick<Queues, ScheduledQueue>;
  redis: RedisClient;
  /** why this sync runs, recorded on the audit rows of what it (re)created */
  trigger?: 'start' | 'reconnect' | 'periodic';
}

export async function syncSchedules(services: Services, via?: ScheduleSyncVia): Promise<ScheduleSyncResult> {
  const queues = via?.queues ?? services.queues;
  const redis = via?.redis ?? services.redis;
  const trigger = via?.trigger ?? 'start';
  const lockKey = `${services.redisPrefix}:snapgate:schedule-sync-lock`;
  return withRedisLock(redis, lockKey, async () => {
    const result: ScheduleSyncResult = { created: [], updated: [], removed: [], unchanged: [] };
    const desired = desiredSchedulers(services);
    for (const name of SCHEDULED_QUEUES) {
      const queue = queues[name] as Queue;
      const existing = new Map(
        (await queue.getJobSchedulers(0, -1)).filter((s) => s.key).map((s) => [s.key, s] as const),
      );
      for (const want of desired.filter((d) => d.queue === name)) {
        const have = existing.get(want.id);
        existing.delete(want.id);
        if (same(have, want)) {
          result.unchanged.push(want.id);
          continue;
        }
        const opts = name === 'backup' ? backupJobOptions(services.retry) : ONE_SHOT_JOB_OPTIONS;
        await queue.upsertJobScheduler(
          want.id,
          { pattern: want.pattern, tz: want.tz },
          { name: want.jobName, data: want.data, opts },
        );
        (have ? result.updated : result.created).push(want.id);
        await services.audit.append({
          actor: 'system',
          action: 'schedule.created',
          connection: (want.data.connection as string | undefined) ?? null,
          targetId: want.id,
          outcome: 'ok',
          details: { pattern: want.pattern, tz: want.tz, queue: name, replaced: Boolean(have), trigger },
        });
      }
      for (const id of existing.keys()) {
        if (!OWNED.test(id)) continue;
        await queue.removeJobScheduler(id);
        result.removed.push(id);
        await services.audit.append({
          actor: 'system',
          action: 'schedule.removed',
          targetId: id,
          outcome: 'ok',
          details: { queue: name },
        });
      }
    }
    return result;
  });
}
