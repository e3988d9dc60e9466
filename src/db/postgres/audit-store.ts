/**
 * The audit rows in PostgreSQL. An append is one transaction that first locks the `audit_head` row
 * (`SELECT … FOR UPDATE`): appenders in any number of processes queue on that lock, and each one reads
 * the chain's last row only once the previous appender has committed, so the chain never forks. The
 * head row also keeps the highest seq ever used (SQLite's `sqlite_sequence` does that there), so a tail
 * removed by someone who dropped the append-only triggers first is still noticed by `verify()`.
 * Triggers from migration 0001 refuse UPDATE, DELETE and TRUNCATE.
 */
import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type {
  AuditAnchor,
  AuditQuery,
  AuditRow,
  AuditStore,
  RawAuditRow,
} from '../../app/ports/audit-store.ts';
import { clampLimit } from '../repository-deps.ts';
import type { PgDb, PgOrm } from './database.ts';
import { auditEvents, auditHead } from './schema.ts';

interface SqlRow {
  seq: string;
  time: Date;
  actor: string;
  action: string;
  connection: string | null;
  target_id: string | null;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/** `restore.*` → rows whose action starts with `restore.` (LIKE with its wildcards escaped) */
function actionFamily(prefix: string): SQL {
  const pattern = `${prefix.replace(/[%_\\]/g, '\\$&')}%`;
  // ILIKE: SQLite's LIKE ignores ASCII case, and the SQLite store relies on it
  return sql`${auditEvents.action} ilike ${pattern}`;
}

export class PostgresAuditStore implements AuditStore {
  private readonly orm: PgOrm;

  constructor(private readonly db: PgDb) {
    this.orm = db.orm;
  }

  async appendChained(
    build: (head: AuditAnchor | null, highestSeqEverUsed: number) => AuditRow,
  ): Promise<AuditRow> {
    return this.orm.transaction(async (tx) => {
      const [lock] = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
      if (!lock) throw new Error('audit_head has no row: the audit log was not migrated (migration 0001)');
      const [last] = await tx
        .select({ seq: auditEvents.seq, hash: auditEvents.hash })
        .from(auditEvents)
        .orderBy(desc(auditEvents.seq))
        .limit(1);
      const row = build(last ?? null, lock.highestSeq);
      const [stored] = await tx.insert(auditEvents).values(row).returning();
      await tx.update(auditHead).set({ highestSeq: row.seq }).where(eq(auditHead.id, 1));
      return stored!;
    });
  }

  async list(query: AuditQuery): Promise<AuditRow[]> {
    const where: (SQL | undefined)[] = [];
    if (query.connection !== undefined) where.push(eq(auditEvents.connection, query.connection));
    if (query.actor !== undefined) where.push(eq(auditEvents.actor, query.actor));
    if (query.action !== undefined) {
      where.push(
        query.action.endsWith('.*')
          ? actionFamily(query.action.slice(0, -1))
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
      .limit(clampLimit(query.limit, 50));
  }

  async head(): Promise<AuditAnchor | null> {
    const [last] = await this.orm
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    return last ?? null;
  }

  /** details as the text stored (`json` keeps it byte for byte), so an edited row is told apart */
  async rowsAfter(afterSeq: number, limit: number): Promise<RawAuditRow[]> {
    const { rows } = await this.db.pool.query<SqlRow>(
      `SELECT seq, time, actor, action, connection, target_id, outcome, details::text AS details, prev_hash, hash
         FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      time: row.time,
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
    const [head] = await this.orm.select().from(auditHead).where(eq(auditHead.id, 1));
    return head?.highestSeq ?? 0;
  }
}
