/**
 * What the bot needs from the jobs module's restore layer (requestRestore, approve/reject/cancel), as
 * one narrow interface, and the restore events the jobs report to the notifier. `BotServices` carries it
 * as `restoreRequests`; a server built without it answers that restores do not run here.
 */
import type {
  Authorize,
  BackupSelector,
  FailedStep,
  RestoreDecision,
  RestoreEvent,
  RestoreRequested,
  RestoreRequestInput,
  RestoreResult,
  UndoTarget,
} from '../app/index.ts';

// The restore vocabulary is the jobs module's (src/jobs/restore/types.ts); type-only imports, so the
// bot's views and tests load no jobs code. The bot's names stay as aliases.
export type { RestoreRequested, RestoreRequestInput };
export type RestoreBackupChoice = BackupSelector;
/** Asked at click time: does `user` hold `role` (or more) on `connection` right now? */
export type ApproverCheck = Authorize;
export type RestoreDecisionResult = RestoreDecision;

export interface RestoreRequests {
  /** Creates the request and enqueues its plan job; throws (with a message for people) when refused. */
  request(input: RestoreRequestInput): Promise<RestoreRequested>;
  /** `planHash`: the plan the approver saw; a different current plan is refused (`plan_changed`). */
  approve(input: {
    restoreId: string;
    approver: string;
    authorize: ApproverCheck;
    planHash?: string;
    /** how the approver was identified (Slack: the signed request), recorded on `restore.approved` */
    proof?: { method: 'slack-signed-request' };
  }): Promise<RestoreDecisionResult>;
  reject(input: { restoreId: string; by: string; authorize: ApproverCheck }): Promise<RestoreDecisionResult>;
  cancel(input: { restoreId: string; by: string; authorize: ApproverCheck }): Promise<RestoreDecisionResult>;
  /** The pre-restore backup Undo would restore, or why it cannot (backup pruned, failed, file missing). */
  undoTarget(restoreId: string): Promise<UndoTarget>;
}

/** A step of a partial apply that did not go through, with Kong's error in words. */
export type FailedRestoreStep = FailedStep;
export type RestoreRunResult = RestoreResult;
/**
 * A restore event as the bot's cards read it: the jobs' `RestoreEvent` (what `Notifier.restoreChanged`
 * receives), loosened so the bot can also redraw a card from a bare record (`{ restore }`, phase from
 * its status) and show progress as done/total only.
 */
export type RestoreNotice = Omit<RestoreEvent, 'phase' | 'progress'> & {
  phase?: string;
  progress?: { done: number; total: number };
};
