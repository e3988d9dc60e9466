/**
 * The records database's administration, for `snapgate db`: bring the configured database's schema up
 * to date, and move an installation's records from a SQLite file to PostgreSQL. Only the CLI calls these.
 */
import type { DatabaseConfig, PostgresDatabaseConfig } from '../config/index.ts';
import { type CopyResult, copySqliteToPostgres } from '../db/copy.ts';
import { openDatabase } from '../db/index.ts';
import { openPostgres } from '../db/postgres/index.ts';
import { postgresOptions } from './records.ts';

export { type CopyResult, type TableCounts, TargetNotEmptyError } from '../db/copy.ts';

/** How a database is named in output: the SQLite path, or the PostgreSQL URL (never a password) and schema. */
export function describeDatabase(config: DatabaseConfig): string {
  return 'path' in config ? `sqlite:${config.path}` : `${config.url} (schema ${config.schema})`;
}

/** Applies every pending migration (under PostgreSQL's advisory lock); returns how many are applied in all. */
export async function migrateDatabase(config: DatabaseConfig): Promise<{ applied: number }> {
  if ('path' in config) {
    const db = openDatabase(config.path);
    try {
      const n = db.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get();
      return { applied: Number(n) };
    } finally {
      db.close();
    }
  }
  const pg = await openPostgres(postgresOptions(config));
  try {
    const { rows } = await pg.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${config.schema}".__drizzle_migrations`,
    );
    return { applied: rows[0]?.n ?? 0 };
  } finally {
    await pg.close();
  }
}

/** Copies every record of the SQLite file at `fromPath` into the PostgreSQL database (both migrated first). */
export async function copyRecordsToPostgres(input: {
  fromPath: string;
  to: PostgresDatabaseConfig;
  replace: boolean;
}): Promise<CopyResult> {
  const source = openDatabase(input.fromPath);
  try {
    const target = await openPostgres(postgresOptions(input.to));
    try {
      return await copySqliteToPostgres(source, target, { replace: input.replace });
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}
