/**
 * Kong Enterprise with three workspaces (default, team-a, team-b) behind one connection with
 * `workspaces: all`, through Slack and the CLI twin: one backup holds every workspace; the diff card names
 * the workspace of each change; a restore of one workspace (`--only team-a/*`), approved by a second
 * person, writes to that workspace only (the others' write counts do not move); the whole restore, and a
 * CLI restore of one workspace's section (`--only team-b/routes`), end with zero drift.
 * Real Bolt app, fake Slack, Redis, SQLite, workers, kong-sim.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { credentialSha256 } from '../../../src/app/index.ts';
import { RESTORE_APPROVE_ACTION } from '../../../src/bot/views/restore-card.ts';
import { fromDeckFile } from '../../../src/core/index.ts';
import { cliInProcess, runSnapgateBin } from '../../support/snapgate-cli.ts';
import { enterpriseEnvOptions, waitForBackup } from '../jobs/harness.ts';
import {
  CHANNEL,
  cardShows,
  click,
  command,
  createRestoreSlackEnv,
  driftFrom,
  lastCard,
  PEOPLE,
  type RestoreSlackEnv,
  restoreOfCard,
  textOf,
  waitForRestore,
} from './restore-harness.ts';

const WORKSPACES = ['default', 'team-a', 'team-b'] as const;

describe('every workspace of Kong Enterprise through Slack and the CLI', () => {
  let t: RestoreSlackEnv;
  let credentialFile: string;

  beforeAll(async () => {
    t = await createRestoreSlackEnv({}, enterpriseEnvOptions(), async (env) => {
      const credential = randomBytes(32).toString('base64url');
      credentialFile = join(env.dir, 'approver.credential');
      writeFileSync(credentialFile, `${credential}\n`, { mode: 0o600 });
      await env.reload(
        (y) =>
          `${y}approvers:\n  - user: ${PEOPLE.approver}\n    credentialSha256: ${credentialSha256(credential)}\n`,
      );
    });
  }, 30_000);
  afterAll(() => t?.cleanup(), 30_000);
  afterEach(() => t.bot.fake.assertNoProblems());

  async function call(method: string, path: string, body?: unknown): Promise<number> {
    const res = await fetch(`${t.env.sim.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await res.text();
    return res.status;
  }

  const writes = () =>
    Object.fromEntries(WORKSPACES.map((ws) => [ws, t.env.sim.state.cell(ws).writes])) as Record<
      (typeof WORKSPACES)[number],
      number
    >;

  it('backup → break three workspaces → diff → restore team-a only (others untouched) → whole restore → zero drift', async () => {
    await command(t, PEOPLE.operator, 'backup prod --note "every workspace"');
    const [first] = await t.services.repos.backups.listByConnection('prod', { limit: 5 });
    const backup = await waitForBackup(t.services, first!.id);
    expect(backup.failureReason ?? null).toBeNull();
    expect(backup.counts).toMatchObject({ services: 3, routes: 3, consumers: 2 });

    expect(await call('PATCH', '/team-a/services/orders', { port: 9999 })).toBe(200);
    expect(await call('DELETE', '/team-b/routes/orders')).toBe(204);
    expect(await call('POST', '/services', { name: 'rogue', host: 'rogue.internal' })).toBe(201);

    const before = t.bot.fake.channel(CHANNEL).length;
    expect((await t.bot.kong(PEOPLE.operator, `diff prod ${backup.id}`)).status).toBe(200);
    const posted = await t.bot.fake.waitFor(() => t.bot.fake.channel(CHANNEL)[before], 10_000);
    const diff = textOf(await cardShows(t, posted.ts, /Diff\*/));
    expect(diff).toMatch(/1 create, 1 update, 1 delete/);
    expect(diff).toMatch(/delete service default: rogue/);
    expect(diff).toMatch(/update service team-a: orders/);
    expect(diff).toMatch(/create route team-b: orders/);

    // one workspace: only team-a is written
    const beforeA = writes();
    expect(
      await command(t, PEOPLE.operator, `restore prod ${backup.id} --only team-a/* --reason "team-a only"`),
    ).toMatch(/Restore request .* posted/);
    const cardA = lastCard(t);
    const restoreA = await restoreOfCard(t, cardA);
    const plannedA = await cardShows(t, cardA.ts, /Awaiting approval/);
    expect(textOf(plannedA)).toContain('team-a/*');
    expect(await click(t, PEOPLE.approver, plannedA, RESTORE_APPROVE_ACTION)).toMatch(/approved/);
    expect((await waitForRestore(t, restoreA.id, ['completed', 'partially_failed', 'failed'])).status).toBe(
      'completed',
    );
    const afterA = writes();
    expect(afterA.default).toBe(beforeA.default);
    expect(afterA['team-b']).toBe(beforeA['team-b']);
    expect(afterA['team-a']).toBe(beforeA['team-a'] + 1);
    expect((await driftFrom(t, backup)).changes.map((c) => c.name).sort()).toEqual([
      'default: rogue',
      'team-b: orders',
    ]);

    // the whole backup
    await command(t, PEOPLE.operator, `restore prod ${backup.id} --reason "everything"`);
    const card = lastCard(t);
    const restore = await restoreOfCard(t, card);
    const planned = await cardShows(t, card.ts, /Awaiting approval/);
    expect(await click(t, PEOPLE.approver, planned, RESTORE_APPROVE_ACTION)).toMatch(/approved/);
    expect((await waitForRestore(t, restore.id, ['completed', 'partially_failed', 'failed'])).status).toBe(
      'completed',
    );
    expect((await driftFrom(t, backup)).changes).toEqual([]);
  }, 90_000);

  it('the CLI twin restores one section of one workspace (--only team-b/routes), the others untouched', async () => {
    const config = ['--config', t.env.configPath];
    const backup = (await t.services.repos.backups.listByConnection('prod', { limit: 10 })).find(
      (b) => b.type === 'manual',
    )!;
    expect(await call('DELETE', '/team-b/routes/orders')).toBe(204);
    expect(await call('PATCH', '/team-a/services/orders', { port: 7777 })).toBe(200);
    const before = writes();

    const asked = await runSnapgateBin(
      ['restore', 'prod', backup.id, '--only', 'team-b/routes', '--reason', 'Slack is down', ...config],
      t.env.env,
    );
    expect(asked.err).toBe('');
    expect(asked.code).toBe(0);
    expect(asked.out).toContain('creating route team-b: orders');
    expect(asked.out).not.toContain('team-a');
    const id = /restore (\S+) is awaiting approval/.exec(asked.out)?.[1] ?? '';
    const planHash = /^plan ([0-9a-f]{64})$/m.exec(asked.out)?.[1] ?? '';
    Object.assign(process.env, t.env.env);
    const approved = await cliInProcess([
      'approve',
      id,
      '--plan',
      planHash,
      '--as',
      PEOPLE.approver,
      '--credential-file',
      credentialFile,
      ...config,
    ]);
    expect(approved.err).toBe('');
    expect(approved.code).toBe(0);
    expect((await waitForRestore(t, id, ['completed', 'partially_failed', 'failed'])).status).toBe(
      'completed',
    );
    const after = writes();
    expect(after.default).toBe(before.default);
    expect(after['team-a']).toBe(before['team-a']);
    expect(after['team-b']).toBe(before['team-b'] + 1);
    expect((await driftFrom(t, backup)).changes.map((c) => c.name)).toEqual(['team-a: orders']);

    // a decK file holds one workspace: the export names which
    const file = join(t.env.dir, 'primary', backup.artifactName!);
    const out = join(t.env.dir, 'team-b.yaml');
    const blind = await cliInProcess(['artifact', 'export', file, '--output', out, ...config]);
    expect(blind.code).toBe(1);
    expect(blind.err).toContain(
      'the backup holds workspaces default, team-a, team-b; a decK file holds one: pass --workspace <name>',
    );
    const one = await cliInProcess([
      'artifact',
      'export',
      file,
      '--output',
      out,
      '--workspace',
      'team-b',
      ...config,
    ]);
    expect(one.code).toBe(0);
    const deck = fromDeckFile(readFileSync(out, 'utf8'));
    expect(deck.meta.workspace).toBe('team-b');
    expect(Object.values(deck.entities.services ?? {}).map((s) => [s.name, s.host, s._workspace])).toEqual([
      ['orders', 'b.internal', undefined],
    ]);
  }, 90_000);
});
