/**
 * The audit rows in SQLite. Appends run in an immediate transaction: the writer lock is taken before the
 * last row is read, so two processes appending at once still produce one unbroken chain. Triggers from
 * migration 0001 refuse UPDATE and DELETE; `src/audit`'s `verify()` catches whoever drops them first.
 */
import { and, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import type { AuditAnchor, AuditQuery, AuditRow, AuditStore, RawAuditRow } from '../app/ports/audit-store.ts';
import type { Db, Orm } from './database.ts';
import { clampLimit } from './repository-deps.ts';
import { auditEvents } from './schema.ts';

interface SqlRow {
  seq: number;
  time: number;
  actor: string;
  action: string;
  connection: string | null;
  target_id: string | null;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export class SqliteAuditStore implements AuditStore {
  private readonly orm: Orm;

  constructor(private readonly db: Db) {
    this.orm = db.orm;
  }

  async appendChained(
    build: (head: AuditAnchor | null, highestSeqEverUsed: number) => AuditRow,
  ): Promise<AuditRow> {
    return this.orm.transaction(
      (tx) => {
        const last = tx
          .select({ seq: auditEvents.seq, hash: auditEvents.hash })
          .from(auditEvents)
          .orderBy(desc(auditEvents.seq))
          .limit(1)
          .get();
        const row = build(last ?? null, this.highestSeq());
        return tx.insert(auditEvents).values(row).returning().get();
      },
      { behavior: 'immediate' },
    );
  }

  async list(query: AuditQuery): Promise<AuditRow[]> {
    const where: (SQL | undefined)[] = [];
    if (query.connection !== undefined) where.push(eq(auditEvents.connection, query.connection));
    if (query.actor !== undefined) where.push(eq(auditEvents.actor, query.actor));
    if (query.action !== undefined) {
      where.push(
        query.action.endsWith('.*')
          ? like(auditEvents.action, `${query.action.slice(0, -1).replace(/[%_\\]/g, '\\$&')}%`)
          : eq(auditEvents.action, query.action),
      );
    }
    if (query.since !== undefined) where.push(gte(auditEvents.time, query.since));
    if (query.beforeSeq !== undefined) where.push(lt(auditEvents.seq, query.beforeSeq));
    return this.orm
      .select()
      .from(auditEvents)
      .where(and(...where))
      .orderBy(desc(auditEvents.seq))
      .limit(clampLimit(query.limit, 50))
      .all();
  }

  async head(): Promise<AuditAnchor | null> {
    const last = this.orm
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1)
      .get();
    return last ?? null;
  }

  async rowsAfter(afterSeq: number, limit: number): Promise<RawAuditRow[]> {
    const rows = this.db.sqlite
      .prepare('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(afterSeq, limit) as SqlRow[];
    return rows.map((row) => ({
      seq: row.seq,
      time: new Date(row.time),
      actor: row.actor,
      action: row.action,
      connection: row.connection,
      targetId: row.target_id,
      outcome: row.outcome,
      detailsJson: row.details,
      prevHash: row.prev_hash,
      hash: row.hash,
    }));
  }

  async highestSeqEverUsed(): Promise<number> {
    return this.highestSeq();
  }

  /** AUTOINCREMENT's high-water mark */
  private highestSeq(): number {
    const seq = this.db.sqlite
      .prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'")
      .pluck()
      .get();
    return typeof seq === 'number' ? seq : 0;
  }
}
