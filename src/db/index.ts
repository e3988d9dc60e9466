export type * from './backups.ts';
export {
  type Db,
  defaultMigrationsFolder,
  type OpenDatabaseOptions,
  type Orm,
  openDatabase,
} from './database.ts';
export { NotFoundError, RestoreInProgressError, TransitionError } from './errors.ts';
export { defaultRepositoryDeps, type RepositoryDeps } from './repository-deps.ts';
export type * from './restores.ts';
export { SqliteBackupRepository } from './sqlite-backups.ts';
export { SqliteRestoreRepository } from './sqlite-restores.ts';

import type { BackupRepository } from './backups.ts';
import type { Db } from './database.ts';
import { defaultRepositoryDeps, type RepositoryDeps } from './repository-deps.ts';
import type { RestoreRepository } from './restores.ts';
import { SqliteBackupRepository } from './sqlite-backups.ts';
import { SqliteRestoreRepository } from './sqlite-restores.ts';

export interface Repositories {
  backups: BackupRepository;
  restores: RestoreRepository;
}

/** The SQLite repositories over one open database; `now`/`newId` default to the real clock and UUIDs. */
export function createRepositories(db: Db, deps: Partial<RepositoryDeps> = {}): Repositories {
  const full = defaultRepositoryDeps(deps);
  return { backups: new SqliteBackupRepository(db, full), restores: new SqliteRestoreRepository(db, full) };
}
