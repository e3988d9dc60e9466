/**
 * The two dialects' migrations kept in lockstep: a SQLite file migrated from `drizzle/` and a PostgreSQL
 * schema migrated from `drizzle-postgres/` are read back from each database's catalogue and compared —
 * tables, columns (type family, nullability, default), primary keys, foreign keys with their on-delete,
 * indexes (unique, columns, partial predicate), CHECK constraints — and the append-only triggers are
 * compared by their effect. The drizzle schemas are compared column by column too (the TypeScript types
 * the repositories see). A change made to one dialect only fails here.
 *
 * Differences that are by design, each named once:
 * - `audit_head` exists in PostgreSQL only: its row lock serialises appenders across processes and its
 *   `highest_seq` is the high-water mark SQLite keeps in `sqlite_sequence` (`audit_events.seq AUTOINCREMENT`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE_RESTORE_STATUSES } from '../../../src/core/status.ts';
import { type Db, openDatabase } from '../../../src/db/index.ts';
import { openPostgres, type PgDb } from '../../../src/db/postgres/index.ts';
import * as pgSchema from '../../../src/db/postgres/schema.ts';
import * as sqliteSchema from '../../../src/db/schema.ts';
import { privateSchema, type TestSchema } from '../../support/postgres.ts';

/** PostgreSQL types → the SQLite declared type the same column must have */
const TYPE_FAMILY: Record<string, string> = {
  text: 'text',
  json: 'text',
  integer: 'integer',
  bigint: 'integer',
  smallint: 'integer',
  boolean: 'integer',
  'timestamp with time zone': 'integer',
};

interface Column {
  name: string;
  family: string;
  notNull: boolean;
  default: string | null;
}
interface Constraint {
  name: string;
  column: string;
  values: string[];
}
interface TableShape {
  columns: Column[];
  primaryKey: string[];
  foreignKeys: string[];
  indexes: { name: string; unique: boolean; columns: string[]; where: Constraint | null }[];
  checks: Constraint[];
}

/** `"status" IN ('a', 'b')` or `(status = ANY (ARRAY['a'::text, 'b'::text]))` → { column, values } */
function inList(name: string, expr: string): Constraint {
  const column = /"?([a-z_]+)"?\s*(?:IN|=)/i.exec(expr)?.[1] ?? '?';
  const values = [...expr.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!);
  return { name, column, values: values.sort() };
}

function normalizeDefault(value: string | null): string | null {
  if (value === null) return null;
  return value.replace(/::[a-z ]+$/, '');
}

