import { describe, expect, it } from 'vitest';
import { failureAdvice } from '../../../src/app/failure-advice.ts';
import { FAILURE_CODES } from '../../../src/app/ports/records.ts';
import { BotEnvError, readBotEnv } from '../../../src/bot/env.ts';
import { actionFilter, decodeCursor, encodeCursor } from '../../../src/bot/handlers/audit-cursor.ts';
import { explainFailure, scrubReason } from '../../../src/bot/views/failure.ts';

describe('audit cursor', () => {
  it('round-trips and rejects anything it did not make', () => {
    const c = {
      connection: 'prod',
      actor: 'U0ABC',
      action: 'restore.*',
      since: 1_700_000_000_000,
      limit: 20,
      page: 3,
      beforeSeq: 41,
    };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor(encodeCursor({ limit: 5, page: 2, beforeSeq: 9 }))).toEqual({
      limit: 5,
      page: 2,
      beforeSeq: 9,
    });
    for (const bad of [
      '',
      'not-base64!',
      Buffer.from('{"l":500,"p":2,"b":1}').toString('base64url'),
      Buffer.from('{"l":5,"p":2,"b":1,"sql":"x"}').toString('base64url'),
    ]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });

  it.each([
    ['restore', 'restore.*'],
    ['restore.approved', 'restore.approved'],
    ['slack', 'slack.*'],
  ])('action %s → %s', (a, f) => expect(actionFilter(a)).toBe(f));
});

describe('readBotEnv', () => {
  const ok = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
  it('reads HTTP and Socket Mode settings; tokens stay Secret', () => {
    const e = readBotEnv({ ...ok, PORT: '0', SLACK_API_URL: 'http://127.0.0.1:1/api/' });
    expect(e.port).toBe(0);
    expect(String(e.botToken)).toBe('[redacted]');
    expect(e.botToken.reveal()).toBe('xoxb-1');
    expect(readBotEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).appToken?.reveal()).toBe(
      'xapp-1',
    );
  });

  it('reads the Socket Mode reconnect back-off, 1 s to 60 s unless set', () => {
    expect(readBotEnv(ok).reconnect).toEqual({ minMs: 1000, maxMs: 60_000 });
    expect(
      readBotEnv({ ...ok, SLACK_RECONNECT_MIN_MS: '50', SLACK_RECONNECT_MAX_MS: '400' }).reconnect,
    ).toEqual({ minMs: 50, maxMs: 400 });
  });

  it.each([
    [{}, /SLACK_BOT_TOKEN is not set/],
    [{ ...ok, SLACK_BOT_TOKEN: 'xoxp-1' }, /must be a bot token/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_SIGNING_SECRET is not set/],
    [{ ...ok, PORT: 'eighty' }, /PORT must be/],
    [{ ...ok, SLACK_APP_TOKEN: 'xoxb-2' }, /app-level token/],
    [{ ...ok, SLACK_API_URL: 'http://x/api' }, /ending in "\/"/],
    [{ ...ok, SLACK_RECONNECT_MIN_MS: 'soon' }, /SLACK_RECONNECT_MIN_MS must be a whole number/],
    [{ ...ok, SLACK_RECONNECT_MAX_MS: '0' }, /SLACK_RECONNECT_MAX_MS must be a whole number/],
    [{ ...ok, SLACK_RECONNECT_MIN_MS: '5000', SLACK_RECONNECT_MAX_MS: '100' }, /must not be larger/],
  ])('%o → %s', (env, message) => {
    expect(() => readBotEnv(env)).toThrow(BotEnvError);
    expect(() => readBotEnv(env)).toThrow(message);
  });
});

describe('readBotEnv for a process that only writes to Slack', () => {
  it('a worker needs the bot token but no signing secret or app token', () => {
    const e = readBotEnv({ SLACK_BOT_TOKEN: 'xoxb-1' }, { receiving: false });
    expect(e.botToken.reveal()).toBe('xoxb-1');
    expect(() => readBotEnv({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET is not set/);
    expect(() => readBotEnv({ SLACK_BOT_TOKEN: 'nope' }, { receiving: false })).toThrow(
      /must be a bot token/,
    );
  });
});

describe('failure advice', () => {
  it.each([
    ['gateway_unreachable', 'connect ECONNREFUSED 127.0.0.1:8001', /could not reach/],
    ['gateway_auth', 'wrong token: the admin token was refused (401)', /refused the admin credentials/],
    ['storage', 'storage not writable: EACCES on /x', /could not be written/],
    ['key_missing', 'key missing: no current key', /key ring/],
    ['gateway_error', 'gateway error: Kong answered 503', /answered with an error/],
    ['plan_refused', 'the plan would break the gateway', /refused before any write/],
    ['worker_stopped', 'the worker stopped', /worker running the job stopped/],
    [null, 'something odd', /Read the reason/],
  ] as const)('%s → advice chosen by the code', (code, reason, advice) => {
    expect(explainFailure({ code, reason }).advice).toMatch(advice);
  });

  it('chooses by the code, never by the words of the reason', () => {
    // a reason that mentions a network error but was recorded as a storage failure gets storage advice
    expect(explainFailure({ code: 'storage', reason: 'ECONNREFUSED while writing' }).advice).toMatch(
      /could not be written/,
    );
    expect(explainFailure({ code: null, reason: 'connect ECONNREFUSED' }).advice).toMatch(/Read the reason/);
  });

  it('has advice for every failure code', () => {
    for (const code of FAILURE_CODES) expect(failureAdvice(code).length).toBeGreaterThan(40);
  });

  it('removes credentials from URLs and Slack tokens', () => {
    expect(scrubReason('GET https://admin:hunter2@kong:8444/services failed')).toBe(
      'GET https://kong:8444/services failed',
    );
    expect(scrubReason('token xoxb-123-456-abc leaked')).not.toContain('123-456');
  });
});
