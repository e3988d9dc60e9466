/**
 * The BullMQ side: queue names, what each job carries (ids and names only — BullMQ stores job data in
 * clear text in Redis, bullmq docs guide/going-to-production.md "Protecting data"), default job options
 * and the two kinds of Redis connection.
 *
 * - Producers (bot request path, CLI) fail fast: `enableOfflineQueue: false` and one retry per request, so
 *   "Redis is down" surfaces at once instead of hanging (bullmq patterns/failing-fast-when-redis-is-down.md).
 * - Workers use `maxRetriesPerRequest: null`, which BullMQ requires for its blocking commands
 *   (bullmq guide/connections.md).
 * BullMQ's own `prefix` namespaces the keys (never ioredis `keyPrefix`, which BullMQ does not support).
 */
import { type JobsOptions, Queue } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import type { DiffWork } from '../app/ports/work-queue.ts';
import type { Services } from '../app/services.ts';
import type { RedisConfig } from '../config/index.ts';
import { describeRedis, openRedis, type RedisClient } from './redis-connection.ts';

export const QUEUE_NAMES = {
  backup: 'backup',
  verify: 'verify',
  prune: 'prune',
  restore: 'restore',
  diff: 'diff',
  rehearsal: 'rehearsal',
  report: 'report',
  watch: 'watch',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Job names inside the queues. */
export const JOB_NAMES = {
  backup: 'backup',
  scheduledBackup: 'scheduled-backup',
  verify: 'verify',
  verifyScheduled: 'verify-scheduled',
  prune: 'prune',
  restorePlan: 'restore-plan',
  restoreRun: 'restore-run',
  restoreExpire: 'restore-expire',
  diff: 'diff',
  rehearsal: 'rehearsal',
  report: 'report',
  driftCheck: 'drift-check',
  stalenessCheck: 'staleness-check',
} as const;

/** A requested backup: the row exists already; the job id is the backup id. */
export interface BackupJobData {
  backupId: string;
}

/** Produced by a job scheduler: the job creates the `scheduled` row itself. */
export interface ScheduledBackupJobData {
  connection: string;
  schedule: string;
}

export type VerifyJobData = { backupId: string } | { scheduled: true; connection?: string };

export interface PruneJobData {
  connection: string;
  dryRun?: boolean;
  requestedBy?: string;
}

/** Plan, run and expiry jobs of a restore request: the request id only (the plan itself stays in memory). */
export interface RestoreJobData {
  restoreId: string;
}

/**
 * The watch queue (issue 16): a drift check of one connection (scheduled: the connection only; asked
 * from Slack: also who asked and the channel to answer in — ids), or the dead man's switch over all.
 */
export type WatchJobData =
  | { connection: string; requestedBy?: string; channel?: string }
  | { staleness: true };

/** A diff: ids, the sections and the card's reference (the work-queue port's `DiffWork`). */
export type DiffJobData = DiffWork;

/** A scheduled rehearsal of one connection (its config names the scratch target). */
export interface RehearsalJobData {
  connection: string;
}

/** The weekly report (everything it says is read from the records when it runs). */
export interface ReportJobData {
  scheduled: true;
}

export interface RetryPolicy {
  /** total tries of a backup job (first run included) */
  attempts: number;
  /** first backoff; doubles each retry */
  backoffMs: number;
}

/** bullmq guide/retrying-failing-jobs.md; history lives in SQLite, so Redis keeps only recent jobs. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 5000 };

export function backupJobOptions(retry: RetryPolicy): JobsOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    removeOnComplete: { age: 24 * 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

export const ONE_SHOT_JOB_OPTIONS: JobsOptions = {
  attempts: 1,
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export class RedisUnavailableError extends Error {
  constructor(where: string, reason: string) {
    super(`cannot reach ${where}: ${reason}`);
    this.name = 'RedisUnavailableError';
  }
}

/** Opens and waits for a producer connection; throws RedisUnavailableError within `timeoutMs`. */
export async function connectProducer(config: RedisConfig, timeoutMs = 3000): Promise<RedisClient> {
  // Before the first connection, give up after 20 tries (a CLI run fails fast); once connected, keep
  // reconnecting for as long as the process lives: a serve/worker process whose producer gave up after a
  // 30-second Redis outage could never queue a job again (commands still fail fast while it is down).
  let connected = false;
  const options: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: (times) => (!connected && times > 20 ? null : Math.min(times * 200, 2000)),
  };
  const redis = openRedis(config, options);
  redis.once('ready', () => {
    connected = true;
  });
  // reported through the failing command, not as an unhandled event; the first connection's cause (a
  // refused password, an untrusted certificate) is kept: connect() itself only says "Connection is closed"
  let cause: Error | undefined;
  redis.on('error', (err: Error) => {
    if (!connected) cause = err;
  });
  try {
    await withTimeout(redis.connect(), timeoutMs * 3);
  } catch (err) {
    redis.disconnect();
    throw new RedisUnavailableError(describeRedis(config), redisAdvice(cause ?? (err as Error), config));
  }
  return redis;
}

