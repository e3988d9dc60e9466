/**
 * The records registry: which implementation of the records port a `database` config opens. One line per
 * implementation; the first whose `accepts` matches wins. Only the composition root (`src/compose`) and
 * the CLI's offline verbs through it open records. Opening is async: PostgreSQL connects and migrates.
 */
import type { RecordDeps, Records } from '../app/ports/records.ts';
import type { DatabaseConfig, PostgresDatabaseConfig } from '../config/index.ts';
import { openSqliteRecords } from '../db/index.ts';
import type { PostgresOptions } from '../db/postgres/index.ts';

export type { DatabaseConfig };

export interface RecordsImplementation {
  /** what `database:` in snapgate.yml selects it by */
  name: string;
  accepts(config: DatabaseConfig): boolean;
  open(config: DatabaseConfig, deps: Partial<RecordDeps>): Promise<Records>;
}

/** The PostgreSQL options for a `database.url` config; the password stays a Secret until a connection asks. */
export function postgresOptions(c: PostgresDatabaseConfig): PostgresOptions {
  const password = c.password;
  return {
    url: c.url,
    password: password ? () => password.reveal() : null,
    schema: c.schema,
    ssl: c.ssl,
    poolSize: c.poolSize,
  };
}

export const RECORDS_IMPLEMENTATIONS: readonly RecordsImplementation[] = [
  {
    name: 'sqlite',
    accepts: (c) => 'path' in c,
    open: async (c, deps) => openSqliteRecords((c as { path: string }).path, deps),
  },
  {
    name: 'postgres',
    accepts: (c) => 'url' in c,
    // loaded on first use, so SQLite installations and verbs without records never load pg
    open: async (c, deps) => {
      const { openPostgresRecords } = await import('../db/postgres/index.ts');
      return openPostgresRecords(postgresOptions(c as PostgresDatabaseConfig), deps);
    },
  },
];

/** Opens the records the config names (migrations applied). */
export async function openRecords(config: DatabaseConfig, deps: Partial<RecordDeps> = {}): Promise<Records> {
  const impl = RECORDS_IMPLEMENTATIONS.find((i) => i.accepts(config));
  if (!impl) throw new Error('database: no records implementation accepts this configuration');
  return impl.open(config, deps);
}
