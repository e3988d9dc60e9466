/**
 * Opens the PostgreSQL records database: a connection pool whose sessions live in the installation's
 * schema (`search_path`), TLS as configured, and the schema brought up to date. Migrations run under a
 * session advisory lock keyed by the schema, because drizzle's migrator takes none: two processes starting
 * at once migrate one after the other, and the second finds nothing left to do.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type PgOrm = NodePgDatabase<typeof schema>;

export type PostgresSslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

export interface PostgresOptions {
  /** `postgres://user@host:port/database` */
  url: string;
  /** read when a connection is made; never stored in the pool's options */
  password?: (() => string) | null;
  /** the schema every table lives in; created when missing */
  schema: string;
  ssl: { mode: PostgresSslMode; caFile?: string };
  /** connections in the pool; default 10 */
  poolSize?: number;
  /** where the migrations live; default: the repository's `drizzle-postgres/` folder */
  migrationsFolder?: string;
  /** skip migrations (tests that inspect an unmigrated schema) */
  migrate?: boolean;
}

export interface PgDb {
  readonly schema: string;
  readonly orm: PgOrm;
  /** the pool itself, for the few statements drizzle does not build (bulk upserts, raw reads) */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** `drizzle-postgres/` at the repository root, found from `src/db/postgres` and `dist/src/db/postgres`. */
export function defaultPostgresMigrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'drizzle-postgres');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`cannot find the drizzle-postgres/ migrations folder above ${import.meta.url}`);
    dir = parent;
  }
}

/** libpq's sslmode meanings, as node's TLS options. */
export function tlsOptions(ssl: PostgresOptions['ssl']): false | ConnectionOptions {
  if (ssl.mode === 'disable') return false;
  const ca = ssl.caFile ? readFileSync(ssl.caFile, 'utf8') : undefined;
  const withCa = ca === undefined ? {} : { ca };
  if (ssl.mode === 'require') return { ...withCa, rejectUnauthorized: false };
  if (ssl.mode === 'verify-ca')
    return { ...withCa, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { ...withCa, rejectUnauthorized: true };
}

/**
 * The URL taken apart rather than handed to pg as `connectionString`: pg merges a parsed connection
 * string over the other options, and a URL without a password parses to `password: ''`, which would
 * replace the password callback (found while testing; the local server trusts, so it never asked).
 */
export function clientConfig(options: PostgresOptions): pg.ClientConfig {
  if (!SCHEMA_NAME.test(options.schema)) throw new Error(`invalid schema name "${options.schema}"`);
  const url = new URL(options.url);
  if (url.password !== '') throw new Error('the database URL must not carry a password');
  const password = options.password;
  const host = decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1');
  return {
    ...(host ? { host } : {}),
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
    ...(url.pathname.length > 1 ? { database: decodeURIComponent(url.pathname.slice(1)) } : {}),
    ...(password ? { password: async () => password() } : {}),
    ssl: tlsOptions(options.ssl),
    // every session of the pool reads and writes the installation's schema only
    options: `-c search_path=${options.schema}`,
    application_name: 'snapgate',
  };
}

async function migrateUnderLock(options: PostgresOptions): Promise<void> {
  const client = new pg.Client(clientConfig(options));
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`snapgate.migrate.${options.schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    await migrate(drizzle({ client }), {
      migrationsFolder: options.migrationsFolder ?? defaultPostgresMigrationsFolder(),
      migrationsSchema: options.schema,
      migrationsTable: '__drizzle_migrations',
    });
  } finally {
    // ending the session releases its advisory lock too
    await client.end();
  }
}

export async function openPostgres(options: PostgresOptions): Promise<PgDb> {
  if (options.migrate !== false) await migrateUnderLock(options);
  const pool = new pg.Pool({ ...clientConfig(options), max: options.poolSize ?? 10 });
  // An idle client that loses its server (a restart) emits 'error' on the pool; without a listener
  // node would exit. The next query gets a fresh connection.
  pool.on('error', () => {});
  const orm = drizzle({ client: pool, schema });
  return { schema: options.schema, orm, pool, close: () => pool.end() };
}
