import { describe, expect, it } from 'vitest';
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

describe('failure reasons', () => {
  it.each([
    ['connect ECONNREFUSED 127.0.0.1:8001', /could not reach/],
    ['gateway down: cannot reach Kong at http://127.0.0.1:9: connection refused', /could not reach/],
    ['wrong token: the admin token was refused (401)', /refused the admin token/],
    ['storage not writable: EACCES on /x', /could not be written/],
    ['Kong answered 401 Unauthorized', /refused the admin token/],
    ["EACCES: permission denied, open '/var/lib/x'", /could not be written/],
    ['key missing: no current key', /key ring/],
    ['Kong answered 503', /server error/],
    ['something odd', /Read the reason/],
    [null, /Read the reason/],
  ])('%s', (reason, advice) => {
    expect(explainFailure(reason).advice).toMatch(advice);
  });

  it('removes credentials from URLs and Slack tokens', () => {
    expect(scrubReason('GET https://admin:hunter2@kong:8444/services failed')).toBe(
      'GET https://kong:8444/services failed',
    );
    expect(scrubReason('token xoxb-123-456-abc leaked')).not.toContain('123-456');
  });
});
