/** src/app/restore — restore requests: request, plan, decisions, run, expiry, undo. */

export { credentialSha256, type ProvenApprover, proveApprover } from './approver-proof.ts';
export { auditRestore, notifyRestore } from './audit.ts';
export { approveRestore, cancelRestore, rejectRestore } from './decisions.ts';
export { approvalExpiresAt, expireDueRestores, expireRestore } from './expiry.ts';
export {
  blockedNotice,
  failSilentRestores,
  heartbeatEveryMs,
  STALE_BEATS,
  staleAfterMs,
  stoppedAfter,
} from './heartbeat.ts';
export {
  BackupIntegrityError,
  type OpenedBackup,
  verifyAndOpenBackup,
  verifyAndOpenBackupFrom,
} from './integrity.ts';
export { planConnection } from './live.ts';
export { finishRestore } from './outcome.ts';
export { type PlanOutcome, runRestorePlan } from './plan-job.ts';
export { type RequestOptions, requestRestore, selectBackup, slackLink } from './request.ts';
export { type RunOptions, runRestore, WORKER_STOPPED, WORKER_STOPPED_REASON } from './run-job.ts';
export {
  actedChanges,
  buildPlanSummary,
  type PlanSummary,
  SUMMARY_CHANGES,
  SUMMARY_NOTES,
  type SummaryChange,
} from './summary.ts';
export * from './types.ts';
export { requestUndo, type UndoTarget, undoReason, undoTarget } from './undo.ts';
