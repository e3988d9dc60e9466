/**
 * Putting back what only Redis held, from the records, while a worker runs. Job schedulers (backup, prune,
 * verify) and the delayed jobs that expire undecided restore requests live in Redis alone; a Redis that
 * lost its data (restarted without persistence, flushed, failed over to an empty replica) loses them, and
 * before this nothing brought them back until a worker restarted — scheduled backups silently stopped.
 *
 * `startResync` runs `resyncRedisState` whenever the worker's connection is ready again after a reconnect
 * and every `everyMs` (default 60 s, for a loss without a disconnect such as FLUSHALL). Both parts are
 * idempotent: the schedule sync upserts only what differs (under its Redis lock), and an expiry job's id is
 * derived from the request and its expiry, so a present job is left alone. One run at a time; a trigger
 * during a run runs once more after it.
 *
 * Deliberately not here: re-queuing lost plan/run/backup jobs. A job this very process is running may be
 * the one Redis lost, and start-up recovery's rules (a `running` restore with no job → failed) would then
 * fail work that is still going on. Start-up recovery stays the place for those.
 */

import type { LogLine } from '../app/index.ts';
import { expireDueRestores } from '../app/restore/expiry.ts';
import type { JobServices, Queues } from './queues.ts';
import type { RedisClient } from './redis-connection.ts';
import { type ScheduleSyncResult, syncSchedules } from './schedules.ts';
import { addRestoreExpiryJob, expireJobId } from './work-queue.ts';

export type ResyncTrigger = 'reconnect' | 'periodic';

export interface ExpiryResyncResult {
  /** requests whose expiry had passed meanwhile, expired now */
  expired: string[];
  /** undecided requests whose expiry job was missing, re-created */
  recreated: string[];
}

export interface ResyncResult {
  trigger: ResyncTrigger;
  schedules: ScheduleSyncResult;
  expiry: ExpiryResyncResult;
}

const PENDING_STATES = new Set(['delayed', 'waiting', 'active', 'prioritized', 'waiting-children']);

/** Every request awaiting approval has its delayed expiry job; the ones already due are expired now. */
export async function ensureRestoreExpiryJobs(
  services: JobServices,
  queue: Queues['restore'],
): Promise<ExpiryResyncResult> {
  const expired = (await expireDueRestores(services)).map((r) => r.id);
  const recreated: string[] = [];
  for (const r of await services.repos.restores.listByStatus('awaiting_approval')) {
    const job = await queue.getJob(expireJobId(r.id, r.expiresAt));
    if (job) {
      if (PENDING_STATES.has(await job.getState())) continue;
      // finished although the request still waits (it ran early): a finished id would swallow the add
      await job.remove();
    }
    await addRestoreExpiryJob(queue, r.id, r.expiresAt, services.now());
    recreated.push(r.id);
  }
  return { expired, recreated };
}

export async function resyncRedisState(
  services: JobServices,
  via: {
    queues: Pick<Queues, 'backup' | 'prune' | 'verify' | 'restore' | 'rehearsal' | 'report' | 'watch'>;
    redis: RedisClient;
  },
  trigger: ResyncTrigger,
): Promise<ResyncResult> {
  const schedules = await syncSchedules(services, { ...via, trigger });
  const expiry = await ensureRestoreExpiryJobs(services, via.queues.restore);
  return { trigger, schedules, expiry };
}

export interface ResyncOptions {
  /** how often to check even without a reconnect; default 60 s */
  everyMs?: number;
  log: LogLine;
  /** called after each run (tests, metrics) */
  onResync?: (result: ResyncResult) => void;
}

export interface RunningResync {
  /** run now (or once more after the run in progress); resolves when that run is done */
  run(trigger: ResyncTrigger): Promise<void>;
  /** no more runs; a run in progress ends on its own (or fails once its connection is closed) */
  stop(): void;
  /** resolves when no run is in progress */
  idle(): Promise<void>;
}

function describeRepairs(r: ResyncResult): string | null {
  const parts: string[] = [];
  const schedules = [...r.schedules.created, ...r.schedules.updated];
  if (schedules.length > 0) parts.push(`job scheduler(s) ${schedules.join(', ')}`);
  if (r.expiry.recreated.length > 0)
    parts.push(`expiry job(s) of restore request(s) ${r.expiry.recreated.join(', ')}`);
  if (parts.length === 0) return null;
  return `Redis no longer held ${parts.join(' and ')}; re-created from the records (${r.trigger})`;
}

/**
 * Watches `connection` (a reconnecting worker connection): every `ready` after the first one is a
 * reconnect and triggers a resync; a timer triggers one every `everyMs`.
 */
export function startResync(
  services: JobServices,
  connection: RedisClient,
  queues: Pick<Queues, 'backup' | 'prune' | 'verify' | 'restore' | 'rehearsal' | 'report' | 'watch'>,
  options: ResyncOptions,
): RunningResync {
  let current: Promise<void> | undefined;
  let again: ResyncTrigger | undefined;
  let stopped = false;

  const once = async (trigger: ResyncTrigger) => {
    try {
      const result = await resyncRedisState(services, { queues, redis: connection }, trigger);
      const repaired = describeRepairs(result);
      if (repaired) options.log(repaired);
      if (result.expiry.expired.length > 0)
        options.log(`expired restore request(s) ${result.expiry.expired.join(', ')} (${trigger} resync)`);
      options.onResync?.(result);
    } catch (err) {
      if (!stopped)
        options.log(`resync of schedules and expiry jobs (${trigger}) failed: ${(err as Error).message}`);
    }
  };
  const run = (trigger: ResyncTrigger): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (current) {
      again = trigger;
      return current;
    }
    current = (async () => {
      let next: ResyncTrigger | undefined = trigger;
      while (next && !stopped) {
        again = undefined;
        await once(next);
        next = again;
      }
      current = undefined;
    })();
    return current;
  };

  const onReady = () => void run('reconnect');
  connection.on('ready', onReady);
  const timer = setInterval(() => void run('periodic'), options.everyMs ?? 60_000);
  timer.unref();
  return {
    run,
    stop() {
      stopped = true;
      clearInterval(timer);
      connection.off('ready', onReady);
    },
    idle: () => current ?? Promise.resolve(),
  };
}
