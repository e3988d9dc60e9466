/**
 * `snapgate db migrate` — bring the configured records database's schema up to date (run once before a
 * new version's serve and worker processes start; PostgreSQL migrations also take an advisory lock).
 * `snapgate db copy --from sqlite:PATH [--to postgres://…]` — move an installation's records from its
 * SQLite file to PostgreSQL: every table in one transaction, the audit chain verified on the source
 * first and on the target after, with the same head.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createAuditLog } from '../../audit/index.ts';
import { openRecords } from '../../compose/records.ts';
import type { CopyResult } from '../../compose/records-admin.ts';
import {
  type DatabaseConfig,
  type PostgresDatabaseConfig,
  type PostgresSslMode,
  Secret,
} from '../../config/index.ts';
import { CliError } from '../errors.ts';

/** loaded when a db verb runs, so other verbs never load the database drivers' admin code */
const admin = () => import('../../compose/records-admin.ts');

import { addConfigOption, type ConfigFlag, loadCliConfig } from './backup-context.ts';

const SSL_MODES: readonly PostgresSslMode[] = ['disable', 'require', 'verify-ca', 'verify-full'];

interface CopyFlags extends ConfigFlag {
  from: string;
  to?: string;
  schema: string;
  passwordEnv?: string;
  sslMode: string;
  caFile?: string;
  replace?: boolean;
}

/** `--to` and its flags as a database config; the config file's database when `--to` is absent. */
async function targetOf(flags: CopyFlags): Promise<PostgresDatabaseConfig> {
  if (flags.to === undefined) {
    const config = await loadCliConfig(flags);
    if (!('url' in config.database)) {
      throw new CliError('--to is missing and the config names no PostgreSQL database (database.url)');
    }
    return config.database;
  }
  let url: URL;
  try {
    url = new URL(flags.to);
  } catch {
    throw new CliError(`--to must be a postgres:// URL (got "${flags.to}")`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new CliError('--to must be a postgres:// URL');
  }
  if (url.password !== '') {
    throw new CliError('--to must not carry a password: use --password-env (or PGPASSWORD, or ~/.pgpass)');
  }
  if (!SSL_MODES.includes(flags.sslMode as PostgresSslMode)) {
    throw new CliError(`--ssl-mode must be one of: ${SSL_MODES.join(', ')}`);
  }
  let password: Secret<string> | null = null;
  if (flags.passwordEnv !== undefined) {
    const value = process.env[flags.passwordEnv];
    if (!value) throw new CliError(`environment variable ${flags.passwordEnv} is not set`);
    password = new Secret(value);
  }
  return {
    url: flags.to,
    password,
    schema: flags.schema,
    ssl: {
      mode: flags.sslMode as PostgresSslMode,
      ...(flags.caFile ? { caFile: resolve(flags.caFile) } : {}),
    },
    poolSize: 2,
  };
}

function sourceOf(from: string): string {
  if (!from.startsWith('sqlite:')) throw new CliError('--from must be sqlite:PATH (the SQLite records file)');
  const path = resolve(from.slice('sqlite:'.length));
  if (!existsSync(path)) throw new CliError(`--from: ${path} does not exist`);
  return path;
}

async function verifyChain(database: DatabaseConfig, what: string) {
  const records = await openRecords(database);
  try {
    const result = await createAuditLog(records.audit).verify();
    if (!result.ok) {
      throw new CliError(
        `the ${what} audit chain is broken at row ${result.firstBroken?.seq}: ${result.firstBroken?.reason}`,
      );
    }
    return result;
  } finally {
    await records.close();
  }
}

export function registerDb(program: Command): void {
  const db = program
    .command('db')
    .description('the records database: migrate, move from SQLite to PostgreSQL');

  addConfigOption(
    db.command('migrate').description('apply pending migrations to the configured database'),
  ).action(async (flags: ConfigFlag) => {
    const config = await loadCliConfig(flags);
    const { migrateDatabase, describeDatabase } = await admin();
    const { applied } = await migrateDatabase(config.database);
    process.stdout.write(
      `${describeDatabase(config.database)}: up to date (${applied} migrations applied)\n`,
    );
  });

  addConfigOption(
    db
      .command('copy')
      .description(
        'copy every record (backups, restores, approvals, the audit log) from SQLite into PostgreSQL',
      )
      .requiredOption('--from <sqlite:path>', 'the SQLite records file, as sqlite:PATH')
      .option(
        '--to <postgres-url>',
        'postgres://user@host:port/database (default: database.url in the config)',
      )
      .option('--schema <name>', 'the target schema (with --to)', 'public')
      .option(
        '--password-env <var>',
        'the target password from this env variable (with --to; else PGPASSWORD)',
      )
      .option('--ssl-mode <mode>', `TLS to the target (with --to): ${SSL_MODES.join(' | ')}`, 'disable')
      .option('--ca-file <path>', 'CA certificate(s) for verify-ca / verify-full (with --to)')
      .option('--replace', 'empty a target that already holds records first (default: refuse)'),
  ).action(async (flags: CopyFlags) => {
    const { copyRecordsToPostgres, describeDatabase, TargetNotEmptyError } = await admin();
    const fromPath = sourceOf(flags.from);
    const to = await targetOf(flags);
    const source = { path: fromPath };
    const before = await verifyChain(source, 'source');
    let result: CopyResult;
    try {
      result = await copyRecordsToPostgres({ fromPath, to, replace: flags.replace === true });
    } catch (err) {
      if (err instanceof TargetNotEmptyError) throw new CliError(err.message);
      // drizzle wraps the driver's error (whose message names the problem, without the row's values)
      const cause = (err as { cause?: unknown }).cause;
      const reason = cause instanceof Error ? cause.message : (err as Error).message;
      throw new CliError(`the copy failed and was rolled back, the target is as it was: ${reason}`);
    }
    const after = await verifyChain(to, 'copied');
    if (after.head?.hash !== before.head?.hash || after.checked !== before.checked) {
      throw new CliError(
        `the copied audit chain differs from the source (source head #${before.head?.seq}, target head #${after.head?.seq})`,
      );
    }
    const counts = Object.entries(result.copied)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ');
    if (result.replaced) {
      const old = Object.entries(result.replaced)
        .map(([table, n]) => `${table} ${n}`)
        .join(', ');
      process.stdout.write(`replaced what the target held: ${old}\n`);
    }
    process.stdout.write(`copied sqlite:${fromPath} → ${describeDatabase(to)}: ${counts}\n`);
    process.stdout.write(
      `audit chain verified on the target: ${after.checked} events, head ${after.head ? `#${after.head.seq} ${after.head.hash}` : '(empty)'} (same as the source)\n`,
    );
  });
}
