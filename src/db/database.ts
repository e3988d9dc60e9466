/**
 * Opens the SQLite records database and brings its schema up to date. Run it in one process before
 * workers start: drizzle's migrator takes no cross-process lock.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Orm = BetterSQLite3Database<typeof schema>;

export interface Db {
  /** the file the records live in */
  readonly path: string;
  /** drizzle over the connection; repositories use it, callers should use the repositories */
  readonly orm: Orm;
  /** the raw better-sqlite3 connection, for pragmas and tests */
  readonly sqlite: Database.Database;
  close(): void;
}

export interface OpenDatabaseOptions {
  /** how long a writer waits for another process's lock before SQLITE_BUSY; default 5000 ms */
  busyTimeoutMs?: number;
  /** where the drizzle migrations live; default: the repository's `drizzle/` folder */
  migrationsFolder?: string;
  /** skip migrations (only for tests that inspect an unmigrated file) */
  migrate?: boolean;
}

/**
 * `drizzle/` sits at the repository root. Walk up from this module so the same code finds it when run
 * from `src/db` (tsx) and from `dist/src/db` (compiled).
 */
export function defaultMigrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('cannot find the drizzle/ migrations folder above ' + import.meta.url);
    dir = parent;
  }
}

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  try {
    // WAL lets readers (the bot) run while a worker writes; busy_timeout turns short lock waits
    // into waits instead of SQLITE_BUSY errors; foreign keys are off by default in SQLite.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    sqlite.pragma('foreign_keys = ON');
    const orm = drizzle({ client: sqlite, schema });
    if (options.migrate !== false) {
      migrate(orm, { migrationsFolder: options.migrationsFolder ?? defaultMigrationsFolder() });
    }
    return { path, orm, sqlite, close: () => sqlite.close() };
  } catch (err) {
    sqlite.close();
    throw err;
  }
}
