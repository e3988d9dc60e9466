/**
 * The audit log as callers see it. Async so a PostgreSQL twin can implement it; `SqliteAuditLog` is
 * the SQLite one.
 */
import type { AuditOutcome } from '../db/schema.ts';
import type { AuditAction, AuditEventInput } from './actions.ts';

export type { AuditAction, AuditEventInput, AuditOutcome };

export interface AuditEvent {
  seq: number;
  time: Date;
  actor: string;
  action: AuditAction;
  connection: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditQuery {
  connection?: string;
  actor?: string;
  /** an exact action (`restore.approved`) or a family (`restore.*`) */
  action?: string;
  /** events at or after this time */
  since?: Date;
  /** default 50, at most 1000 */
  limit?: number;
  /** events with a smaller seq (the next page after the last one seen) */
  beforeSeq?: number;
}

/** The newest row's position and hash: publish it somewhere the database admin cannot rewrite. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** rows checked */
  checked: number;
  head: AuditAnchor | null;
  /** the first row that was edited, removed or moved, and how it shows */
  firstBroken?: { seq: number; reason: string };
}

export interface AuditLog {
  /** validates (actor, action, no secrets in details), chains and stores one event */
  append(input: AuditEventInput): Promise<AuditEvent>;
  /** newest first */
  list(query?: AuditQuery): Promise<AuditEvent[]>;
  /** recomputes the whole chain; with an anchor, also proves no rows after it were cut off */
  verify(options?: { anchor?: AuditAnchor }): Promise<AuditVerifyResult>;
  head(): Promise<AuditAnchor | null>;
}
