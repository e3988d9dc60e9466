/**
 * Moving an installation's records from SQLite to PostgreSQL (`snapgate db copy`): every row of every
 * table, ids, times and statuses as they are, in one PostgreSQL transaction — a failure leaves the target
 * as it was. Audit rows are copied as stored (the details' text byte for byte, seq and both hashes), and
 * the chain's high-water mark goes along (`sqlite_sequence` → `audit_head.highest_seq`), so the copied
 * chain verifies exactly as the source did and a tail removed before the move is still reported.
 * A target that already holds records is refused unless `replace` says to empty it first.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { RawAuditRow } from '../app/ports/audit-store.ts';
import type { Db } from './database.ts';
import type { PgDb } from './postgres/database.ts';
import * as pgs from './postgres/schema.ts';
import * as lite from './schema.ts';
import { SqliteAuditStore } from './sqlite-audit-store.ts';

/** Tables in the order their rows can be inserted (parents first). */
const TABLES = [
  'backups',
  'backup_copies',
  'verifications',
  'restores',
  'restore_steps',
  'approvals',
  'rehearsals',
  'watch_states',
  'audit_events',
] as const;
export type CopiedTable = (typeof TABLES)[number];
export type TableCounts = Record<CopiedTable, number>;

/** rows per INSERT (PostgreSQL takes at most 65535 parameters; backups have 24 columns) */
const BATCH = 1000;

export class TargetNotEmptyError extends Error {
  constructor(readonly counts: TableCounts) {
    const held = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ');
    super(`the target already holds records (${held}); empty it or pass --replace to overwrite them`);
    this.name = 'TargetNotEmptyError';
  }
}

export interface CopyResult {
  copied: TableCounts;
  /** rows the target held and `replace` removed first */
  replaced: TableCounts | null;
  /** the source's highest audit seq ever used, now the target's */
  auditHighestSeq: number;
}

type Exec = { execute(query: SQL): Promise<{ rows: Record<string, unknown>[] }> };

async function countRows(db: Exec): Promise<TableCounts> {
  const counts = {} as TableCounts;
  for (const table of TABLES) {
    const { rows } = await db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/** the rows each SQLite table hands over, mapped by drizzle (Dates, booleans, parsed JSON) */
function sourceRows(source: Db) {
  const o = source.orm;
  return {
    backups: () => o.select().from(lite.backups).all(),
    backup_copies: () => o.select().from(lite.backupCopies).all(),
    verifications: () => o.select().from(lite.verifications).all(),
    restores: () => o.select().from(lite.restores).all(),
    restore_steps: () => o.select().from(lite.restoreSteps).all(),
    approvals: () => o.select().from(lite.approvals).all(),
    rehearsals: () => o.select().from(lite.rehearsals).all(),
    watch_states: () => o.select().from(lite.watchStates).all(),
  };
}

export async function copySqliteToPostgres(
  source: Db,
  target: PgDb,
  options: { replace?: boolean } = {},
): Promise<CopyResult> {
  const from = sourceRows(source);
  // the audit rows as the SQLite audit store keeps them (details unparsed: the chain hashes that text)
  const auditStore = new SqliteAuditStore(source);
  const audit = await auditStore.rowsAfter(0, Number.MAX_SAFE_INTEGER);
  const auditHighestSeq = Math.max(await auditStore.highestSeqEverUsed(), audit.at(-1)?.seq ?? 0);

  return target.orm.transaction(async (tx) => {
    const held = await countRows(tx);
    let replaced: TableCounts | null = null;
    if (Object.values(held).some((n) => n > 0)) {
      if (!options.replace) throw new TargetNotEmptyError(held);
      // The append-only triggers refuse exactly this; they are switched off for this transaction's
      // statements only (ALTER TABLE is transactional) and back on before it commits.
      await tx.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER USER`);
      await tx.execute(sql`ALTER TABLE audit_head DISABLE TRIGGER USER`);
      for (const table of [...TABLES].reverse()) await tx.execute(sql`DELETE FROM ${sql.identifier(table)}`);
      await tx.execute(sql`UPDATE audit_head SET highest_seq = 0 WHERE id = 1`);
      await tx.execute(sql`ALTER TABLE audit_events ENABLE TRIGGER USER`);
      await tx.execute(sql`ALTER TABLE audit_head ENABLE TRIGGER USER`);
      replaced = held;
    }

    const insert = async <T extends Record<string, unknown>>(
      table: Parameters<typeof tx.insert>[0],
      rows: T[],
    ) => {
      for (let i = 0; i < rows.length; i += BATCH) await tx.insert(table).values(rows.slice(i, i + BATCH));
    };
    await insert(pgs.backups, from.backups());
    await insert(pgs.backupCopies, from.backup_copies());
    await insert(pgs.verifications, from.verifications());
    await insert(pgs.restores, from.restores());
    await insert(pgs.restoreSteps, from.restore_steps());
    await insert(pgs.approvals, from.approvals());
    await insert(pgs.rehearsals, from.rehearsals());
    await insert(pgs.watchStates, from.watch_states());
    for (let i = 0; i < audit.length; i += BATCH) {
      const rows = audit.slice(i, i + BATCH);
      const col = <K extends keyof RawAuditRow>(k: K) => rows.map((r) => r[k]);
      // one parameter holding the whole array (a bare array in sql`` would become a list of parameters)
      const p = (values: unknown[]) => sql.param(values);
      await tx.execute(sql`INSERT INTO audit_events
        (seq, time, actor, action, connection, target_id, outcome, details, prev_hash, hash)
        SELECT a.seq, a.time, a.actor, a.action, a.connection, a.target_id, a.outcome, a.details::json,
               a.prev_hash, a.hash
        FROM unnest(${p(col('seq'))}::bigint[], ${p(rows.map((r) => r.time.toISOString()))}::timestamptz[],
                    ${p(col('actor'))}::text[], ${p(col('action'))}::text[], ${p(col('connection'))}::text[],
                    ${p(col('targetId'))}::text[], ${p(col('outcome'))}::text[], ${p(col('detailsJson'))}::text[],
                    ${p(col('prevHash'))}::text[], ${p(col('hash'))}::text[])
          AS a(seq, time, actor, action, connection, target_id, outcome, details, prev_hash, hash)`);
    }
    await tx.execute(sql`UPDATE audit_head SET highest_seq = ${auditHighestSeq} WHERE id = 1`);
    // identity columns continue after the copied ids
    for (const table of ['verifications', 'approvals']) {
      await tx.execute(
        sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), coalesce((SELECT max(id) FROM ${sql.identifier(table)}), 0) + 1, false)`,
      );
    }

    const copied = await countRows(tx);
    const expected: TableCounts = {
      backups: from.backups().length,
      backup_copies: from.backup_copies().length,
      verifications: from.verifications().length,
      restores: from.restores().length,
      restore_steps: from.restore_steps().length,
      approvals: from.approvals().length,
      rehearsals: from.rehearsals().length,
      watch_states: from.watch_states().length,
      audit_events: audit.length,
    };
    for (const table of TABLES) {
      if (copied[table] !== expected[table]) {
        throw new Error(`copy of ${table} is incomplete: ${copied[table]} of ${expected[table]} rows`);
      }
    }
    return { copied, replaced, auditHighestSeq };
  });
}
