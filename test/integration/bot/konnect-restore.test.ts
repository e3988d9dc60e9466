/**
 * A Kong Konnect control plane (`type: konnect`, kong-sim's Konnect mode) through the whole product, as
 * Slack and the CLI twin drive it: `/kong backup prod`, break, `/kong diff`, `/kong restore` approved by a
 * second person → zero drift; then `snapgate restore` + `snapgate approve` with an approver credential →
 * zero drift. Konnect's own entities (tagged `konnect-managed`) are in no backup and no plan, and survive.
 * Real Bolt app, fake Slack, Redis, SQLite, workers.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { credentialSha256 } from '../../../src/app/index.ts';
import { RESTORE_APPROVE_ACTION } from '../../../src/bot/views/restore-card.ts';
import { cliInProcess, runSnapgateBin } from '../../support/snapgate-cli.ts';
import { KONNECT_TOKEN, konnectEnvOptions, SEED, waitForBackup } from '../jobs/harness.ts';
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

const KONNECT_SEED = {
  ...SEED,
  services: [
    ...SEED.services,
    { name: 'konnect-analytics', host: 'analytics.konghq.internal', tags: ['konnect-managed'] },
  ],
};

describe('a Konnect control plane through Slack and the CLI', () => {
  let t: RestoreSlackEnv;
  let credentialFile: string;

  beforeAll(async () => {
    t = await createRestoreSlackEnv({}, konnectEnvOptions(KONNECT_SEED), async (env) => {
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

  /** The control plane's core-entities API, as another Konnect user would change it. */
  async function konnect(
    method: string,
    path: string,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  ): Promise<{ status: number; body: any }> {
    const url = t.env.sim.url;
    const headers = { authorization: `Bearer ${KONNECT_TOKEN}`, 'content-type': 'application/json' };
    const list = (await (
      await fetch(`${url}/v2/control-planes?filter[name][eq]=prod`, { headers })
    ).json()) as {
      data: { id: string }[];
    };
    const res = await fetch(`${url}/v2/control-planes/${list.data[0]?.id}/core-entities${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function breakIt(rogue: string): Promise<void> {
    expect((await konnect('PATCH', '/services/orders', { port: 9999 })).status).toBe(200);
    await konnect('DELETE', '/routes/billing-api');
    expect((await konnect('POST', '/services', { name: rogue, host: `${rogue}.internal` })).status).toBe(201);
  }

  it('backup → break → diff → two-person restore in Slack → zero drift; Konnect-managed entities untouched', async () => {
    const answer = await command(t, PEOPLE.operator, 'backup prod --note "before the change"');
    expect(answer).toMatch(/backup/i);
    const backups = await t.services.repos.backups.listByConnection('prod', { limit: 5 });
    const backup = await waitForBackup(t.services, backups[0]!.id);
    expect(backup.failureReason ?? null).toBeNull();
    expect(backup.status).toBe('completed');
    expect(backup.counts).toMatchObject({ services: 2 });

    await breakIt('rogue');
    const drift = await driftFrom(t, backup);
    expect(drift.changes.map((c) => `${c.op} ${c.kind} ${c.name}`).sort()).toEqual([
      'create routes billing-api',
      'delete services rogue',
      'update services orders',
    ]);

    const before = t.bot.fake.channel(CHANNEL).length;
    expect((await t.bot.kong(PEOPLE.operator, `diff prod ${backup.id}`)).status).toBe(200);
    const posted = await t.bot.fake.waitFor(() => t.bot.fake.channel(CHANNEL)[before], 10_000);
    const diffCard = await cardShows(t, posted.ts, /Diff\*/);
    expect(textOf(diffCard)).toMatch(/1 create, 1 update, 1 delete/);
    expect(textOf(diffCard)).toMatch(/delete service rogue/);
    expect(JSON.stringify(diffCard)).not.toContain('konnect-analytics');

    const requested = await command(t, PEOPLE.operator, `restore prod ${backup.id} --reason "konnect drill"`);
    expect(requested).toMatch(/Restore request .* posted/);
    const card = lastCard(t);
    const restore = await restoreOfCard(t, card);
    const planned = await cardShows(t, card.ts, /Awaiting approval/);
    expect(await click(t, PEOPLE.approver, planned, RESTORE_APPROVE_ACTION)).toMatch(/approved/);
    const done = await waitForRestore(t, restore.id, ['completed', 'partially_failed', 'failed']);
    expect(done.status).toBe('completed');
    expect((await driftFrom(t, backup)).changes).toEqual([]);
    await cardShows(t, card.ts, /Completed/);
    expect((await konnect('GET', '/services/konnect-analytics')).status).toBe(200);
    expect((await konnect('GET', '/services/rogue')).status).toBe(404);
  }, 90_000);

  it('the CLI twin: snapgate restore + snapgate approve with the approver credential → zero drift', async () => {
    const config = ['--config', t.env.configPath];
    const backups = await t.services.repos.backups.listByConnection('prod', { limit: 10 });
    const backup = backups.find((b) => b.type === 'manual')!;
    await breakIt('rogue-cli');

    const asked = await runSnapgateBin(
      ['restore', 'prod', backup.id, '--reason', 'Slack is down', ...config],
      t.env.env,
    );
    expect(asked.err).toBe('');
    expect(asked.code).toBe(0);
    expect(asked.out).toContain('deleting service rogue-cli');
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
    expect((await driftFrom(t, backup)).changes).toEqual([]);
    expect((await konnect('GET', '/services/konnect-analytics')).status).toBe(200);
  }, 90_000);
});
