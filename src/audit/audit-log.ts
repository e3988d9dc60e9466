/**
 * The audit log as callers see it. `ChainedAuditLog` implements it once over any records
 * implementation's `AuditStore` (the records port).
 */
import type { AuditAnchor, AuditOutcome, AuditQuery } from '../app/ports/audit-store.ts';
import type { AuditAction, AuditEventInput } from './actions.ts';

export type { AuditAction, AuditAnchor, AuditEventInput, AuditOutcome, AuditQuery };

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
  /**
   * Proves the chain still extends `from` (a checkpoint's head): row `from.seq` still has that hash and
   * every row after it chains on, nothing cut from the end. Reads only the rows after `from`.
   */
  verifyFrom(from: AuditAnchor): Promise<AuditVerifyResult>;
  head(): Promise<AuditAnchor | null>;
}
