/**
 * `snapgate db migrate` and `snapgate db copy --from sqlite:… --to postgres://…`: every record arrives
 * as it was (ids, times, statuses, copies, verifications, steps, approvals), the audit chain verifies on
 * the target with the source's head and keeps growing from there, a non-empty target is refused unless
 * `--replace`, and a copy that fails halfway leaves the target as it was.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Records } from '../../../src/app/ports/records.ts';
import { createAuditLog } from '../../../src/audit/index.ts';
import { openRecords } from '../../../src/compose/records.ts';
import { privateSchema, type TestSchema } from '../../support/postgres.ts';
import { cliInProcess } from '../../support/snapgate-cli.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

const MINUTE = 60_000;

/** A SQLite installation with one of everything: backups, copies, a verification, a restore with its
 * approval and steps, and an audit log. */
async function seed(records: Records, clock: { t: number }) {
  const audit = createAuditLog(records.audit, { now: () => new Date(clock.t) });
  const b1 = await records.backups.create({
    connection: 'prod',
    type: 'manual',
    requestedBy: 'U1',
    note: 'ä ✓',
  });
  await records.backups.markRunning(b1.id);
  clock.t += 1500;
  await records.backups.markCompleted(b1.id, {
    counts: { services: 2, routes: 3 },
    bytes: 5_000_000_000,
    sha256: 's'.repeat(64),
    keyId: 'k1',
    artifactName: 'kong-prod-a.sgb',
    copies: [
      { target: 'primary', location: '/p/a.sgb', sha256: 's'.repeat(64) },
      { target: 'offsite', location: '/o/a.sgb', sha256: 's'.repeat(64) },
    ],
  });
  await records.backups.recordVerification(b1.id, [
    { target: 'primary', location: '/p/a.sgb', ok: true },
    { target: 'offsite', location: '/o/a.sgb', ok: false, problem: 'missing' },
  ]);
  const b2 = await records.backups.create({ connection: 'prod', type: 'scheduled', requestedBy: 'system' });
  await records.backups.markFailed(b2.id, { code: 'gateway_unreachable', reason: 'gateway down' });
  await records.watch.put({
    connection: 'prod',
    problem: 'backup-failed',
    fingerprint: 'gateway_unreachable',
    raisedAt: new Date(clock.t),
    notifiedAt: new Date(clock.t + 1),
    repeats: 2,
    slack: { channel: 'C0ALERTS', ts: '1700000000.000100' },
  });
  const r = await records.restores.create({
    connection: 'prod',
    backupId: b1.id,
    requestedBy: 'UREQ',
    reason: 'incident',
    onlySections: ['plugins'],
    expiresAt: new Date(clock.t + 30 * MINUTE),
  });
  await records.restores.markAwaitingApproval(r.id, {
    planHash: 'p'.repeat(64),
    liveFingerprint: 'f'.repeat(64),
    planSummary: { steps: 2, z: 1, a: 2 },
  });
  await records.restores.approve({ restoreId: r.id, approver: 'UAPP', planHash: 'p'.repeat(64) });
  await records.restores.markRunning(r.id);
  await records.restores.recordSteps(r.id, [
    {
      seq: 1,
      phase: 'upsert',
      op: 'create',
      kind: 'plugins',
      entityId: 'e1',
      name: 'p1',
      status: 'ok',
      error: null,
    },
    {
      seq: 2,
      phase: 'upsert',
      op: 'update',
      kind: 'plugins',
      entityId: 'e2',
      name: 'p2',
      status: 'failed',
      error: { status: 400, message: 'schema violation' },
    },
  ]);
  await records.restores.finish(r.id, 'partially_failed', {
    failure: { code: 'apply_failed', reason: 'one step failed' },
  });
  const rehearsal = await records.rehearsals.start({
    connection: 'prod',
    target: 'scratch',
    backupId: b1.id,
    requestedBy: 'system',
  });
  await records.rehearsals.finish(rehearsal.id, {
    status: 'passed',
    durationMs: 4321,
    entities: 2,
    applied: 2,
    drift: 0,
    failure: null,
  });
  for (let i = 0; i < 30; i++) {
    clock.t += 10;
    await audit.append({
      actor: i % 2 ? 'U0OPERATOR' : 'system',
      action: 'backup.requested',
      connection: 'prod',
      outcome: 'ok',
      details: { i, nested: { b: [1, 'two'], a: null }, text: 'ünïcode "quoted" \\ back' },
    });
  }
  return { backups: [b1.id, b2.id], restore: r.id };
}

