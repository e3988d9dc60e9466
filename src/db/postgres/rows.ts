/**
 * Row ↔ record mapping and the comparisons SQLite makes without being asked. SQLite compares text
 * bytewise (BINARY); PostgreSQL uses the database's collation, which may ignore punctuation or case. Every
 * ordering and cursor comparison on text here goes through `bytewise`, so pages and ties come out in
 * the same order as on SQLite.
 */
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { type Backup, toFailureCode } from '../../app/ports/backups.ts';
import type { Restore } from '../../app/ports/restores.ts';
import type { backups, restores } from './schema.ts';

export function toBackup(row: typeof backups.$inferSelect): Backup {
  const { slackChannel, slackTs, failureCode, ...rest } = row;
  return {
    ...rest,
    failureCode: toFailureCode(failureCode),
    slack: slackChannel && slackTs ? { channel: slackChannel, ts: slackTs } : null,
  };
}

export function toRestore(row: typeof restores.$inferSelect): Restore {
  const { slackChannel, slackTs, failureCode, ...rest } = row;
  return {
    ...rest,
    failureCode: toFailureCode(failureCode),
    slack: slackChannel && slackTs ? { channel: slackChannel, ts: slackTs } : null,
  };
}

/** the column compared byte by byte, as SQLite's BINARY collation does */
export function bytewise(column: AnyColumn): SQL {
  return sql`${column} collate "C"`;
}

export function bytewiseLess(column: AnyColumn, value: string): SQL {
  return sql`${column} collate "C" < ${value}`;
}

/** PostgreSQL's code for a unique violation, and the constraint it names */
export function uniqueViolation(err: unknown): string | null {
  const e = (err as { cause?: unknown })?.cause ?? err;
  const pgErr = e as { code?: string; constraint?: string };
  return pgErr?.code === '23505' ? (pgErr.constraint ?? '') : null;
}
