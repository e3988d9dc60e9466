/**
 * src/jobs — BullMQ queues, workers and the backup/verify/prune jobs. The bot and the CLI use only what is
 * exported here.
 */
export { type BackupAttempt, BackupFailedError, runBackup, toQueueError } from './backup-job.ts';
export { contentSha256 } from './content-hash.ts';
export {
  type CreateServicesOptions,
  createServices,
  KeyRingUnavailableError,
  type Services,
  UnknownConnectionError,
} from './context.ts';
export { describeFailure, describeJobFailure, type FailureContext, type JobFailure } from './failure.ts';
export {
  type BackupEvent,
  type BackupPhase,
  CompositeNotifier,
  ConsoleNotifier,
  type CopyVerifyOutcome,
  type LogLine,
  type Notifier,
  type PruneDecision,
  type PruneEvent,
  type RecordEvent,
  SILENT_NOTIFIER,
  safeNotify,
  type VerifyEvent,
} from './notifier.ts';
export { type PruneReport, pruneConnection, takenAt } from './prune-job.ts';
export {
  type BackupJobData,
  DEFAULT_RETRY,
  JOB_NAMES,
  type PruneJobData,
  QUEUE_NAMES,
  type Queues,
  RedisUnavailableError,
  type RestoreJobData,
  type RetryPolicy,
  type ScheduledBackupJobData,
  type VerifyJobData,
} from './queues.ts';
export { backupIdOfJob, type RecoveryResult, recoverBackups } from './recovery.ts';
export { LockTimeoutError, withRedisLock } from './redis-lock.ts';
export { type BackupRequest, enqueueBackupJob, requestBackup } from './request-backup.ts';
export * from './restore/index.ts';
export { runScheduledBackup, scheduledBackupId } from './scheduled-backup.ts';
export {
  type DesiredScheduler,
  desiredSchedulers,
  type ScheduleSyncResult,
  syncSchedules,
} from './schedules.ts';
export {
  type SyncProgress,
  type SyncReport,
  syncStorage,
  syncTargets,
  UnknownTargetError,
} from './storage-sync.ts';
export {
  liveCompleted,
  NotVerifiableError,
  pickScheduledVerifications,
  type VerifyReport,
  verifyAll,
  verifyBackup,
  verifyScheduled,
} from './verify-job.ts';
export { type RunningWorkers, startWorkers, type WorkerOptions } from './worker.ts';