async function snapshotOf(records: Records, ids: { backups: string[]; restore: string }) {
  return {
    backups: await Promise.all(ids.backups.map((id) => records.backups.get(id))),
    copies: await records.backups.listCopies(ids.backups[0]!),
    verifications: await records.backups.listVerifications(ids.backups[0]!),
    restore: await records.restores.get(ids.restore),
    steps: await records.restores.listSteps(ids.restore),
    approvals: await records.restores.listApprovals(ids.restore),
    rehearsals: await records.rehearsals.listByConnection('prod'),
    watch: await records.watch.listByConnection('prod'),
    audit: await records.audit.list({ limit: 1000 }),
    head: await records.audit.head(),
  };
}

describe('snapgate db copy (SQLite → PostgreSQL) and db migrate', () => {
  let dir: string;
  let sqlitePath: string;
  let pg: TestSchema;
  const clock = { t: Date.parse('2026-12-01T10:00:00.000Z') };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'snapgate-db-copy-'));
    sqlitePath = join(dir, 'snapgate.db');
    pg = await privateSchema('copy');
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await pg.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const copy = (...extra: string[]) =>
    cliInProcess([
      'db',
      'copy',
      '--from',
      `sqlite:${sqlitePath}`,
      '--to',
      pg.database.url,
      '--schema',
      pg.schema,
      ...extra,
    ]);

  it('copies every record as it was; the chain verifies with the same head and grows on', async () => {
    const source = await openRecords({ path: sqlitePath }, { now: () => new Date(clock.t) });
    const ids = await seed(source, clock);
    const want = await snapshotOf(source, ids);
    await source.close();

    const run = await copy();
    expect(run.err).toBe('');
    expect(run).toMatchObject({ code: 0 });
    expect(run.out).toContain(
      'backups 2, backup_copies 2, verifications 1, restores 1, restore_steps 2, approvals 1, rehearsals 1, watch_states 1, audit_events 30',
    );
    expect(run.out).toContain(`audit chain verified on the target: 30 events, head #30 ${want.head!.hash}`);

    const target = await openRecords(pg.database, { now: () => new Date(clock.t) });
    try {
      expect(await snapshotOf(target, ids)).toEqual(want);
      // identities continue after the copied ids, and the chain goes on from the copied head
      const next = await target.backups.recordVerification(ids.backups[0]!, []);
      expect(next.id).toBe(want.verifications[0]!.id + 1);
      const appended = await createAuditLog(target.audit).append({
        actor: 'system',
        action: 'config.loaded',
        outcome: 'ok',
      });
      expect(appended).toMatchObject({ seq: 31, prevHash: want.head!.hash });
      expect(await createAuditLog(target.audit).verify()).toMatchObject({ ok: true, checked: 31 });
    } finally {
      await target.close();
    }

    // a second copy into the now non-empty target is refused, and changes nothing
    const again = await copy();
    expect(again.code).toBe(1);
    expect(again.err).toMatch(
      /the target already holds records \(2 backups, .*31 audit_events\); .*--replace/,
    );
    const replaced = await copy('--replace');
    expect(replaced).toMatchObject({ code: 0 });
    expect(replaced.out).toContain('replaced what the target held: backups 2,');
    expect(replaced.out).toContain(`head #30 ${want.head!.hash}`);
  });

  it('refuses a source whose chain is broken, and leaves the target empty', async () => {
    const source = await openRecords({ path: sqlitePath }, { now: () => new Date(clock.t) });
    await seed(source, clock);
    await source.close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(sqlitePath);
    raw.exec('DROP TRIGGER audit_events_no_update');
    raw.exec(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 7`);
    raw.close();

    const run = await copy();
    expect(run).toMatchObject({
      code: 1,
      err: expect.stringContaining('the source audit chain is broken at row 7'),
    });
    expect(
      await pg.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1', [pg.schema]),
    ).toEqual([]);
  });

  it('a copy that fails halfway leaves the target empty (PostgreSQL refuses a NUL in text)', async () => {
    const source = await openRecords({ path: sqlitePath }, { now: () => new Date(clock.t) });
    const ids = await seed(source, clock);
    await source.close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(sqlitePath);
    // SQLite keeps a NUL inside text; PostgreSQL cannot store one. Steps are copied after backups,
    // copies, verifications and restores, so those inserts must be rolled back too.
    raw.prepare('UPDATE restore_steps SET name = ? WHERE seq = 2').run('p\u00002');
    raw.close();

    const run = await copy();
    expect(run).toMatchObject({
      code: 1,
      err: 'the copy failed and was rolled back, the target is as it was: invalid byte sequence for encoding "UTF8": 0x00',
    });
    const counts = await pg.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM backups) + (SELECT count(*) FROM restores) + (SELECT count(*) FROM audit_events) AS n`,
    );
    expect(Number(counts[0]!.n)).toBe(0);
    expect(ids.backups).toHaveLength(2);
  });

  /** every migration of a dialect, as drizzle's journal lists them */
  const journalEntries = (folder: string) =>
    (JSON.parse(readFileSync(join(REPO, folder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] })
      .entries.length;

  it('migrates the configured database, SQLite or PostgreSQL, and says how far', async () => {
    vi.stubEnv('SG_DB_TEST_TOKEN', 'token');
    vi.stubEnv('SG_DB_TEST_KEY', 'a'.repeat(64));
    const config = (database: string) => {
      const path = join(dir, `${database.startsWith('{ path') ? 'sqlite' : 'pg'}.yml`);
      writeFileSync(
        path,
        `connections:
  - { name: prod, kongUrl: http://127.0.0.1:9, tokenEnv: SG_DB_TEST_TOKEN, environment: prod }
storage: { primary: ${join(dir, 'artifacts')}, allowSingleCopy: true }
keys: [{ id: k1, env: SG_DB_TEST_KEY, current: true }]
database: ${database}
`,
      );
      return path;
    };
    const sqlite = await cliInProcess(['db', 'migrate', '--config', config(`{ path: ${sqlitePath} }`)]);
    expect(sqlite).toMatchObject({
      code: 0,
      out: `sqlite:${sqlitePath}: up to date (${journalEntries('drizzle')} migrations applied)\n`,
    });
    const pgConfig = config(`{ url: "${pg.database.url}", schema: ${pg.schema} }`);
    const postgres = await cliInProcess(['db', 'migrate', '--config', pgConfig]);
    expect(postgres).toMatchObject({
      code: 0,
      out: `${pg.database.url} (schema ${pg.schema}): up to date (${journalEntries('drizzle-postgres')} migrations applied)\n`,
    });
    // twice is harmless; and `db copy` without --to takes the config's database
    expect(await cliInProcess(['db', 'migrate', '--config', pgConfig])).toMatchObject({ code: 0 });
    const run = await cliInProcess(['db', 'copy', '--from', `sqlite:${sqlitePath}`, '--config', pgConfig]);
    expect(run).toMatchObject({
      code: 0,
      out: expect.stringContaining('audit chain verified on the target: 0 events'),
    });
  });
});
