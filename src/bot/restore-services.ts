/**
 * What the bot needs from the jobs module's restore layer (requestRestore, approve/reject/cancel), as
 * one narrow interface, and the restore events the jobs report to the notifier. `BotServices` carries it
 * as `restoreRequests`; a server built without it answers that restores do not run here.
 */
import type { Section } from '../core/index.ts';
import type { Backup, Restore, RestoreStep, SlackMessageRef } from '../db/index.ts';

export type RestoreBackupChoice =
  | { kind: 'id'; id: string }
  | { kind: 'latest' }
  | { kind: 'at'; time: Date };

export interface RestoreRequestInput {
  connection: string;
  backup: RestoreBackupChoice;
  only?: Section[];
  noDeletes?: boolean;
  breakGlass?: boolean;
  reason: string;
  requestedBy: string;
  /** the card that becomes the thread root */
  slack?: SlackMessageRef;
}

export interface RestoreRequested {
  restore: Restore;
  backup: Backup;
  /** with `--at`: how long before the requested time the picked backup was taken */
  gapMs?: number;
}

/** Decides whether `user` may approve or reject on `connection` right now (roles, incl. user groups). */
export type ApproverCheck = (user: string, connection: string) => Promise<boolean>;

export type RestoreDecisionResult =
  | { ok: true; restore: Restore }
  | { ok: false; refusal: string; message: string; restore?: Restore | null };

export interface RestoreRequests {
  /** Creates the request and enqueues its plan job; throws (with a message for people) when refused. */
  request(input: RestoreRequestInput): Promise<RestoreRequested>;
  approve(input: {
    restoreId: string;
    approver: string;
    authorize: ApproverCheck;
  }): Promise<RestoreDecisionResult>;
  reject(input: { restoreId: string; by: string; authorize: ApproverCheck }): Promise<RestoreDecisionResult>;
  cancel(input: { restoreId: string; by: string }): Promise<RestoreDecisionResult>;
}

/** Where a restore is, as the jobs report it; the card and thread show these. */
export type RestorePhase =
  | 'planning'
  | 'awaiting_approval'
  | 'approved'
  | 'pre_restore_backup'
  | 'replanned'
  | 'applying'
  | 'verifying'
  | 'finished'
  | 'expired'
  | 'rejected'
  | 'cancelled';

/** One restore event (structurally what `src/jobs` passes to `Notifier.restoreChanged`). */
export interface RestoreNotice {
  restore: Restore;
  phase?: string;
  /** the plan awaiting approval (new or re-planned): the card shows it, the full diff goes to a file */
  plan?: import('../core/index.ts').Plan;
  backup?: Backup;
  message?: string;
  progress?: { done: number; total: number };
  /** failed steps of a partial apply, with Kong's messages */
  steps?: RestoreStep[];
  /** entities still differing after the apply (0 = zero drift) */
  drift?: number;
}
