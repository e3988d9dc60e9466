/**
 * startWorkers: one BullMQ Worker per queue (backup, verify, prune, restore, diff, rehearsal, report, watch) on a worker connection
 * (`maxRetriesPerRequest: null`), then the schedule sync and start-up recovery; schedulers and restore
 * expiry jobs are re-synced from the records after every Redis reconnect and periodically (`resync.ts`). `close()` stops fetching
 * and waits for running jobs up to a deadline, then force-closes (bullmq guide/workers/graceful-shutdown.md:
 * `worker.close()` alone has no timeout). Every worker has an `error` listener: an unhandled `error` event
 * would crash the process.
 */
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import {
  BackupFailedError,
  checkDrift,
  checkStaleness,
  expireRestore,
  failSilentRehearsals,
  failSilentRestores,
  heartbeatEveryMs,
  type LogLine,
  pruneConnection,
  RehearsalRefusedError,
  rehearse,
  runBackup,
  runDiff,
  runRestore,
  runRestorePlan,
  runScheduledBackup,
  sweepLeftovers,
  verifyBackup,
  verifyScheduled,
  weeklyReport,
} from '../app/index.ts';
import { jobNotifier, withLogFields } from '../app/log-context.ts';
import {
  type BackupJobData,
  type DiffJobData,
  JOB_NAMES,
  type JobServices,
  openQueues,
  type PruneJobData,
  QUEUE_NAMES,
  type RehearsalJobData,
  type ReportJobData,
  type RestoreJobData,
  type ScheduledBackupJobData,
  type VerifyJobData,
  type WatchJobData,
  workerConnection,
} from './queues.ts';
import { type RecoveryResult, recoverBackups } from './recovery.ts';
import type { RedisClient } from './redis-connection.ts';
import { type RestoreRecoveryResult, recoverRestores, settleFailedRestoreJob } from './restore/recovery.ts';
import { type ResyncResult, type RunningResync, startResync } from './resync.ts';
import { type ScheduleSyncResult, syncSchedules } from './schedules.ts';

/** The BullMQ-facing error for a failure: UnrecoverableError stops retries at once. */
export function toQueueError(err: unknown): Error {
  if (err instanceof BackupFailedError && !err.retryable) return new UnrecoverableError(err.message);
  return err instanceof Error ? err : new Error(String(err));
}

export interface WorkerOptions {
  /** backups at once in this process; default 2 */
  backupConcurrency?: number;
  /** BullMQ lock: a job whose worker stops renewing it for this long is stalled; default 30 s */
  lockDurationMs?: number;
  /** how often this process looks for stalled jobs; default 30 s */
  stalledIntervalMs?: number;
  /**
   * skip the schedule sync (CLI one-shot runs, tests of one queue); also skips re-syncing schedulers and
   * restore expiry jobs after a Redis reconnect and every `resyncEveryMs`
   */
  syncSchedules?: boolean;
  /** how often schedulers and restore expiry jobs are checked against the records; default 60 s */
  resyncEveryMs?: number;
  /** called after every resync (tests) */
  onResync?: (result: ResyncResult) => void;
  /** skip start-up recovery */
  recover?: boolean;
  /**
   * sign an audit checkpoint at start and then every `audit.checkpointEvery` (config); default true.
   * `checkpointEveryMs` overrides the config's interval (tests).
   */
  auditCheckpoints?: boolean;
  checkpointEveryMs?: number;
  /** restore jobs (plan, run, expiry) at once in this process; default 4 (one restore per connection) */
  restoreConcurrency?: number;
  /**
   * the restore worker's lock; default `lockDurationMs` when given, else 120 s. Longer than the others:
   * with maxStalledCount 0 a lock missed while planning 146k entities would fail a healthy restore.
   */
  restoreLockDurationMs?: number;
  log?: LogLine;
}

export interface RunningWorkers {
  workers: Worker[];
  schedules: ScheduleSyncResult | null;
  recovery: RecoveryResult | null;
  restoreRecovery: RestoreRecoveryResult | null;
  /** stop fetching, wait for running jobs up to `deadlineMs` (default 30 s), then force-close */
  close(deadlineMs?: number): Promise<void>;
}

function attemptOf(job: Job) {
  return { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 };
}

