/**
 * The logger (src/observe/log.ts): JSON lines with the job or request they were written for, the level
 * from the environment, readable lines for a terminal, and no secret in any line — fields named like
 * secrets and secret-looking values (the audit log's guard), the config's secret values wherever they
 * appear, and `Secret`s.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jobNotifier, withLogContext, withLogFields } from '../../../src/app/log-context.ts';
import { CompositeNotifier, ConsoleNotifier } from '../../../src/app/notifier.ts';
import { configSecretValues, Secret } from '../../../src/config/index.ts';
import type { Config } from '../../../src/config/types.ts';
import {
  createLogger,
  type LogOptions,
  lineWriter,
  logLevelFromEnv,
  readableLine,
} from '../../../src/observe/log.ts';

function capture(options: Omit<LogOptions, 'destination'> = {}) {
  let text = '';
  const destination = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const logger = createLogger({ env: {}, pretty: false, ...options, destination });
  return {
    logger,
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const KONG_TOKEN = 'kong-admin-token-7f3a-do-not-log';
const SLACK_TOKEN = 'xoxb-1234567890-abcdefghijkl';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';

describe('log lines', () => {
  it('carry the job or request they were written for, across awaits, and not outside it', async () => {
    const { logger, lines } = capture();
    logger.info('process line');
    await withLogContext({ queue: 'backup', jobId: 'b-42' }, async () => {
      logger.info('job started');
      await new Promise((r) => setTimeout(r, 5));
      await withLogContext({ phase: 'dumping' }, async () => logger.debug('not at info'));
      logger.warn({ attempt: 2 }, 'job retrying');
    });
    await withLogContext({ requestId: 'req-1' }, async () => logger.info('command parsed'));
    const got = lines();
    expect(got.map((l) => [l.msg, l.jobId ?? null, l.requestId ?? null])).toEqual([
      ['process line', null, null],
      ['job started', 'b-42', null],
      ['job retrying', 'b-42', null],
      ['command parsed', null, 'req-1'],
    ]);
    expect(got[2]).toMatchObject({ level: 'warn', queue: 'backup', attempt: 2 });
    expect(typeof got[0]!.time).toBe('string');
  });

  it("carry a job's fields for the synchronous call they were set for, nested, and not after its first await", async () => {
    const { logger, lines } = capture();
    let later: Promise<void> = Promise.resolve();
    withLogFields({ queue: 'restore', jobId: 'r-7' }, () => {
      logger.info('job line');
      withLogFields({ job: 'restore-run' }, () => logger.info('inner line'));
      later = (async () => {
        await null;
        logger.info('after an await');
      })();
    });
    await later;
    expect(() =>
      withLogFields({ jobId: 'r-8' }, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    logger.info('outside');
    await withLogContext({ requestId: 'req-2' }, async () => {
      withLogFields({ jobId: 'r-9' }, () => logger.info('a job line inside a request'));
      await null;
      logger.info('the request again');
    });
    expect(lines().map((l) => [l.msg, l.jobId ?? null, l.job ?? null, l.requestId ?? null])).toEqual([
      ['job line', 'r-7', null, null],
      ['inner line', 'r-7', 'restore-run', null],
      ['after an await', null, null, null],
      ['outside', null, null, null],
      ['a job line inside a request', 'r-9', null, 'req-2'],
      ['the request again', null, null, 'req-2'],
    ]);
  });

  it("name a job's notifier lines, each job its own while they interleave, and leave the shared notifier alone", async () => {
    const { logger, lines } = capture();
    const shared = new CompositeNotifier([new ConsoleNotifier(lineWriter(logger))]);
    const a = jobNotifier(shared, { queue: 'backup', jobId: 'b-1' });
    const b = jobNotifier(shared, { queue: 'backup', jobId: 'b-2' });
    const record = (id: string) => ({ kind: 'verify', id, connection: 'prod', status: 'ok' }) as const;
    const jobA = (async () => {
      await a.recordChanged?.(record('one'));
      await new Promise((r) => setTimeout(r, 5));
      await a.recordChanged?.(record('three'));
    })();
    const jobB = (async () => {
      await b.recordChanged?.(record('two'));
      await new Promise((r) => setTimeout(r, 1));
      await b.recordChanged?.(record('four'));
    })();
    await Promise.all([jobA, jobB]);
    await shared.recordChanged(record('five'));
    const byId = Object.fromEntries(lines().map((l) => [String(l.msg).split(' ')[1], l.jobId ?? null]));
    expect(byId).toEqual({ one: 'b-1', two: 'b-2', three: 'b-1', four: 'b-2', five: null });
  });

  it('never carry a secret: secret-named fields, secret-looking values, config secrets, Secret objects', () => {
    const { logger, text, lines } = capture({ secrets: () => [KONG_TOKEN] });
    logger.info({ token: KONG_TOKEN, nested: { password: 'hunter2-pass', keyId: 'k1' } }, 'connecting');
    logger.warn(`Slack answered for ${SLACK_TOKEN}`);
    logger.error(new Error(`401 from Kong: token ${KONG_TOKEN} refused`), 'backup failed');
    logger.info({ config: { token: new Secret(KONG_TOKEN) } }, 'loaded');
    logger.info({ key: PEM }, `a key: ${PEM}`);
    logger.info('format %s', KONG_TOKEN);
    const all = text();
    for (const secret of [KONG_TOKEN, SLACK_TOKEN, 'hunter2-pass', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'])
      expect(all).not.toContain(secret);
    const got = lines();
    expect(got).toHaveLength(6);
    expect(got[0]).toMatchObject({ token: '[redacted]', nested: { password: '[redacted]', keyId: 'k1' } });
    expect(got[1]!.msg).toBe('Slack answered for [redacted]');
    expect(JSON.stringify(got[2])).toContain('401 from Kong: token [redacted] refused');
    expect(got[5]!.msg).toBe('format [redacted]');
  });

  it("removes every secret value of a loaded config, a binary key's hex too", () => {
    const key = Buffer.alloc(32, 9);
    const config = {
      connections: [{ name: 'prod', token: new Secret(KONG_TOKEN) }],
      keys: [{ id: 'k1', key: new Secret(key), current: true }],
      storage: {
        primary: { type: 's3', credentials: { secretAccessKey: new Secret('s3-secret-key-value') } },
      },
    } as unknown as Config;
    const values = configSecretValues(config);
    expect(values).toEqual(expect.arrayContaining([KONG_TOKEN, key.toString('hex'), 's3-secret-key-value']));
    const { logger, text } = capture({ secrets: () => values });
    logger.info(`dump ${KONG_TOKEN} ${key.toString('hex')} s3-secret-key-value`);
    expect(text()).toContain('dump [redacted] [redacted] [redacted]');
  });

  it('take their level from SNAPGATE_LOG_LEVEL, else LOG_LEVEL; a bad value says so and keeps info', () => {
    expect(logLevelFromEnv({})).toEqual({ level: 'info' });
    expect(logLevelFromEnv({ LOG_LEVEL: 'DEBUG' })).toEqual({ level: 'debug' });
    expect(logLevelFromEnv({ SNAPGATE_LOG_LEVEL: 'warn', LOG_LEVEL: 'debug' })).toEqual({ level: 'warn' });
    const quiet = capture({ env: { SNAPGATE_LOG_LEVEL: 'warn' } });
    quiet.logger.info('dropped');
    quiet.logger.warn('kept');
    expect(quiet.lines().map((l) => l.msg)).toEqual(['kept']);
    const bad = capture({ env: { LOG_LEVEL: 'loud' } });
    bad.logger.info('still info');
    expect(bad.lines().map((l) => l.msg)).toEqual([
      'LOG_LEVEL=loud is not a log level (trace, debug, info, warn, error, fatal, silent); using info',
      'still info',
    ]);
  });

  it('read as short lines on a terminal', () => {
    const line = readableLine(
      JSON.stringify({
        level: 'warn',
        time: '2026-12-06T07:01:02.345Z',
        pid: 1,
        msg: 'job retrying',
        jobId: 'b-42',
      }),
    );
    expect(line).toBe('07:01:02 WARN  job retrying  jobId=b-42\n');
    let text = '';
    const tty = Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          text += chunk.toString();
          done();
        },
      }),
      { isTTY: true },
    );
    const logger = createLogger({ env: {}, destination: tty });
    withLogContext({ requestId: 'req-9' }, () => logger.info('hello'));
    expect(text).toMatch(/^\d\d:\d\d:\d\d INFO {2}hello {2}requestId=req-9\n$/);
  });
});
