/**
 * The Slack output path against the fake Slack: card edits throttled with the latest state winning,
 * a 429 on one channel holding only that channel, and the notifier's card + thread behaviour.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkpointKeyFromRingKey, parseCheckpoint, signCheckpoint } from '../../../src/audit/index.ts';
import { readBotEnv } from '../../../src/bot/env.ts';
import { silentLogger } from '../../../src/bot/logger.ts';
import { redisCardOrder } from '../../../src/bot/slack/card-order.ts';
import { createSlackOutput, type SlackOutput } from '../../../src/bot/slack/output.ts';
import type { Backup } from '../../../src/db/index.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.ts';
import { deletePrefix, REDIS_URL } from '../jobs/harness.ts';

let fake: FakeSlack;
let out: SlackOutput;
const INTERVAL = 300;

beforeAll(async () => {
  fake = await startFakeSlack();
  out = createSlackOutput(
    readBotEnv({ SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.url }),
    { logger: silentLogger(), cardIntervalMs: INTERVAL },
  );
});
afterAll(() => fake.close());
afterEach(() => fake.assertNoProblems());

async function postCard(channel: string, text: string) {
  const r = await out.outbox.run(channel, (c) => c.chat.postMessage({ channel, text }));
  const ref = { channel, ts: r.ts! };
  out.cards.posted(ref);
  return ref;
}

const updatesOf = (ts: string) => fake.callsTo('chat.update').filter((c) => c.body.ts === ts);

describe('CardUpdater', () => {
  it('edits a card at most once per interval and always ends on the latest state', async () => {
    const ref = await postCard('C1', 'v0');
    for (let i = 1; i <= 5; i++) out.cards.update(ref, { text: `v${i}` });
    await out.notifier.idle();
    expect(updatesOf(ref.ts).map((c) => c.body.text)).toEqual(['v5']);
    // Right after an edit, newer states wait for the interval (load can only delay the timer, never
    // fire it early), then the newest of them is sent.
    out.cards.update(ref, { text: 'v6' });
    out.cards.update(ref, { text: 'v7' });
    await new Promise((r) => setTimeout(r, 20));
    const lastEditAgeMs = Date.now() - updatesOf(ref.ts)[0]!.at;
    if (lastEditAgeMs < INTERVAL - 50) expect(updatesOf(ref.ts)).toHaveLength(1);
    await fake.waitFor(() => updatesOf(ref.ts).length === 2, 5000);
    await out.notifier.idle();
    expect(updatesOf(ref.ts).map((c) => c.body.text)).toEqual(['v5', 'v7']);
    expect(fake.message('C1', ref.ts)?.text).toBe('v7');
  });

  it("a card's final state does not wait out the interval (a process killed meanwhile would lose it)", async () => {
    const slow = createSlackOutput(
      readBotEnv({ SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.url }),
      { logger: silentLogger(), cardIntervalMs: 60_000 },
    );
    const r = await slow.outbox.run('CFINAL', (c) =>
      c.chat.postMessage({ channel: 'CFINAL', text: 'posted' }),
    );
    const ref = { channel: 'CFINAL', ts: r.ts! };
    slow.cards.posted(ref);
    slow.cards.update(ref, { text: 'running' }, 1);
    slow.cards.update(ref, { text: 'completed' }, 2, { final: true });
    // no flush: the minute-long interval is not waited out
    await fake.waitFor(() => fake.message('CFINAL', ref.ts)?.text === 'completed', 3000);
    expect(updatesOf(ref.ts).map((c) => c.body.text)).toEqual(['completed']);
    expect(slow.cards.busy()).toBe(false);
  });

  it('flush delivers a waiting final state at once', async () => {
    const ref = await postCard('C1', 'start');
    out.cards.update(ref, { text: 'final' });
    await out.cards.flush();
    expect(fake.message('C1', ref.ts)?.text).toBe('final');
  });

  it('with a shared order, an instance whose edit waited never takes a card back to an older status', async () => {
    // two processes editing one card, as `serve` (which posted it) and a `snapgate worker` do
    const redis = new Redis(REDIS_URL);
    const prefix = `sgtest-${randomUUID().slice(0, 8)}`;
    try {
      const other = createSlackOutput(
        readBotEnv({ SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.url }),
        { logger: silentLogger(), cardIntervalMs: INTERVAL },
      );
      const ordered = createSlackOutput(
        readBotEnv({ SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.url }),
        { logger: silentLogger(), cardIntervalMs: INTERVAL },
      );
      for (const o of [other, ordered]) o.cards.useOrder(redisCardOrder(redis, { prefix }));
      const ref = await postCard('C2', 'posted');
      ordered.cards.posted(ref); // the poster's first edit waits an interval: it is held back
      ordered.cards.update(ref, { text: 'pending' }, 0);
      other.cards.update(ref, { text: 'running' }, 1);
      other.cards.update(ref, { text: 'running: dumping' }, 1);
      await other.notifier.idle();
      await ordered.notifier.idle();
      expect(fake.message('C2', ref.ts)?.text).toBe('running: dumping');
      other.cards.update(ref, { text: 'completed' }, 2);
      ordered.cards.update(ref, { text: 'running, seen late' }, 1);
      await other.notifier.idle();
      await ordered.notifier.idle();
      expect(updatesOf(ref.ts).map((c) => c.body.text)).toEqual(['running', 'running: dumping', 'completed']);
      expect(fake.message('C2', ref.ts)?.text).toBe('completed');
      // an older rank in the same process is dropped before it is even queued
      other.cards.update(ref, { text: 'pending again' }, 0);
      await other.notifier.idle();
      expect(fake.message('C2', ref.ts)?.text).toBe('completed');
    } finally {
      await deletePrefix(prefix);
      redis.disconnect();
    }
  });
});

describe('SlackOutbox', () => {
  it('a 429 on one channel waits Retry-After for that channel only', async () => {
    fake.inject429('chat.postMessage', 1, 1);
    const started = Date.now();
    const slow = out.outbox.run('CSLOW', (c) => c.chat.postMessage({ channel: 'CSLOW', text: 'held' }));
    await new Promise((r) => setTimeout(r, 50));
    const fast = await out.outbox.run('CFAST', (c) => c.chat.postMessage({ channel: 'CFAST', text: 'free' }));
    const fastAt = Date.now() - started;
    const held = await slow;
    const heldAt = Date.now() - started;
    expect(fastAt).toBeLessThan(900);
    expect(heldAt).toBeGreaterThanOrEqual(1000);
    expect(Number(held.ts)).toBeGreaterThan(Number(fast.ts));
    expect(
      fake
        .callsTo('chat.postMessage')
        .filter((c) => c.body.channel === 'CSLOW')
        .map((c) => c.outcome),
    ).toEqual(['429', 'ok']);
  });

  it('keeps calls of one channel in order', async () => {
    const posts = ['a', 'b', 'c', 'd'].map((t) =>
      out.outbox.run('CORDER', (c) => c.chat.postMessage({ channel: 'CORDER', text: t })),
    );
    await Promise.all(posts);
    expect(fake.channel('CORDER').map((m) => m.text)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('SlackNotifier', () => {
  const base = (over: Partial<Backup>): Backup =>
    ({
      id: 'b-1',
      connection: 'prod',
      type: 'manual',
      status: 'pending',
      requestedBy: 'U0OPER',
      note: null,
      environment: 'production',
      createdAt: new Date(0),
      startedAt: null,
      finishedAt: null,
      attempts: 0,
      counts: null,
      bytes: null,
      sha256: null,
      keyId: null,
      artifactName: null,
      unchangedFrom: null,
      failureReason: null,
      failureCode: null,
      kongVersion: null,
      slack: null,
      prunedAt: null,
      ...over,
    }) as Backup;

  it('progress moves the card only; the thread gets the result once; the finished card carries the counts', async () => {
    const ref = await postCard('CN', 'card');
    const slack = ref;
    out.notifier.backupChanged({ backup: base({ slack }), phase: 'queued' });
    out.notifier.backupChanged({
      backup: base({ slack, status: 'running', startedAt: new Date(0) }),
      phase: 'started',
    });
    out.notifier.backupChanged({
      backup: base({ slack, status: 'running' }),
      phase: 'dumping',
      message: 'services 10/60',
    });
    out.notifier.backupChanged({
      backup: base({ slack, status: 'running' }),
      phase: 'dumping',
      message: 'routes 5/120',
    });
    const done = base({
      slack,
      status: 'completed',
      startedAt: new Date(0),
      finishedAt: new Date(4200),
      counts: { services: 60, routes: 120 },
      bytes: 5000,
      sha256: 'deadbeef'.repeat(8),
      artifactName: 'kong-prod-x.sgb',
    });
    out.notifier.backupChanged({ backup: done, phase: 'finished' });
    out.notifier.backupChanged({ backup: done, phase: 'finished' });
    await out.notifier.idle();
    const thread = fake.thread('CN', ref.ts).map((m) => JSON.stringify(m.blocks));
    expect(thread).toHaveLength(1);
    expect(thread[0]).toContain('kong-prod-x.sgb');
    expect(thread[0]).toContain('deadbeefdead');
    expect(thread[0]).toContain('4.2 s');
    const card = JSON.stringify(fake.message('CN', ref.ts)?.attachments);
    expect(card).toContain('Completed');
    expect(card).toContain('180 entities (120 routes, 60 services)');
    expect(updatesOf(ref.ts).length).toBeLessThanOrEqual(2);
  });

  it('a failed backup shows the reason with advice; backups without a card post nothing', async () => {
    const ref = await postCard('CF', 'card');
    const calls = fake.calls.length;
    out.notifier.backupChanged({ backup: base({ id: 'b-none', status: 'failed', failureReason: 'x' }) });
    await out.notifier.idle();
    expect(fake.calls.length).toBe(calls);
    out.notifier.backupChanged({
      backup: base({
        id: 'b-2',
        slack: ref,
        status: 'failed',
        failureReason: 'connect ECONNREFUSED 127.0.0.1:9',
        failureCode: 'gateway_unreachable',
      }),
    });
    await out.notifier.idle();
    const [reply] = fake.thread('CF', ref.ts);
    expect(JSON.stringify(reply?.blocks)).toMatch(/could not reach[\s\S]*ECONNREFUSED/);
    expect(JSON.stringify(fake.message('CF', ref.ts)?.attachments)).toContain('Failed');
  });
});

describe('SlackNotifier: audit checkpoints', () => {
  it('posts each signed checkpoint (its JSON, verifiable as a file) and a refused one to SLACK_AUDIT_CHANNEL', async () => {
    const audit = createSlackOutput(
      readBotEnv({
        SLACK_BOT_TOKEN: fake.token,
        SLACK_SIGNING_SECRET: 's',
        SLACK_API_URL: fake.url,
        SLACK_AUDIT_CHANNEL: 'CAUDIT',
      }),
      { logger: silentLogger() },
    );
    const key = checkpointKeyFromRingKey('k1', Buffer.alloc(32, 7));
    const checkpoint = signCheckpoint({ seq: 12, hash: 'a'.repeat(64), count: 12, time: new Date(0) }, key);
    audit.notifier.auditCheckpoint({ kind: 'published', checkpoint, reason: 'periodic', locations: ['/x'] });
    audit.notifier.auditCheckpoint({ kind: 'refused', reason: 'periodic', message: 'row 12 hash differs' });
    await audit.notifier.idle();
    const [posted, refused] = fake.channel('CAUDIT');
    expect(posted!.text).toBe('Audit checkpoint #12 (12 events) signed 1970-01-01T00:00:00.000Z');
    const json = /```([\s\S]*)```/.exec(
      JSON.stringify(posted!.attachments).replace(/\\n/g, '\n').replace(/\\"/g, '"'),
    );
    expect(parseCheckpoint(json![1]!)).toEqual(checkpoint);
    expect(refused!.text).toBe('Audit checkpoint refused: row 12 hash differs');
    // without the variable nothing is posted
    out.notifier.auditCheckpoint({ kind: 'published', checkpoint, reason: 'periodic', locations: [] });
    await out.notifier.idle();
    expect(
      fake.callsTo('chat.postMessage').filter((c) => String(c.body.text).startsWith('Audit')),
    ).toHaveLength(2);
  });
});