function sqliteShape(db: Db, table: string): TableShape {
  const sqlite = db.sqlite;
  const info = sqlite.prepare(`PRAGMA table_info("${table}")`).all() as {
    name: string;
    type: string;
    notnull: number;
    dflt_value: string | null;
    pk: number;
  }[];
  const ddl = (sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(table) as { sql: string })
    .sql;
  const fks = sqlite.prepare(`PRAGMA foreign_key_list("${table}")`).all() as {
    table: string;
    from: string;
    to: string;
    on_delete: string;
  }[];
  const indexList = sqlite.prepare(`PRAGMA index_list("${table}")`).all() as {
    name: string;
    unique: number;
    origin: string;
    partial: number;
  }[];
  return {
    columns: info.map((c) => ({
      name: c.name,
      family: c.type.toLowerCase(),
      notNull: c.notnull === 1,
      default: normalizeDefault(c.dflt_value),
    })),
    primaryKey: info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name),
    foreignKeys: fks
      .map((f) => `${f.from} → ${f.table}(${f.to}) on delete ${f.on_delete.toLowerCase()}`)
      .sort(),
    indexes: indexList
      .filter((i) => i.origin === 'c')
      .map((i) => {
        const sql = (
          sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(i.name) as { sql: string }
        ).sql;
        const where = /\bWHERE\b(.*)$/is.exec(sql)?.[1];
        const cols = sqlite.prepare(`PRAGMA index_info("${i.name}")`).all() as {
          seqno: number;
          name: string;
        }[];
        return {
          name: i.name,
          unique: i.unique === 1,
          columns: cols.sort((a, b) => a.seqno - b.seqno).map((c) => c.name),
          where: where ? inList('where', where) : null,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    checks: [...ddl.matchAll(/CONSTRAINT "([^"]+)" CHECK\s*\((.*?)\)(?:,|\s*\)$)/gms)]
      .map((m) => inList(m[1]!, m[2]!))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

async function pgShape(q: TestSchema['query'], schema: string, table: string): Promise<TableShape> {
  const columns = await q<{ name: string; type: string; not_null: string; dflt: string | null }>(
    `SELECT column_name AS name, data_type AS type, is_nullable = 'NO' AS not_null, column_default AS dflt
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
  const rel = `"${schema}"."${table}"`;
  const pk = await q<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY k.ord`,
    [rel],
  );
  const fks = await q<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`,
    [rel],
  );
  const indexes = await q<{ name: string; unique: boolean; columns: string[]; pred: string | null }>(
    `SELECT c.relname AS name, i.indisunique AS unique, pg_get_expr(i.indpred, i.indrelid) AS pred,
            array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = $1::regclass AND NOT i.indisprimary`,
    [rel],
  );
  const checks = await q<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype = 'c'`,
    [rel],
  );
  return {
    columns: columns.map((c) => ({
      name: c.name,
      family: TYPE_FAMILY[c.type] ?? `unmapped ${c.type}`,
      notNull: Boolean(c.not_null),
      default: normalizeDefault(c.dflt),
    })),
    primaryKey: pk.map((r) => r.name),
    foreignKeys: fks
      .map((f) => {
        const m =
          /FOREIGN KEY \((\w+)\) REFERENCES (?:[\w"]+\.)?(\w+)\((\w+)\)(?: ON DELETE (\w+(?: \w+)?))?/.exec(
            f.def,
          )!;
        return `${m[1]} → ${m[2]}(${m[3]}) on delete ${(m[4] ?? 'no action').toLowerCase()}`;
      })
      .sort(),
    indexes: indexes
      .map((i) => ({
        name: i.name,
        unique: i.unique,
        columns: i.columns,
        where: i.pred ? inList('where', i.pred) : null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    checks: checks.map((c) => inList(c.name, c.def)).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

const PG_ONLY_TABLES = ['audit_head'];

function tablesOf(schema: Record<string, unknown>): Table[] {
  return Object.values(schema).filter(
    (v): v is Table => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v,
  );
}

describe('SQLite and PostgreSQL migrations agree', () => {
  let dir: string;
  let sqlite: Db;
  let pg: TestSchema;
  let pgDb: PgDb;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'snapgate-agree-'));
    sqlite = openDatabase(join(dir, 'snapgate.db'));
    pg = await privateSchema('agree');
    pgDb = await openPostgres({ url: pg.database.url, schema: pg.schema, ssl: { mode: 'disable' } });
  });
  afterAll(async () => {
    sqlite?.close();
    await pgDb?.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('have the same tables, columns, keys, indexes and checks', async () => {
    const sqliteTables = (
      sqlite.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as { name: string }[]
    )
      .map((t) => t.name)
      .filter((n) => n !== '__drizzle_migrations')
      .sort();
    const pgTables = (
      await pg.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
        [pg.schema],
      )
    )
      .map((t) => t.name)
      .filter((n) => n !== '__drizzle_migrations' && !PG_ONLY_TABLES.includes(n))
      .sort();
    expect(pgTables).toEqual(sqliteTables);
    expect(sqliteTables).toContain('audit_events');
    // the catalogue readers see what matters (a reader that found nothing would make every shape equal)
    const restores = sqliteShape(sqlite, 'restores');
    expect(restores.indexes.find((i) => i.name === 'restores_one_active_per_connection')).toEqual({
      name: 'restores_one_active_per_connection',
      unique: true,
      columns: ['connection'],
      where: { name: 'where', column: 'status', values: [...ACTIVE_RESTORE_STATUSES].sort() },
    });
    expect(restores.checks.map((c) => c.name)).toEqual(['restores_status_check']);
    expect(restores.foreignKeys).toHaveLength(2);

    for (const table of sqliteTables) {
      const a = sqliteShape(sqlite, table);
      const b = await pgShape(pg.query, pg.schema, table);
      // column order is history (SQLite appends an added column), not shape
      const byName = (shape: TableShape) => ({
        table,
        ...shape,
        columns: [...shape.columns].sort((x, y) => x.name.localeCompare(y.name)),
      });
      expect(byName(b)).toEqual(byName(a));
    }
  });

  it('have drizzle schemas whose columns the repositories see alike', () => {
    const describe = (t: Table) =>
      Object.entries(getTableColumns(t)).map(([key, c]) => `${key}:${c.name}:${c.dataType}:${c.notNull}`);
    const sqliteTables = tablesOf(sqliteSchema);
    const pgTables = tablesOf(pgSchema).filter((t) => !PG_ONLY_TABLES.includes(getTableName(t)));
    expect(pgTables.map(getTableName).sort()).toEqual(sqliteTables.map(getTableName).sort());
    for (const t of sqliteTables) {
      const twin = pgTables.find((p) => getTableName(p) === getTableName(t))!;
      expect(describe(twin)).toEqual(describe(t));
    }
  });

  it('refuse to change or remove an audit row, alike', async () => {
    const row = `(1, 'system', 'config.loaded', 'ok', '{}', '${'0'.repeat(64)}', '${'1'.repeat(64)}')`;
    const cols = '(seq, actor, action, outcome, details, prev_hash, hash, time)';
    sqlite.sqlite.exec(`INSERT INTO audit_events ${cols} VALUES ${row.replace(/\)$/, ', 0)')}`);
    await pg.query(`INSERT INTO audit_events ${cols} VALUES ${row.replace(/\)$/, ', now())')}`);
    for (const statement of ["UPDATE audit_events SET actor = 'x'", 'DELETE FROM audit_events']) {
      expect(() => sqlite.sqlite.exec(statement)).toThrow(/append-only/);
      await expect(pg.query(statement)).rejects.toThrow(/append-only/);
    }
    // TRUNCATE skips row triggers in PostgreSQL, so it has its own; SQLite has no TRUNCATE
    await expect(pg.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    expect(sqlite.sqlite.prepare('SELECT count(*) AS n FROM audit_events').get()).toEqual({ n: 1 });
    expect(await pg.query('SELECT count(*)::int AS n FROM audit_events')).toEqual([{ n: 1 }]);
  });
});
