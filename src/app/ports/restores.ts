/**
 * Restore requests, their per-step results and approvals as callers see them, and the repository
 * contract (records port; async, so PostgreSQL can replace SQLite without touching callers).
 */
import type { RestoreStatus } from '../../core/status.ts';
import type { Failure, FailureCode, SlackMessageRef } from './backups.ts';

export const STEP_STATUSES = ['ok', 'failed', 'not_attempted'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const APPROVAL_DECISIONS = ['approve', 'reject'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export interface Restore {
  id: string;
  connection: string;
  backupId: string;
  requestedBy: string;
  reason: string;
  /** sections the restore is limited to; null = everything */
  onlySections: string[] | null;
  noDeletes: boolean;
  /** an admin's request that may be approved by its requester */
  breakGlass: boolean;
  status: RestoreStatus;
  /** the plan the approval binds to; null until planned */
  planHash: string | null;
  /** fingerprint of the live gateway the plan was computed against */
  liveFingerprint: string | null;
  /** counts per section and operation, warnings, first changes: whatever the card shows */
  planSummary: Record<string, unknown> | null;
  expiresAt: Date;
  approvedBy: string | null;
  preRestoreBackupId: string | null;
  failureReason: string | null;
  /** the kind of failure (null when none, or for records written before codes were stored) */
  failureCode: FailureCode | null;
  slack: SlackMessageRef | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export interface RestoreStep {
  restoreId: string;
  /** position in the plan */
  seq: number;
  phase: string;
  op: string;
  kind: string;
  entityId: string;
  name: string;
  status: StepStatus;
  /** Kong's error (status, code, message, fields), never a request body */
  error: Record<string, unknown> | null;
  at: Date;
}

export interface Approval {
  id: number;
  restoreId: string;
  approver: string;
  decision: ApprovalDecision;
  planHash: string;
  at: Date;
}

export interface NewRestore {
  id?: string;
  connection: string;
  backupId: string;
  requestedBy: string;
  reason: string;
  onlySections?: string[] | null;
  noDeletes?: boolean;
  breakGlass?: boolean;
  expiresAt: Date;
  slack?: SlackMessageRef | null;
}

export interface PlanReady {
  planHash: string;
  liveFingerprint: string;
  planSummary: Record<string, unknown>;
  /** a re-plan may restart the approval window */
  expiresAt?: Date;
}

export type NewRestoreStep = Omit<RestoreStep, 'restoreId' | 'at'>;

export type DecisionRefusal =
  | 'not_found'
  | 'not_awaiting_approval'
  | 'expired'
  | 'self_approval'
  | 'plan_changed'
  | 'not_requester';

/** Approve, reject and cancel are user clicks: a refusal is an answer to show, not an exception. */
export type DecisionResult =
  | { ok: true; restore: Restore; approval: Approval | null }
  | { ok: false; refusal: DecisionRefusal; message: string; restore: Restore | null };

export type FinalRestoreStatus = 'completed' | 'partially_failed' | 'failed';

export interface RestoreRepository {
  /** planned request; throws RestoreInProgressError if the connection already has an active one */
  create(input: NewRestore): Promise<Restore>;
  get(id: string): Promise<Restore | null>;
  /** the request currently holding the connection (planned … running), if any */
  findActive(connection: string): Promise<Restore | null>;
  /** newest first; `before` = id of the last row seen */
  listByConnection(connection: string, options?: { limit?: number; before?: string }): Promise<Restore[]>;
  listByStatus(status: RestoreStatus, options?: { connection?: string; limit?: number }): Promise<Restore[]>;

  /** planned|approved|running → awaiting_approval with the (new) plan; clears any earlier approver */
  markAwaitingApproval(id: string, plan: PlanReady): Promise<Restore>;
  /**
   * awaiting_approval → approved, only if not expired, the plan hash matches the one shown, and the
   * approver is not the requester (unless break-glass). Two concurrent approvals: exactly one `ok`.
   */
  approve(input: { restoreId: string; approver: string; planHash: string }): Promise<DecisionResult>;
  /** awaiting_approval → rejected (recorded as an approval row with decision `reject`) */
  reject(input: { restoreId: string; approver: string }): Promise<DecisionResult>;
  /** planned|awaiting_approval → cancelled, by the requester only */
  cancel(input: { restoreId: string; by: string }): Promise<DecisionResult>;
  /** planned|awaiting_approval → expired if its expiry has passed; null when not due or already moved */
  expire(id: string): Promise<Restore | null>;
  /** expires every due request; returns them (for audit and card updates) */
  expireDue(): Promise<Restore[]>;
  /** approved → running */
  markRunning(id: string): Promise<Restore>;
  /**
   * the running restore's worker is alive: `updatedAt` = now, only while it is `running`. false when it is
   * no longer running (another process took its worker for stopped and failed it: stop writing).
   */
  heartbeat(id: string): Promise<boolean>;
  setPreRestoreBackup(id: string, backupId: string): Promise<Restore>;
  /**
   * running → completed | partially_failed | failed; planned → completed (empty plan) or failed;
   * awaiting_approval|approved → failed. Throws TransitionError when the machine does not allow it.
   */
  finish(
    id: string,
    status: FinalRestoreStatus,
    details?: { failure?: Failure | null; planSummary?: Record<string, unknown> },
  ): Promise<Restore>;
  setSlackMessage(id: string, ref: SlackMessageRef): Promise<void>;

  /** upsert by (restore, seq): a resumed restore overwrites the steps it re-ran */
  recordSteps(restoreId: string, steps: NewRestoreStep[]): Promise<void>;
  listSteps(restoreId: string): Promise<RestoreStep[]>;
  listApprovals(restoreId: string): Promise<Approval[]>;
}