function backupProcessor(services: JobServices, shutdown: AbortSignal) {
  return async (job: Job<BackupJobData | ScheduledBackupJobData>) => {
    const attempt = {
      ...attemptOf(job),
      signal: shutdown,
      onProgress: (p: Record<string, unknown>) => void job.updateProgress(p).catch(() => undefined),
    };
    try {
      const backup =
        job.name === JOB_NAMES.scheduledBackup
          ? await runScheduledBackup(services, job.id ?? '', job.data as ScheduledBackupJobData, attempt)
          : await runBackup(services, (job.data as BackupJobData).backupId, attempt);
      return { backupId: backup.id, status: backup.status, unchangedFrom: backup.unchangedFrom };
    } catch (err) {
      throw toQueueError(err);
    }
  };
}

function verifyProcessor(services: JobServices) {
  return async (job: Job<VerifyJobData>) => {
    const data = job.data;
    const reports =
      'backupId' in data
        ? [await verifyBackup(services, data.backupId)]
        : await verifyScheduled(services, data.connection);
    const unopened = reports.filter((r) => !r.ok && r.keyCannotOpen).map((r) => r.backup.id);
    const bad = reports.filter((r) => !r.ok && !r.keyCannotOpen).map((r) => r.backup.id);
    const problems = [
      ...(bad.length > 0 ? [`verify found bad copies of ${bad.join(', ')}`] : []),
      ...(unopened.length > 0 ? [`the key ring does not open ${unopened.join(', ')} (copies intact)`] : []),
    ];
    if (problems.length > 0) throw new Error(problems.join('; '));
    return { verified: reports.map((r) => r.backup.id) };
  };
}

function pruneProcessor(services: JobServices) {
  return async (job: Job<PruneJobData>) => {
    const report = await pruneConnection(services, job.data.connection, {
      dryRun: job.data.dryRun ?? false,
      actor: job.data.requestedBy ?? 'system',
    });
    return {
      removed: report.decisions.filter((d) => d.action === 'remove').map((d) => d.backupId),
      deletedArtifacts: report.deletedArtifacts,
    };
  };
}

/**
 * A scheduled rehearsal runs once (attempts 1): a failed one is a finding recorded and reported, and the
 * next tick tries again. A refusal (no backup yet, the scratch busy) is recorded in the job's result.
 */
function rehearsalProcessor(services: JobServices) {
  return async (job: Job<RehearsalJobData>) => {
    try {
      const r = await rehearse(services, { connection: job.data.connection, requestedBy: 'system' });
      return { rehearsalId: r.id, status: r.status, durationMs: r.durationMs, drift: r.drift };
    } catch (err) {
      if (err instanceof RehearsalRefusedError) return { refused: err.message };
      throw err;
    }
  };
}

/** The weekly report: read from the records, handed to the notifier (Slack posts it to `report.channel`). */
function reportProcessor(services: JobServices) {
  return async (_job: Job<ReportJobData>) => {
    const report = await weeklyReport(services);
    return { connections: report.connections.length };
  };
}

/**
 * Restore jobs run once: a restore is never retried automatically, and `maxStalledCount: 0` makes BullMQ
 * fail a stalled job (its worker died) instead of handing it to another worker to apply again.
 */
function restoreProcessor(services: JobServices) {
  return async (job: Job<RestoreJobData>) => {
    const id = job.data.restoreId;
    if (job.name === JOB_NAMES.restorePlan) {
      const { restore } = await runRestorePlan(services, id);
      return { restoreId: id, status: restore.status };
    }
    if (job.name === JOB_NAMES.restoreExpire) {
      const expired = await expireRestore(services, id);
      return { restoreId: id, expired: expired !== null };
    }
    const restore = await runRestore(services, id, {
      onProgress: (p) => void job.updateProgress({ ...p }).catch(() => undefined),
    });
    return { restoreId: id, status: restore.status };
  };
}

/** A periodic checkpoint; a refusal (the chain broke since the last one) is already announced, logged here too. */
async function takeCheckpoint(services: JobServices, log: LogLine): Promise<void> {
  const r = await services.takeAuditCheckpoint('periodic');
  if (r.refused) log(`AUDIT: ${r.refused}`);
  for (const problem of r.problems) log(`audit checkpoint not published: ${problem}`);
}

