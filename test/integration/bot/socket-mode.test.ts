/**
 * Socket Mode end to end: the real Bolt app connected to the fake's Socket Mode WebSocket
 * (`apps.connections.open`, `hello`, envelopes, acks, `disconnect`), the jobs' workers on real Redis
 * (random prefix) and SQLite, kong-sim, and the Redis request ledger `serve` uses. A backup over the
 * socket; a `refresh_requested` disconnect while a backup runs; an envelope delivered again after its
 * ack was lost gives one card and one backup.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisRequestLedger } from '../../../src/bot/dedup.ts';
import { fromJobServices } from '../../../src/bot/job-services.ts';
import { createServices, type Runtime as Services } from '../../../src/compose/index.ts';
import type { Backup } from '../../../src/db/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { type KongSim, startKongSim } from '../../../tools/kong-sim/index.ts';
import type { FakeMessage } from '../../support/fake-slack/index.ts';
import { deletePrefix } from '../jobs/harness.ts';
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

const SEED = {
  _format_version: '3.0',
  services: [
    { name: 'orders', host: 'orders.internal', routes: [{ name: 'orders-api', paths: ['/orders'] }] },
  ],
};

let sim: KongSim;
let base: BaseFixture;
let services: Services;
let workers: RunningWorkers;
let t: BotFixture;
let redis: Redis;
const prefix = `sgsock-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  // a little latency per Admin API call, so a backup is still running when the socket is refreshed
  sim = await startKongSim({ token: CONFIG_ENV.KONG_PROD_TOKEN, seed: SEED, latencyMs: 40 });
  base = await openBase(sim.url);
  redis = new Redis('redis://127.0.0.1:6379');
  t = await startBot(
    async (output) => {
      services = await createServices({
        config: base.config,
        notifier: output.notifier,
        redis: { prefix },
        retry: { attempts: 1, backoffMs: 50 },
      });
      workers = await startWorkers(services, { syncSchedules: false, recover: false, log: () => undefined });
      return fromJobServices(services);
    },
    { transport: 'socket', socketAckTimeoutMs: 1000, requests: redisRequestLedger(redis, { prefix }) },
  );
}, 30_000);

afterAll(async () => {
  await t.close();
  await workers.close(2000);
  await services.close();
  await sim.close();
  await deletePrefix(prefix);
  redis.disconnect();
  base.cleanup();
}, 30_000);

afterEach(() => t.fake.assertNoProblems());

const cardText = (m: FakeMessage | undefined) =>
  textOf({ text: m?.text, attachments: m?.attachments, blocks: m?.blocks });

const backupCards = () => t.fake.channel(CHANNEL).filter((m) => /backup of `prod`/.test(cardText(m)));

async function waitForCard(ts: string, label: RegExp): Promise<FakeMessage> {
  return t.fake.waitFor(() => {
    const m = t.fake.message(CHANNEL, ts);
    return m && label.test(cardText(m)) ? m : undefined;
  }, 20_000);
}

async function backupsOfCard(ts: string): Promise<Backup[]> {
  return (await services.repos.backups.listByConnection('prod', { limit: 100 })).filter(
    (b) => b.slack?.ts === ts,
  );
}

async function waitForRow(ts: string): Promise<Backup> {
  for (let i = 0; i < 500; i++) {
    const [found] = await backupsOfCard(ts);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no backup record points at card ${ts}`);
}

describe('Socket Mode', () => {
  it('connects with the app token and takes a backup over the socket: ack, one card, completed', async () => {
    expect(t.bot.mode).toBe('socket');
    expect(t.fake.socket.open).toBe(1);
    const opens = t.fake.callsTo('apps.connections.open');
    expect(opens.map((c) => c.outcome)).toEqual(['ok']);

    const before = backupCards().length;
    const r = await t.kong(PEOPLE.operator, 'backup prod --note "over the socket"');
    expect(r.status).toBe(200);
    expect(r.ackMs).toBeLessThan(3000);
    const card = await t.fake.waitFor(() => backupCards()[before], 10_000);
    await waitForCard(card.ts, /Completed/);
    const [backup] = await backupsOfCard(card.ts);
    expect(backup).toMatchObject({
      status: 'completed',
      note: 'over the socket',
      requestedBy: PEOPLE.operator,
    });
    // the envelope was acked once, and nothing was delivered again
    expect(t.fake.socket.envelopes.filter((e) => e.retry_attempt)).toEqual([]);
  });

  it('a refresh_requested disconnect while a backup runs: the bot reconnects, the backup completes, the next command works', async () => {
    const opened = t.fake.socket.opened;
    const before = backupCards().length;
    const r = await t.kong(PEOPLE.operator, 'backup prod');
    expect(r.status).toBe(200);
    const card = await t.fake.waitFor(() => backupCards()[before], 10_000);
    const row = await waitForRow(card.ts);
    expect(['pending', 'running']).toContain(row.status);

    t.fake.socket.disconnect('refresh_requested');
    await t.fake.socket.waitForConnections(opened + 1);
    // the fake counts a connection when it sends hello; the bot, once it has read it
    await t.fake.waitFor(() => t.bot.socketStatus()?.connected);
    expect(t.bot.socketStatus()).toMatchObject({ connected: true, reconnects: opened, failures: 0 });
    await waitForCard(card.ts, /Completed/);
    expect(await backupsOfCard(card.ts)).toHaveLength(1);

    const after = await t.kong(PEOPLE.operator, 'backup prod --note "after the refresh"');
    expect(after.status).toBe(200);
    const next = await t.fake.waitFor(() => backupCards()[before + 1], 10_000);
    await waitForCard(next.ts, /Completed/);
    expect(t.fake.callsTo('apps.connections.open').map((c) => c.outcome)).toEqual(
      Array(opened + 1).fill('ok'),
    );
  });

  it('an envelope delivered again after its ack was lost gives one card and one backup', async () => {
    const cards = backupCards().length;
    const rows = (await services.repos.backups.listByConnection('prod', { limit: 100 })).length;
    const sent = t.fake.socket.envelopes.length;
    t.fake.socket.dropAcks(1);
    const r = await t.kong(PEOPLE.operator, 'backup prod --note "ack lost"');
    // the first ack was dropped; the redelivery (retry_attempt 1) is what got acked
    expect(r.status).toBe(200);
    const deliveries = t.fake.socket.envelopes.slice(sent);
    expect(deliveries.map((e) => e.retry_attempt ?? 0)).toEqual([0, 1]);
    expect(deliveries[1]).toMatchObject({ retry_reason: 'timeout', payload: deliveries[0]!.payload });

    const card = await t.fake.waitFor(() => backupCards()[cards], 10_000);
    await waitForCard(card.ts, /Completed/);
    await t.bot.idle();
    await new Promise((res) => setTimeout(res, 300));
    expect(backupCards()).toHaveLength(cards + 1);
    const all = await services.repos.backups.listByConnection('prod', { limit: 100 });
    expect(all).toHaveLength(rows + 1);
    expect(all.filter((b) => b.note === 'ack lost')).toHaveLength(1);
    // one ephemeral answer for one command
    expect(t.responses(r.responseId)).toHaveLength(1);
  });
});
