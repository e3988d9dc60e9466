/**
 * The SQLite implementation of the records port (`src/app/ports/records.ts`). Record types and errors
 * are re-exported from the port for callers written before it existed; new code imports the port.
 */
export type * from '../app/ports/backups.ts';
export { NotFoundError, RestoreInProgressError, TransitionError } from '../app/ports/record-errors.ts';
export type * from '../app/ports/restores.ts';
export {
  type Db,
  defaultMigrationsFolder,
  type OpenDatabaseOptions,
  type Orm,
  openDatabase,
} from './database.ts';
export { defaultRepositoryDeps, type RepositoryDeps } from './repository-deps.ts';
export { SqliteAuditStore } from './sqlite-audit-store.ts';
export { SqliteBackupRepository } from './sqlite-backups.ts';
export { SqliteRehearsalRepository } from './sqlite-rehearsals.ts';
export { SqliteRestoreRepository } from './sqlite-restores.ts';
export { SqliteWatchStateRepository } from './sqlite-watch-states.ts';

import type { BackupRepository } from '../app/ports/backups.ts';
import type { RecordDeps, Records } from '../app/ports/records.ts';
import type { RehearsalRepository } from '../app/ports/rehearsals.ts';
import type { RestoreRepository } from '../app/ports/restores.ts';
import { type Db, type OpenDatabaseOptions, openDatabase } from './database.ts';
import { defaultRepositoryDeps, type RepositoryDeps } from './repository-deps.ts';
import { SqliteAuditStore } from './sqlite-audit-store.ts';
import { SqliteBackupRepository } from './sqlite-backups.ts';
import { SqliteRehearsalRepository } from './sqlite-rehearsals.ts';
import { SqliteRestoreRepository } from './sqlite-restores.ts';
import { SqliteWatchStateRepository } from './sqlite-watch-states.ts';

export interface Repositories {
  backups: BackupRepository;
  restores: RestoreRepository;
  rehearsals: RehearsalRepository;
}

/** The SQLite repositories over one open database; `now`/`newId` default to the real clock and UUIDs. */
export function createRepositories(db: Db, deps: Partial<RepositoryDeps> = {}): Repositories {
  const full = defaultRepositoryDeps(deps);
  return {
    backups: new SqliteBackupRepository(db, full),
    restores: new SqliteRestoreRepository(db, full),
    rehearsals: new SqliteRehearsalRepository(db, full),
  };
}

/** Every record over one open SQLite database (closing them closes the database). */
export function sqliteRecords(db: Db, deps: Partial<RecordDeps> = {}): Records {
  return {
    ...createRepositories(db, deps),
    audit: new SqliteAuditStore(db),
    watch: new SqliteWatchStateRepository(db),
    ping: async () => {
      db.sqlite.prepare('select 1 from backups limit 1').all();
    },
    close: async () => db.close(),
  };
}

/** Opens (and migrates) the SQLite file at `path` as the records port. */
export function openSqliteRecords(
  path: string,
  deps: Partial<RecordDeps> = {},
  options: OpenDatabaseOptions = {},
): Records {
  return sqliteRecords(openDatabase(path, options), deps);
}
