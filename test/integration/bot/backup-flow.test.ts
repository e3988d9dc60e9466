/**
 * End to end through the real pieces: signed `/kong` requests into the Bolt HTTP receiver, fake Slack,
 * real Redis (random BullMQ prefix), real SQLite, kong-sim, the jobs' workers reporting through the
 * Slack notifier. Backup → card → worker → thread → completed card; the gateway-down failure; a diff
 * with the full file in the thread; verify; roles for users and groups on writes.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromJobServices } from '../../../src/bot/job-services.ts';
import { createServices, type Runtime as Services } from '../../../src/compose/index.ts';
import type { Backup } from '../../../src/db/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { type KongSim, startKongSim } from '../../../tools/kong-sim/index.ts';
import type { FakeMessage } from '../../support/fake-slack/index.ts';
import {
  type BaseFixture,
  type BotFixture,
  CHANNEL,
  CONFIG_ENV,
  openBase,
  PEOPLE,
  startBot,
  textOf,
} from './harness.ts';

const KEYAUTH_SECRET = 'keyauth-secret-do-not-leak-51c9';
const SEED = {
  _format_version: '3.0',
  services: [
    {
      name: 'orders',
      host: 'orders.internal',
      routes: [{ name: 'orders-api', paths: ['/orders'] }],
      plugins: [{ name: 'rate-limiting', config: { minute: 100, policy: 'local' } }],
    },
    { name: 'billing', host: 'billing.internal', routes: [{ name: 'billing-api', paths: ['/billing'] }] },
  ],
  consumers: [{ username: 'alice', keyauth_credentials: [{ key: KEYAUTH_SECRET }] }],
};

let sim: KongSim;
let base: BaseFixture;
let services: Services;
let workers: RunningWorkers;
let t: BotFixture;
const prefix = `sgbot-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  sim = await startKongSim({ token: CONFIG_ENV.KONG_PROD_TOKEN, seed: SEED });
  // staging points at a port nothing listens on: the gateway-down path
  base = await openBase(sim.url, 'http://127.0.0.1:9');
  t = await startBot(async (output) => {
    services = await createServices({
      config: base.config,
      notifier: output.notifier,
      redis: { prefix },
      retry: { attempts: 1, backoffMs: 50 },
    });
    workers = await startWorkers(services, { syncSchedules: false, recover: false, log: () => undefined });
    return fromJobServices(services);
  });
});

afterAll(async () => {
  await t.close();
  await workers.close(2000);
  await services.close();
  await sim.close();
  await deletePrefix(prefix);
  base.cleanup();
});

afterEach(() => t.fake.assertNoProblems());

const cardText = (m: FakeMessage | undefined) =>
  textOf({ text: m?.text, attachments: m?.attachments, blocks: m?.blocks });

/** Sends `/kong <text>`, checks the ack, and returns the card it posted once the record exists. */
async function runBackup(user: string, text: string): Promise<{ card: FakeMessage; backup: Backup }> {
  const before = t.fake.channel(CHANNEL).length;
  const r = await t.kong(user, text);
  expect(r.status).toBe(200);
  expect(r.ackMs).toBeLessThan(3000);
  const card = await t.fake.waitFor(() => t.fake.channel(CHANNEL)[before], 10_000);
  return { card, backup: await waitForRow(card.ts) };
}

