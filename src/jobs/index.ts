/**
 * src/jobs — the BullMQ adapter: queues and what each job carries, the work-queue port over BullMQ,
 * the workers that call the use cases in `src/app`, schedules, start-up recovery and the Redis lock.
 */
export {
  type BackupJobData,
  DEFAULT_RETRY,
  type DiffJobData,
  JOB_NAMES,
  type JobServices,
  type JobsRuntime,
  type PruneJobData,
  QUEUE_NAMES,
  type Queues,
  queueCounts,
  RedisUnavailableError,
  type RestoreJobData,
  type RetryPolicy,
  type ScheduledBackupJobData,
  type VerifyJobData,
  type WatchJobData,
} from './queues.ts';
export { backupIdOfJob, type RecoveryResult, recoverBackups } from './recovery.ts';
export { LockTimeoutError, withRedisLock } from './redis-lock.ts';
export {
  failStoppedRestore,
  type RestoreRecoveryResult,
  recoverRestores,
  settleFailedRestoreJob,
} from './restore/recovery.ts';
export {
  type ExpiryResyncResult,
  ensureRestoreExpiryJobs,
  type ResyncResult,
  type ResyncTrigger,
  resyncRedisState,
  startResync,
} from './resync.ts';
export {
  type DesiredScheduler,
  desiredSchedulers,
  type ScheduleSyncResult,
  type ScheduleSyncVia,
  syncSchedules,
} from './schedules.ts';
export {
  addRestoreExpiryJob,
  bullmqWorkQueue,
  diffJobId,
  expireJobId,
  planJobId,
  runJobId,
} from './work-queue.ts';
export { type RunningWorkers, startWorkers, toQueueError, type WorkerOptions } from './worker.ts';
