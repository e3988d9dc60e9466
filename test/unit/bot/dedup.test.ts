/**
 * The request ledger and request identities (src/bot/dedup.ts): what identifies a Slack request, the
 * in-process window, and the Redis ledger shared by two instances (real Redis, random prefix).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  actOnce,
  memoryRequestLedger,
  type RequestLedger,
  redisRequestLedger,
  requestIdentity,
} from '../../../src/bot/dedup.ts';
import { blockActionPayload, slashCommandPayload } from '../../support/slack-requests.ts';

const command = slashCommandPayload({
  text: 'backup prod',
  userId: 'U0OPER',
  channelId: 'C0OPS',
  responseUrl: 'http://127.0.0.1:9/response/x',
  triggerId: '1700000000.1.aaa',
});
const click = blockActionPayload({
  actionId: 'restore_approve',
  value: 'r-1',
  userId: 'U0APPROVER',
  channelId: 'C0OPS',
  messageTs: '1700000000.000001',
  responseUrl: 'http://127.0.0.1:9/response/y',
  blockId: 'plan-abc',
  triggerId: '1700000000.1.bbb',
});

describe('requestIdentity', () => {
  it.each([
    ['a slash command: its trigger_id', command, {}, 'trigger:1700000000.1.aaa', '/kong by U0OPER'],
    [
      'a click: its trigger_id, not the envelope',
      click,
      { envelopeId: 'env-1' },
      'trigger:1700000000.1.bbb',
      'click on restore_approve by U0APPROVER',
    ],
    [
      'an event: its event_id',
      { type: 'event_callback', event_id: 'Ev1', event: { type: 'app_mention', user: 'U1' } },
      { retryNum: 1 },
      'event:Ev1',
      'event_callback from someone',
    ],
    [
      'anything else over Socket Mode: the envelope_id',
      { type: 'x' },
      { envelopeId: 'env-2' },
      'envelope:env-2',
      'x from someone',
    ],
  ])('%s', (_what, body, context, key, label) => {
    expect(requestIdentity(body as Record<string, unknown>, context)).toEqual({ key, label });
  });

  it('a request with nothing to identify it is acted on (no identity)', () => {
    expect(requestIdentity({ type: 'x', trigger_id: '' }, {})).toBeNull();
  });

  it('the label carries no command text, values or response URLs', () => {
    const label = requestIdentity(click, {})!.label + requestIdentity(command, {})!.label;
    for (const s of ['backup prod', 'r-1', 'response', 'plan-abc']) expect(label).not.toContain(s);
  });
});

describe('memoryRequestLedger', () => {
  it('claims an identity once within the window, again after it', async () => {
    let now = 0;
    const ledger = memoryRequestLedger({ windowMs: 1000, now: () => now });
    expect(await ledger.claim('trigger:a')).toBe(true);
    expect(await ledger.claim('trigger:a')).toBe(false);
    expect(await ledger.claim('trigger:b')).toBe(true);
    now = 1000;
    expect(await ledger.claim('trigger:a')).toBe(true);
  });
});

describe('redisRequestLedger', () => {
  const prefix = `sgdedup-${randomUUID().slice(0, 8)}`;
  const a = new Redis('redis://127.0.0.1:6379');
  const b = new Redis('redis://127.0.0.1:6379');
  afterAll(async () => {
    const keys = await a.keys(`${prefix}:*`);
    if (keys.length) await a.del(...keys);
    a.disconnect();
    b.disconnect();
  });

  it('two instances share it: what one claimed, the other sees as a repeat; ids are stored hashed', async () => {
    const one = redisRequestLedger(a, { prefix, windowMs: 60_000 });
    const two = redisRequestLedger(b, { prefix, windowMs: 60_000 });
    expect(await one.claim('trigger:1700000000.1.ccc')).toBe(true);
    expect(await two.claim('trigger:1700000000.1.ccc')).toBe(false);
    expect(await two.claim('trigger:1700000000.1.ddd')).toBe(true);
    const keys = await a.keys(`${prefix}:*`);
    expect(keys).toHaveLength(2);
    for (const k of keys) {
      expect(k).toMatch(new RegExp(`^${prefix}:slack-request:[0-9a-f]{32}$`));
      const ttl = await a.pttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
  });
});

describe('actOnce', () => {
  const lines: string[] = [];
  const logger = {
    debug: (...m: unknown[]) => lines.push(`debug ${m.join(' ')}`),
    info: () => undefined,
    warn: (...m: unknown[]) => lines.push(`warn ${m.join(' ')}`),
    error: () => undefined,
    setLevel: () => undefined,
    getLevel: () => 'debug',
    setName: () => undefined,
  } as unknown as Logger;

  async function deliver(ledger: RequestLedger, context: Record<string, unknown> = {}) {
    let acted = 0;
    let acked = 0;
    const args = {
      body: command,
      context,
      next: async () => {
        acted++;
      },
      ack: async () => {
        acked++;
      },
    };
    await (actOnce(ledger, logger) as (a: unknown) => Promise<void>)(args);
    return { acted, acked };
  }

  it('passes the first delivery on, acks a repeat without acting and logs it at debug without ids', async () => {
    lines.length = 0;
    const ledger = memoryRequestLedger();
    expect(await deliver(ledger)).toEqual({ acted: 1, acked: 0 });
    expect(await deliver(ledger, { retryNum: 1, retryReason: 'http_timeout' })).toEqual({
      acted: 0,
      acked: 1,
    });
    expect(lines).toEqual([
      'debug ignored a repeated Slack request: /kong by U0OPER (retry 1, http_timeout)',
    ]);
  });

  it('acts when the ledger cannot answer (Redis down), and says so', async () => {
    lines.length = 0;
    const down: RequestLedger = { claim: () => Promise.reject(new Error('Connection is closed.')) };
    expect(await deliver(down)).toEqual({ acted: 1, acked: 0 });
    expect(lines).toEqual([
      'warn the request ledger is unavailable, acting on /kong by U0OPER: Connection is closed.',
    ]);
  });
});
