/**
 * The audit log's rows as the records port stores them. `src/audit` owns what an event may say and the
 * hash chain; a records implementation only stores rows, hands out the chain head under its writer lock
 * (so appenders in several processes never fork the chain) and reads rows back.
 */

export const AUDIT_OUTCOMES = ['ok', 'failed', 'refused'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** The newest row's position and hash: publish it somewhere the database admin cannot rewrite. */
export interface AuditAnchor {
  seq: number;
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

/** What the chain hashes: every stored field but the two hashes. */
export interface AuditRowFields {
  seq: number;
  time: Date;
  actor: string;
  action: string;
  connection: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
}

export interface AuditRow extends AuditRowFields {
  prevHash: string;
  hash: string;
}

/** A stored row exactly as kept, details unparsed, so verification can tell an edited row. */
export interface RawAuditRow extends Omit<AuditRow, 'details' | 'outcome'> {
  outcome: string;
  detailsJson: string;
}

export interface AuditStore {
  /**
   * Under the store's writer lock: reads the chain head (`null` for an empty log) and the highest seq
   * ever used (a removed tail must leave a gap, never be refilled), lets `build` make the row, stores it.
   */
  appendChained(build: (head: AuditAnchor | null, highestSeqEverUsed: number) => AuditRow): Promise<AuditRow>;
  /** newest first */
  list(query: AuditQuery): Promise<AuditRow[]>;
  head(): Promise<AuditAnchor | null>;
  /** up to `limit` rows with a seq above `afterSeq`, oldest first (verification pages through all) */
  rowsAfter(afterSeq: number, limit: number): Promise<RawAuditRow[]>;
  /** the highest seq ever handed out, including rows since removed */
  highestSeqEverUsed(): Promise<number>;
}
