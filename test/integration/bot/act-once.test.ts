/**
 * Every Slack request acted on once, over HTTP: the same signed `/kong backup` posted twice (a proxy
 * repeating it), and again as Slack's retry (`X-Slack-Retry-Num: 1`), gives one card and one backup; a
 * button click delivered twice is answered once. Real Bolt HTTP receiver, the Redis request ledger `serve`
 * uses (random prefix), the jobs' workers on real Redis and SQLite, kong-sim, fake Slack.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisRequestLedger } from '../../../src/bot/dedup.ts';
import { fromJobServices } from '../../../src/bot/job-services.ts';
import { createServices, type Runtime as Services } from '../../../src/compose/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { boltLogger, createLogger } from '../../../src/observe/log.ts';
import { type KongSim, startKongSim } from '../../../tools/kong-sim/index.ts';
import type { FakeMessage } from '../../support/fake-slack/index.ts';
import { blockActionPayload, sendSigned, slashCommandBody, triggerId } from '../../support/slack-requests.ts';
import { deletePrefix } from '../jobs/harness.ts';
import {
  type BaseFixture,
  type BotFixture,
  CHANNEL,
  CONFIG_ENV,
  openBase,
  PEOPLE,
  SECRET,
  startBot,
  textOf,
} from './harness.ts';

const SEED = {
  _format_version: '3.0',
  services: [{ name: 'orders', host: 'orders.internal' }],
};

let sim: KongSim;
let base: BaseFixture;
let services: Services;
let workers: RunningWorkers;
let t: BotFixture;
let redis: Redis;
const prefix = `sgonce-${randomUUID().slice(0, 8)}`;
/** the bot's log, as JSON lines (issue 14 §5: every line about a request carries its id) */
let logText = '';
const logLines = () =>
  logText
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg: string; level: string; requestId?: string; component?: string });

beforeAll(async () => {
  sim = await startKongSim({ token: CONFIG_ENV.KONG_PROD_TOKEN, seed: SEED });
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
    {
      requests: redisRequestLedger(redis, { prefix }),
      logger: boltLogger(
        createLogger({
          env: { SNAPGATE_LOG_LEVEL: 'debug' },
          pretty: false,
          destination: new Writable({
            write(chunk, _enc, done) {
              logText += chunk.toString();
              done();
            },
          }),
        }),
      ),
    },
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

describe('health on the receiver port', () => {
  it('/healthz and /readyz answer next to /slack/events; an HTTP-mode bot is ready once it listens', async () => {
    const origin = new URL(t.url).origin;
    const health = await fetch(`${origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: {} });
  });
});

describe('the same HTTP request more than once', () => {
  it('a signed /kong backup posted twice, then retried with X-Slack-Retry-Num: 1, gives one card and one backup', async () => {
    const cards = backupCards().length;
    const body = slashCommandBody({
      text: 'backup prod --note "posted twice"',
      userId: PEOPLE.operator,
      channelId: CHANNEL,
      responseUrl: t.fake.responseUrl('twice'),
      triggerId: triggerId(),
    });
    const first = await sendSigned(t.url, SECRET, body);
    const again = await sendSigned(t.url, SECRET, body);
    const retry = await sendSigned(t.url, SECRET, body, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    // every delivery is acked (Slack stops retrying), only the first is acted on
    expect([first.status, again.status, retry.status]).toEqual([200, 200, 200]);

    const card = await t.fake.waitFor(() => backupCards()[cards], 10_000);
    await t.fake.waitFor(() => /Completed/.test(cardText(t.fake.message(CHANNEL, card.ts))), 20_000);
    await t.bot.idle();
    expect(backupCards()).toHaveLength(cards + 1);
    const rows = await services.repos.backups.listByConnection('prod', { limit: 100 });
    expect(rows.filter((b) => b.note === 'posted twice')).toHaveLength(1);
    expect(t.responses('twice')).toHaveLength(1);
    const commands = await base.audit.list({ actor: PEOPLE.operator, limit: 50 });
    expect(commands.filter((e) => e.action === 'slack.command')).toHaveLength(1);

    // the log: the command's line (written after the ack, by the work queue) and each dropped repeat's
    // line carry the id of the request they belong to, one id per delivery
    const handled = logLines().filter((l) => l.msg === `/kong backup by ${PEOPLE.operator}: ok`);
    const repeats = logLines().filter((l) => l.msg.startsWith('ignored a repeated Slack request'));
    expect(handled).toHaveLength(1);
    expect(repeats).toHaveLength(2);
    const ids = [...handled, ...repeats].map((l) => l.requestId);
    expect(ids.every((id) => /^req-[0-9a-f]{12}$/.test(id ?? ''))).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect(logText).not.toContain(CONFIG_ENV.KONG_PROD_TOKEN);
  });

  it('a new invocation of the same command (a new trigger_id) is acted on', async () => {
    const cards = backupCards().length;
    for (const id of ['again-1', 'again-2']) {
      const r = await sendSigned(
        t.url,
        SECRET,
        slashCommandBody({
          text: 'backup prod --note "asked twice"',
          userId: PEOPLE.operator,
          channelId: CHANNEL,
          responseUrl: t.fake.responseUrl(id),
        }),
      );
      expect(r.status).toBe(200);
    }
    await t.fake.waitFor(() => backupCards().length === cards + 2, 10_000);
    await t.bot.idle();
  });

  it('a button click delivered twice is answered and audited once', async () => {
    const page = await t.kong(PEOPLE.admin, 'audit --connection prod --limit 1');
    const [listed] = await t.fake.waitFor(() =>
      t.responses(page.responseId).length ? t.responses(page.responseId) : undefined,
    );
    const next = JSON.stringify(listed).match(/"action_id":"audit_next_page","value":"([^"]+)"/);
    expect(next).not.toBeNull();
    const click = new URLSearchParams({
      payload: JSON.stringify(
        blockActionPayload({
          actionId: 'audit_next_page',
          value: next![1]!,
          userId: PEOPLE.admin,
          channelId: CHANNEL,
          messageTs: '1700000000.000001',
          blockId: 'b',
          responseUrl: t.fake.responseUrl('click-twice'),
          triggerId: triggerId(),
        }),
      ),
    }).toString();
    const seq = (await base.audit.head())!.seq;
    expect((await sendSigned(t.url, SECRET, click)).status).toBe(200);
    expect((await sendSigned(t.url, SECRET, click)).status).toBe(200);
    await t.fake.waitFor(() => t.responses('click-twice').length > 0);
    await t.bot.idle();
    await new Promise((r) => setTimeout(r, 200));
    expect(t.responses('click-twice')).toHaveLength(1);
    // the /kong audit command's own event may land after its answer: count the clicks' events only
    const clicks = (await base.audit.list({ actor: PEOPLE.admin, limit: 20 })).filter(
      (e) =>
        e.seq > seq &&
        e.action === 'slack.button' &&
        (e.details as { action?: string } | null)?.action === 'audit_next_page',
    );
    expect(clicks).toHaveLength(1);
  });
});