/**
 * Runs each job of `queue` with its log fields (queue, job id, job name): the processor gets the services
 * with a notifier that writes every line inside them (`jobNotifier`), so the use case's lines name the job,
 * without async hooks (src/app/log-context.ts). The rest of the services are shared.
 */
function inJobContext<D, R>(
  queue: string,
  services: JobServices,
  processorFor: (services: JobServices) => (job: Job<D>, token?: string) => Promise<R>,
) {
  return (job: Job<D>, token?: string) => {
    const fields = { queue, jobId: job.id ?? '?', ...(job.name ? { job: job.name } : {}) };
    const scoped: JobServices = Object.create(services, {
      notifier: { value: jobNotifier(services.notifier, fields), enumerable: true },
    });
    return withLogFields(fields, () => processorFor(scoped)(job, token));
  };
}

/** Diff jobs run once; the use case reports its result (or failure) to the notifier and never throws. */
function diffProcessor(services: JobServices) {
  return async (job: Job<DiffJobData>) => {
    const outcome = await runDiff(services, job.data);
    return outcome.ok
      ? { diffId: job.data.id, planHash: outcome.plan.planHash, ...outcome.plan.summary }
      : { diffId: job.data.id, failed: outcome.failure.code };
  };
}

/** The watch queue: the dead man's switch over every connection, or a drift check of one. Runs once. */
function watchProcessor(services: JobServices) {
  return async (job: Job<WatchJobData>) => {
    const data = job.data;
    if ('staleness' in data) {
      const results = await checkStaleness(services);
      return { checked: results.map((r) => `${r.connection}:${r.action}`) };
    }
    const outcome = await checkDrift(services, {
      connection: data.connection,
      requestedBy: data.requestedBy ?? 'system',
      ...(data.channel ? { channel: data.channel } : {}),
    });
    return outcome.status === 'drift'
      ? { status: outcome.status, planHash: outcome.plan.planHash, repeat: outcome.repeat }
      : { status: outcome.status };
  };
}

