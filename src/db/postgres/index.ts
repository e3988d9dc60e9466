/**
 * The PostgreSQL implementation of the records port (`src/app/ports/records.ts`), for installations
 * whose serve and worker processes share one database. `src/compose/records.ts` picks it for
 * `database.url`.
 */
import type { RecordDeps, Records } from '../../app/ports/records.ts';
import { defaultRepositoryDeps } from '../repository-deps.ts';
import { PostgresAuditStore } from './audit-store.ts';
import { PostgresBackupRepository } from './backups.ts';
import { openPostgres, type PgDb, type PostgresOptions } from './database.ts';
import { PostgresRehearsalRepository } from './rehearsals.ts';
import { PostgresRestoreRepository } from './restores.ts';
import { PostgresWatchStateRepository } from './watch-states.ts';

export { PostgresAuditStore } from './audit-store.ts';
export { PostgresBackupRepository } from './backups.ts';
export {
  clientConfig,
  defaultPostgresMigrationsFolder,
  openPostgres,
  type PgDb,
  type PgOrm,
  type PostgresOptions,
  type PostgresSslMode,
  tlsOptions,
} from './database.ts';
export { PostgresRestoreRepository } from './restores.ts';
export { PostgresWatchStateRepository } from './watch-states.ts';

/** Every record over one open pool (closing them ends the pool). */
export function postgresRecords(db: PgDb, deps: Partial<RecordDeps> = {}): Records {
  const full = defaultRepositoryDeps(deps);
  return {
    backups: new PostgresBackupRepository(db, full),
    restores: new PostgresRestoreRepository(db, full),
    rehearsals: new PostgresRehearsalRepository(db, full),
    audit: new PostgresAuditStore(db),
    watch: new PostgresWatchStateRepository(db),
    ping: async () => {
      await db.pool.query(`select 1 from "${db.schema}".backups limit 1`);
    },
    close: () => db.close(),
  };
}

/** Connects, migrates (under the schema's advisory lock) and returns the records port. */
export async function openPostgresRecords(
  options: PostgresOptions,
  deps: Partial<RecordDeps> = {},
): Promise<Records> {
  return postgresRecords(await openPostgres(options), deps);
}
