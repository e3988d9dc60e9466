/**
 * A private PostgreSQL schema per test: the server on 127.0.0.1:5432 (trust auth, database `test`, as
 * `.ci/run` makes sure) is shared by every test run on the machine, so each one works in a schema of
 * its own with a random name and drops it afterwards. `SNAPGATE_TEST_POSTGRES_URL` points elsewhere.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { PostgresDatabaseConfig } from '../../src/config/index.ts';

export const TEST_POSTGRES_URL =
  process.env.SNAPGATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  /** `database:` as loadConfig would resolve it, pointing at the private schema */
  database: PostgresDatabaseConfig;
  schema: string;
  /** runs one statement as the test's superuser, inside the private schema */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

export function randomSchemaName(label = 'test'): string {
  return `sg_${label}_${randomBytes(6).toString('hex')}`;
}

/** A schema name nobody else uses; nothing is created until records are opened (which migrates). */
export async function privateSchema(label = 'test'): Promise<TestSchema> {
  const schema = randomSchemaName(label);
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` });
  await admin.connect();
  return {
    schema,
    database: {
      url: TEST_POSTGRES_URL,
      password: null,
      schema,
      ssl: { mode: 'disable' },
      poolSize: 4,
    },
    async query(text, values) {
      return (await admin.query(text, values)).rows;
    },
    async drop() {
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