export async function startWorkers(
  services: JobServices,
  options: WorkerOptions = {},
): Promise<RunningWorkers> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const connection: RedisClient = workerConnection(services.redisConfig);
  const common = {
    connection,
    prefix: services.redisPrefix,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 1,
  };
  // fired when the close deadline passes: running backups stop where they are instead of finishing in a
  // process that already said it closed
  const shutdown = new AbortController();
  const workers = [
    new Worker(
      QUEUE_NAMES.backup,
      inJobContext(QUEUE_NAMES.backup, services, (s) => backupProcessor(s, shutdown.signal)),
      {
        ...common,
        concurrency: options.backupConcurrency ?? 2,
      },
    ),
    new Worker(QUEUE_NAMES.verify, inJobContext(QUEUE_NAMES.verify, services, verifyProcessor), {
      ...common,
      concurrency: 1,
    }),
    new Worker(QUEUE_NAMES.prune, inJobContext(QUEUE_NAMES.prune, services, pruneProcessor), {
      ...common,
      concurrency: 1,
    }),
    new Worker(QUEUE_NAMES.restore, inJobContext(QUEUE_NAMES.restore, services, restoreProcessor), {
      ...common,
      lockDuration: options.restoreLockDurationMs ?? options.lockDurationMs ?? 120_000,
      maxStalledCount: 0,
      concurrency: options.restoreConcurrency ?? 4,
    }),
    // a diff reads a whole gateway and an artifact: two at once per process, once each (no retries)
    new Worker(QUEUE_NAMES.diff, inJobContext(QUEUE_NAMES.diff, services, diffProcessor), {
      ...common,
      lockDuration: options.restoreLockDurationMs ?? options.lockDurationMs ?? 120_000,
      concurrency: 2,
    }),
    // a rehearsal restores a whole backup into a scratch gateway: one at a time per process
    new Worker(QUEUE_NAMES.rehearsal, inJobContext(QUEUE_NAMES.rehearsal, services, rehearsalProcessor), {
      ...common,
      lockDuration: options.restoreLockDurationMs ?? options.lockDurationMs ?? 120_000,
      concurrency: 1,
    }),
    new Worker(QUEUE_NAMES.report, inJobContext(QUEUE_NAMES.report, services, reportProcessor), {
      ...common,
      concurrency: 1,
    }),
    // drift checks read a whole gateway; the staleness check reads records only: one at a time
    new Worker(QUEUE_NAMES.watch, inJobContext(QUEUE_NAMES.watch, services, watchProcessor), {
      ...common,
      lockDuration: options.restoreLockDurationMs ?? options.lockDurationMs ?? 120_000,
      concurrency: 1,
    }),
  ];
  for (const w of workers) {
    w.on('error', (err) => log(`worker ${w.name}: ${err.message}`));
    w.on('failed', (job, err) =>
      withLogFields({ queue: w.name, jobId: job?.id ?? '?' }, () =>
        log(`job ${w.name}/${job?.id ?? '?'} failed: ${err.message}`),
      ),
    );
  }
  // A restore job that failed without settling its request (stalled: its worker died) settles it here.
  workers[3]?.on('failed', (job, error) => {
    void settleFailedRestoreJob(services, job as Job<RestoreJobData> | undefined, error).catch((err: Error) =>
      log(`restore recovery: ${err.message}`),
    );
  });

  // Queues on the worker connection, which reconnects for as long as the process runs (the producer's
  // gives up after ~30 s of outage): the schedule sync and the resync after a Redis data loss use them.
  const maintenance = openQueues(connection, services.redisPrefix);
  let resync: RunningResync | undefined;
  let checkpointTimer: NodeJS.Timeout | undefined;
  let silentTimer: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  const close = (deadlineMs = 30_000) => {
    clearInterval(checkpointTimer);
    clearInterval(silentTimer);
    resync?.stop();
    closing ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const graceful = Promise.all(workers.map((w) => w.close())).then(() => true);
      const deadline = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), deadlineMs);
      });
      const inTime = await Promise.race([graceful, deadline]);
      clearTimeout(timer);
      if (!inTime) {
        log(`workers did not finish within ${deadlineMs} ms; closing anyway (their jobs will be retried)`);
        shutdown.abort();
        await Promise.all(workers.map((w) => w.close(true)));
      }
      await Promise.all(Object.values(maintenance).map((q) => q.close()));
      connection.disconnect();
      await resync?.idle();
    })();
    return closing;
  };

  try {
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    const schedules =
      options.syncSchedules === false
        ? null
        : await syncSchedules(services, { queues: maintenance, redis: connection, trigger: 'start' });
    const recovery = options.recover === false ? null : await recoverBackups(services);
    const restoreRecovery = options.recover === false ? null : await recoverRestores(services);
    if (options.recover !== false) {
      for (const swept of await sweepLeftovers(services)) {
        if (swept.problem) log(`temp file sweep of ${swept.target}: ${swept.problem}`);
        else
          log(
            `removed ${swept.removed.length} temp file(s) left by a crashed writer in ${swept.target}: ${swept.removed.join(', ')}`,
          );
      }
    }
    if (options.auditCheckpoints !== false) {
      // the first one before returning: a log cut while no worker ran is reported at start
      await takeCheckpoint(services, log);
      checkpointTimer = setInterval(
        () => void takeCheckpoint(services, log),
        options.checkpointEveryMs ?? services.config.audit.checkpointEveryMs,
      );
      checkpointTimer.unref();
    }
    if (options.recover !== false) {
      // a restore whose worker (in any process) went silent frees its connection without waiting for the
      // job lock to expire (src/app/restore/heartbeat.ts)
      silentTimer = setInterval(() => {
        void failSilentRestores(services).then(
          (failed) => {
            for (const r of failed) log(`restore ${r.id}: ${r.failureReason}`);
          },
          (err: Error) => log(`silent restore check: ${err.message}`),
        );
        void failSilentRehearsals(services).then(
          (failed) => {
            for (const r of failed) log(`rehearsal ${r.id}: ${r.failure?.reason ?? 'failed'}`);
          },
          (err: Error) => log(`silent rehearsal check: ${err.message}`),
        );
      }, heartbeatEveryMs(services));
      silentTimer.unref();
    }
    if (options.syncSchedules !== false) {
      resync = startResync(services, connection, maintenance, {
        everyMs: options.resyncEveryMs,
        log,
        onResync: options.onResync,
      });
    }
    return { workers, schedules, recovery, restoreRecovery, close };
  } catch (err) {
    await close(1000);
    throw err;
  }
}