/** The cause in words, with what to check in `redis:`. */
function redisAdvice(err: Error, config: RedisConfig): string {
  const m = err.message;
  if (/WRONGPASS|NOAUTH|invalid username-password/i.test(m)) {
    return `${m} — check redis.username and the password named by redis.passwordEnv/passwordFile`;
  }
  if (/certificate|self.signed|SSL|TLS|unable to verify/i.test(m)) {
    return `${m} — check redis.tls (caFile names the CA that signed the server's certificate)`;
  }
  if (/NOPERM/i.test(m)) return `${m} — the ACL user lacks a permission BullMQ needs (+@all on ~* and &*)`;
  if (config.sentinel && /sentinel|master/i.test(m)) {
    return `${m} — check redis.sentinel.name and nodes (the sentinels must know the master by that name)`;
  }
  return m;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** A connection for workers: BullMQ duplicates it for its blocking client. */
export function workerConnection(config: RedisConfig): RedisClient {
  const redis = openRedis(config, { maxRetriesPerRequest: null, enableReadyCheck: true });
  redis.on('error', () => undefined); // workers report errors through their own `error` listener
  return redis;
}

export interface Queues {
  backup: Queue<BackupJobData | ScheduledBackupJobData>;
  verify: Queue<VerifyJobData>;
  prune: Queue<PruneJobData>;
  restore: Queue<RestoreJobData>;
  diff: Queue<DiffJobData>;
  rehearsal: Queue<RehearsalJobData>;
  report: Queue<ReportJobData>;
  watch: Queue<WatchJobData>;
}

/** What the BullMQ side needs beside the use cases' services: queues, the producer, names, retries. */
export interface JobsRuntime {
  /** the producer-side queues (fail fast); throws when the services were opened without queues */
  readonly queues: Queues;
  /** the producer connection (fail-fast); for locks and ad-hoc reads */
  readonly redis: RedisClient;
  /** where Redis is (`redis:` in the config, with test overrides applied) */
  readonly redisConfig: RedisConfig;
  /** the queue prefix (a `{hash tag}` in a Cluster: `queuePrefix`) */
  readonly redisPrefix: string;
  readonly retry: RetryPolicy;
}

/** What the BullMQ side works with: the use cases' services plus queues and Redis. */
export type JobServices = Services & JobsRuntime;

export function openQueues(connection: RedisClient, prefix: string): Queues {
  return {
    backup: new Queue(QUEUE_NAMES.backup, { connection, prefix }),
    verify: new Queue(QUEUE_NAMES.verify, { connection, prefix }),
    prune: new Queue(QUEUE_NAMES.prune, { connection, prefix }),
    restore: new Queue(QUEUE_NAMES.restore, { connection, prefix }),
    diff: new Queue(QUEUE_NAMES.diff, { connection, prefix }),
    rehearsal: new Queue(QUEUE_NAMES.rehearsal, { connection, prefix }),
    report: new Queue(QUEUE_NAMES.report, { connection, prefix }),
    watch: new Queue(QUEUE_NAMES.watch, { connection, prefix }),
  };
}

/** Jobs per queue in the states an operator watches (for `/metrics`, read when scraped). */
export async function queueCounts(
  queues: Queues,
): Promise<Record<string, { waiting: number; active: number; failed: number; delayed: number }>> {
  const entries = await Promise.all(
    Object.values(queues).map(async (q: Queue) => {
      const c = await q.getJobCounts('waiting', 'active', 'failed', 'delayed');
      return [
        q.name,
        { waiting: c.waiting ?? 0, active: c.active ?? 0, failed: c.failed ?? 0, delayed: c.delayed ?? 0 },
      ] as const;
    }),
  );
  return Object.fromEntries(entries);
}