async function waitForRow(ts: string): Promise<Backup> {
  for (let i = 0; i < 500; i++) {
    for (const c of base.config.connections) {
      const rows = await services.repos.backups.listByConnection(c.name, { limit: 50 });
      const found = rows.find((b) => b.slack?.ts === ts);
      if (found) return found;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no backup record points at card ${ts}`);
}

async function waitForCard(ts: string, label: RegExp, timeoutMs = 20_000): Promise<FakeMessage> {
  return t.fake.waitFor(() => {
    const m = t.fake.message(CHANNEL, ts);
    return m && label.test(cardText(m)) ? m : undefined;
  }, timeoutMs);
}

describe('/kong backup', () => {
  it('posts one card, the worker takes the backup, the thread tells the story, the card ends completed', async () => {
    const { card, backup } = await runBackup(PEOPLE.operator, 'backup prod --note "before the 2.4 rollout"');
    expect(cardText(card)).toMatch(/backup of `prod`/);
    expect(backup.slack).toEqual({ channel: CHANNEL, ts: card.ts });
    expect(backup.note).toBe('before the 2.4 rollout');

    const done = await waitForCard(card.ts, /Completed/);
    expect(done.attachments?.[0]).toMatchObject({ color: '#2eb67d' });
    const final = (await services.repos.backups.get(backup.id))!;
    expect(final.status).toBe('completed');
    await t.bot.idle();

    // one reply: the result (progress moved the card, not the thread)
    const thread = t.fake.thread(CHANNEL, card.ts).map((m) => cardText(m));
    expect(thread).toHaveLength(1);
    expect(cardText(done)).toMatch(/\d+ entities \(.*services/);
    const result = thread.at(-1)!;
    expect(result).toContain(final.artifactName!);
    expect(result).toContain(final.sha256!.slice(0, 12));
    expect(result).toMatch(/services: 2/);
    // one top-level message for the whole backup
    expect(t.fake.channel(CHANNEL).filter((m) => m.ts === card.ts)).toHaveLength(1);

    const audit = await base.audit.list({ connection: 'prod', limit: 20 });
    const actions = audit.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['slack.command', 'backup.requested', 'backup.completed']),
    );
  });

  it('a 429 on a card edit is waited out and the card still ends completed', async () => {
    t.fake.inject429('chat.update', 1, 1);
    const { card } = await runBackup(PEOPLE.operator, 'backup prod');
    await waitForCard(card.ts, /Completed/);
    const edits = t.fake
      .callsTo('chat.update')
      .filter((c) => c.body.ts === card.ts)
      .map((c) => c.outcome);
    expect(edits).toContain('429');
    expect(edits.at(-1)).toBe('ok');
  });

  it('a gateway that is down ends in a failed card whose thread says what to check', async () => {
    const { card, backup } = await runBackup(PEOPLE.operator, 'backup staging');
    const failed = await waitForCard(card.ts, /Failed/);
    expect(failed.attachments?.[0]).toMatchObject({ color: '#e01e5a' });
    await t.bot.idle();
    const reply = cardText(t.fake.thread(CHANNEL, card.ts).at(-1));
    expect(reply).toMatch(/could not reach this gateway's admin API/);
    expect((await services.repos.backups.get(backup.id))!.status).toBe('failed');
  });

  it.each([
    [PEOPLE.operatorByGroup, true],
    [PEOPLE.viewerByGroup, false],
    [PEOPLE.nobody, false],
  ])('roles: %s may back up prod: %s', async (user, allowed) => {
    const rows = (await services.repos.backups.listByConnection('prod', { limit: 100 })).length;
    const jobs = await jobCount();
    const posts = t.fake.channel(CHANNEL).length;
    const r = await t.kong(user, 'backup prod');
    expect(r.status).toBe(200);
    const [answer] = await t.fake.waitFor(() =>
      t.responses(r.responseId).length ? t.responses(r.responseId) : undefined,
    );
    if (allowed) {
      expect(textOf(answer)).toMatch(/queued/);
      const card = t.fake.channel(CHANNEL)[posts]!;
      await waitForCard(card.ts, /Completed/);
    } else {
      expect(textOf(answer)).toMatch(/needs the \*operator\* role/);
      await new Promise((res) => setTimeout(res, 100));
      expect(t.fake.channel(CHANNEL)).toHaveLength(posts);
      expect(await services.repos.backups.listByConnection('prod', { limit: 100 })).toHaveLength(rows);
      expect(await jobCount()).toBe(jobs);
      const [last] = await base.audit.list({ actor: user, limit: 1 });
      expect(last).toMatchObject({ action: 'slack.refused', outcome: 'refused', connection: 'prod' });
    }
  });
});

describe('/kong diff', () => {
  it('shows counts and first changes with deletes marked, and uploads the masked full diff into the thread', async () => {
    // the gateway drifts from the latest backup: one service added, one route removed
    await fetch(`${sim.url}/services`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'kong-admin-token': CONFIG_ENV.KONG_PROD_TOKEN },
      body: JSON.stringify({ name: 'rogue', host: 'rogue.internal' }),
    });
    await fetch(`${sim.url}/routes/billing-api`, {
      method: 'DELETE',
      headers: { 'kong-admin-token': CONFIG_ENV.KONG_PROD_TOKEN },
    });
    const before = t.fake.channel(CHANNEL).length;
    const r = await t.kong(PEOPLE.operator, 'diff prod latest');
    expect(r.status).toBe(200);
    expect(r.ackMs).toBeLessThan(3000);
    const card = await t.fake.waitFor(() => t.fake.channel(CHANNEL)[before], 10_000);
    const shown = await waitForCard(card.ts, /Diff\*/);
    const text = cardText(shown);
    expect(text).toMatch(/1 create, 0 update, 1 delete/);
    expect(text).toContain(':warning:');
    expect(text).toMatch(/delete service rogue/);
    expect(text).toMatch(/create route billing-api/);

    const file = await t.fake.waitFor(
      () => t.fake.files.find((f) => f.threadTs === card.ts && f.completed),
      10_000,
    );
    const content = file.content!.toString('utf8');
    expect(content).toContain('[DESTRUCTIVE]');
    expect(content).toContain('billing-api');
    // no secret reached Slack: not in the file, not in any call
    expect(content).not.toContain(KEYAUTH_SECRET);
    const everything =
      JSON.stringify(t.fake.calls) + t.fake.files.map((f) => f.content?.toString('utf8')).join('');
    expect(everything).not.toContain(KEYAUTH_SECRET);
    expect(everything).not.toContain(CONFIG_ENV.KONG_PROD_TOKEN);
  });
});

describe('/kong verify', () => {
  it('enqueues a verify job and edits its card with each copy’s result', async () => {
    const latest = (await services.repos.backups.findLatestCompleted('prod'))!;
    const before = t.fake.channel(CHANNEL).length;
    const r = await t.kong(PEOPLE.operator, `verify ${latest.id}`);
    expect(r.status).toBe(200);
    const card = await t.fake.waitFor(() => t.fake.channel(CHANNEL)[before], 10_000);
    const verified = await waitForCard(card.ts, /Verified/);
    expect(cardText(verified)).toMatch(/2 copies ok/);
  });
});

describe('/kong diff with the primary copy gone', () => {
  it('reads the backup from the next copy and the card and the file say which one, and why', async () => {
    const latest = (await services.repos.backups.findLatestCompleted('prod'))!;
    const copies = await services.repos.backups.listCopies(latest.id);
    const primary = copies.find((c) => c.target === 'primary')!;
    const offsite = copies.find((c) => c.target !== 'primary')!;
    await rm(primary.location);

    const before = t.fake.channel(CHANNEL).length;
    const r = await t.kong(PEOPLE.operator, `diff prod ${latest.id}`);
    expect(r.status).toBe(200);
    const card = await t.fake.waitFor(() => t.fake.channel(CHANNEL)[before], 10_000);
    const text = cardText(await waitForCard(card.ts, /Diff\*|No differences/));
    expect(text).toContain(`read from copy \`${offsite.target}\``);
    expect(text).toContain(`primary: missing (${primary.location})`);
    const file = await t.fake.waitFor(
      () => t.fake.files.find((f) => f.threadTs === card.ts && f.completed),
      10_000,
    );
    expect(file.content!.toString('utf8')).toContain(
      `read from copy ${offsite.target} (${offsite.location}); primary: missing (${primary.location})`,
    );
  });
});

/** Every backup job BullMQ holds in any state: a refused command must not add one. */
async function jobCount(): Promise<number> {
  const counts = await services.queues.backup.getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function deletePrefix(p: string): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${p}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
