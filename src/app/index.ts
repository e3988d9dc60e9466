/**
 * src/app — the application layer: the use cases as plain async functions over `Services` (the ports).
 * Slack handlers, CLI verbs and the BullMQ processors call these and re-implement none of them.
 */
export { contentSha256 } from './backups/content-hash.ts';
export { type BackupRequest, requestBackup } from './backups/request-backup.ts';
export { type BackupAttempt, BackupFailedError, runBackup } from './backups/run-backup.ts';
export { derivedBackupId, runScheduledBackup, scheduledBackupId } from './backups/scheduled-backup.ts';
export {
  type DiffOutcome,
  type DiffReadFrom,
  diffableBackup,
  openBackupSnapshot,
  requestDiff,
  runDiff,
} from './diff.ts';
export { describeFailure, describeJobFailure, type FailureContext, type JobFailure } from './failure.ts';
export { failureAdvice } from './failure-advice.ts';
export {
  type ErasureReport,
  type ErasureRequest,
  erasePersonalData,
  findPersonalData,
  type Holding,
  type PersonalDataReport,
} from './gdpr.ts';
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
export { planOnGateway } from './plan-against-live.ts';
export type { DiffWork, WorkQueue } from './ports/work-queue.ts';
export { type PruneReport, pruneConnection, takenAt } from './prune.ts';
export {
  describeRehearsal,
  failSilentRehearsals,
  pickRehearsalBackup,
  RehearsalRefusedError,
  type RehearseInput,
  rehearsalTarget,
  rehearse,
} from './rehearsals.ts';
export {
  buildReport,
  type ConnectionReport,
  storageAt,
  type WeeklyReport,
  type WeeklyReportEvent,
  weeklyReport,
} from './report.ts';
export * from './restore/index.ts';
export {
  findConnection,
  KeyRingUnavailableError,
  lookupConnection,
  type Services,
  UnknownConnectionError,
} from './services.ts';
export {
  type StorageOverviewDeps,
  type StorageTargetView,
  storageOverview,
  type TargetCheck,
} from './storage-overview.ts';
export {
  type SyncProgress,
  type SyncReport,
  syncStorage,
  syncTargets,
  UnknownTargetError,
} from './storage-sync.ts';
export { type SweptLocation, sweepLeftovers } from './sweep.ts';
export {
  liveCompleted,
  NotVerifiableError,
  pickScheduledVerifications,
  type VerifyReport,
  verifyAll,
  verifyBackup,
  verifyScheduled,
} from './verify.ts';
export * from './watch/index.ts';
