/**
 * The work-queue port: how a use case hands work to a worker process. Each call names the work by ids
 * only (the queue may store its data in clear text); adding the same work twice is a no-op, so a retried
 * request cannot queue two runs. BullMQ implements it in `src/jobs/work-queue.ts`.
 */
import type { OnlyEntry } from '../../core/index.ts';
import type { SlackMessageRef } from './backups.ts';

/** A diff of a connection's live gateway against one of its backups, and where its card is. */
export interface DiffWork {
  /** chosen by the caller; the same id twice is one diff */
  id: string;
  connection: string;
  backupId: string;
  only?: OnlyEntry[];
  /** Slack user id or `cli:<user>` */
  requestedBy: string;
  /** the card the result edits, when one was posted */
  slack?: SlackMessageRef | null;
}

/** A drift check asked for by someone (`/kong drift`): answered in `channel` whatever it finds. */
export interface DriftWork {
  /** chosen by the caller; the same id twice is one check */
  id: string;
  connection: string;
  requestedBy: string;
  /** the Slack channel to answer in */
  channel?: string | null;
}

export interface WorkQueue {
  /** runs the backup whose record exists already (retried with backoff on retryable failures) */
  backup(backupId: string): Promise<void>;
  /** verifies every copy of one backup */
  verify(backupId: string): Promise<void>;
  /** plans a restore request (runs once) */
  restorePlan(restoreId: string): Promise<void>;
  /** applies an approved restore; one run per approval */
  restoreRun(restoreId: string, approvalId: number): Promise<void>;
  /** expires the request at `expiresAt` if nobody decided by then */
  restoreExpiry(restoreId: string, expiresAt: Date): Promise<void>;
  /** computes a diff and reports it through the notifier (runs once) */
  diff(work: DiffWork): Promise<void>;
  /** compares the live gateway with its newest backup now (runs once; src/app/watch/drift.ts) */
  drift(work: DriftWork): Promise<void>;
}
