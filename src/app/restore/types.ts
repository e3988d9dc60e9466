/**
 * The restore service's vocabulary: what a request names, what a decision answers, what the notifier is
 * told. Shared by the bot (Slack), the CLI and the jobs; records come from `src/db`, plans from `src/core`.
 */

import type { OnlyEntry, Plan, StepPhase } from '../../core/index.ts';
import type { AssignedId } from '../ports/gateway.ts';
import type { Backup, DecisionRefusal, Restore, SlackMessageRef } from '../ports/records.ts';

/**
 * Which backup to restore: by id, the newest completed one, or the newest at or before a time. `latest`
 * and `at` skip `pre-restore` backups unless `includePreRestore`: right after a restore the newest backup
 * is the broken state that restore replaced, never what "latest" should mean. A pre-restore backup is
 * still restorable by id (that is what Undo does).
 */
export type BackupSelector =
  | { kind: 'id'; id: string }
  | { kind: 'latest'; includePreRestore?: boolean }
  | { kind: 'at'; time: Date; includePreRestore?: boolean };

export interface RestoreRequestInput {
  connection: string;
  backup: BackupSelector;
  /** limit the restore to these sections; absent or empty = everything */
  only?: OnlyEntry[];
  /** keep entities that exist only on the gateway */
  noDeletes?: boolean;
  /** an admin's request that may be approved by its requester (the caller checks the admin role) */
  breakGlass?: boolean;
  reason: string;
  /** Slack user id or `cli:<user>` */
  requestedBy: string;
  /** the card the request belongs to */
  slack?: SlackMessageRef;
}

export interface RestoreRequested {
  restore: Restore;
  backup: Backup;
  /**
   * with `{ kind: 'at' }`: how long before the asked-for time the chosen backup was taken, in whole
   * seconds × 1000 (both times cut to the second, the precision lists show)
   */
  gapMs?: number;
}

/** A request refused before anything was recorded: the message is safe to show the requester. */
export class RestoreRefusedError extends Error {
  constructor(
    message: string,
    /** with `already_active`: the request holding the connection */
    readonly activeRestoreId?: string,
  ) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

/** the role a decision needs: `operator` to cancel, `approver` to approve or reject, `admin` for a break-glass self-approval */
export type ApprovalRole = 'operator' | 'approver' | 'admin';

/** Asked at click time: does `user` hold `role` (or more) on `connection` right now? */
export type Authorize = (connection: string, user: string, role: ApprovalRole) => Promise<boolean>;

export type RestoreDecisionRefusal = DecisionRefusal | 'not_authorized' | 'unproven_approver';

/** How the approver proved who they are; recorded on `restore.approved` (src/app/restore/approver-proof.ts). */
export type ApproverProof =
  /** Slack signed the request that names the user */
  | { method: 'slack-signed-request' }
  /** the CLI: the approver's own credential, matched against `approvers[]` (its SHA-256 prefix) */
  | { method: 'approver-credential'; fingerprint: string }
  /** no proof (refused, audited with the problem) */
  | { method: 'unproven'; problem: string };

/** Approve/reject/cancel: a refusal is an answer to show (ephemeral in Slack), never an exception. */
export type RestoreDecision =
  | { ok: true; restore: Restore }
  | { ok: false; refusal: RestoreDecisionRefusal; message: string };

export interface ApproveInput {
  restoreId: string;
  approver: string;
  authorize: Authorize;
  /** the plan hash the approver saw (the Slack button carries it); default: the request's current plan */
  planHash?: string;
  /** recorded in the audit details (`cli:<os user>` when the CLI approves for `--as <user>`) */
  actor?: string;
  /**
   * how the approver proved who they are. With `approver-credential` (the CLI) the requester can never
   * approve, break-glass or not; `unproven` is refused.
   */
  proof?: ApproverProof;
  /** the approver's other identities (their CLI login `cli:<user>`): none of them may be the requester */
  sameAs?: readonly string[];
}

export interface RejectInput {
  restoreId: string;
  by: string;
  authorize: Authorize;
  actor?: string;
  /** how `by` proved who they are (the CLI: their approver credential); `unproven` is refused */
  proof?: ApproverProof;
}

export interface CancelInput {
  restoreId: string;
  by: string;
  /** asked for `operator` on the request's connection (the repository then allows only the requester) */
  authorize: Authorize;
  actor?: string;
}

/**
 * Where a request stands, for cards and logs:
 * - `requested` (row created, planning queued), `awaiting_approval` (plan ready: `plan` set),
 * - `approved`, `rejected`, `cancelled`, `expired`, `refused` (a click was refused: `message`, `actor`),
 * - `started` (restore job running), `pre_restore_backup` (safety backup taken: `preRestoreBackupId`),
 * - `replan_required` (gateway changed since approval: `plan` is the new plan, approval asked again),
 * - `applying` (`progress`), `verifying`, `finished` (terminal status; `result` when something ran).
 */
export type RestorePhase =
  | 'requested'
  | 'awaiting_approval'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'refused'
  | 'started'
  | 'pre_restore_backup'
  | 'replan_required'
  | 'applying'
  | 'verifying'
  | 'finished';

export interface ApplyProgressEvent {
  phase: StepPhase;
  level: number;
  done: number;
  total: number;
}

export interface FailedStep {
  seq: number;
  op: string;
  kind: string;
  name: string;
  /** Kong's error: status, code and message */
  error: string;
}

export interface RestoreResult {
  applied: number;
  failed: number;
  notAttempted: number;
  /** steps a fresh plan against the gateway still has after the apply (0 = zero drift) */
  drift: number | null;
  failedSteps: FailedStep[];
  /** the ids the gateway assigned anew (AWS API Gateway; the first 1000), and how many there were */
  idMapping?: AssignedId[];
  idsAssigned?: number;
}

export interface RestoreEvent {
  restore: Restore;
  phase: RestorePhase;
  /**
   * The full plan (awaiting_approval, replan_required): in-process only, never stored or queued. Render it
   * with `renderDiffText(plan)` (secrets redacted) for the diff file.
   */
  plan?: Plan;
  /** the backup being restored */
  backup?: Backup | null;
  progress?: ApplyProgressEvent;
  result?: RestoreResult;
  /** the safety backup taken before writing: Undo restores it */
  preRestoreBackupId?: string | null;
  /** who acted (approve/reject/cancel/refused) */
  actor?: string;
  /** approved by its requester under break-glass */
  breakGlass?: boolean;
  message?: string;
}
