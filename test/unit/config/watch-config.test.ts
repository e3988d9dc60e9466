/**
 * `alerts:` and `drift:` in snapgate.yml (issue 16): a connection's own alerts over the top-level default,
 * the dead man's switch's default maxAge (1.5 × the schedule's longest gap), drift crons checked at load.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.ts';
import { defaultMaxAgeMs, scheduleIntervalMs } from '../../../src/config/schedule-interval.ts';

const HOUR = 3600_000;
const env = { KONG_TOKEN: 't', KEY_1: 'a'.repeat(64) };

function load(connections: string, top = '') {
  const text = `connections:
${connections}
storage: { primary: /var/lib/snapgate/artifacts, allowSingleCopy: true }
keys: [{ id: k1, env: KEY_1, current: true }]
database: { path: snap.db }
${top}`;
  return loadConfig({ path: '/etc/snapgate/snapgate.yml', env, readFile: async () => text });
}

const conn = (name: string, extra = '') =>
  `  - { name: ${name}, kongUrl: http://kong:8001, tokenEnv: KONG_TOKEN, environment: prod${extra} }`;

describe('alerts and drift config', () => {
  it('inherits the top-level channel and mention; a connection overrides them; none without a channel', async () => {
    const config = await load(
      [
        conn('a', ', schedules: [{ cron: "0 3 * * *" }]'),
        conn('b', ', alerts: { channel: C0B, mention: U0B, maxAge: 2h }'),
        conn('c', ', alerts: { mention: here }'),
      ].join('\n'),
      'alerts: { channel: C0OPS, mention: S0SRE }\n',
    );
    const [a, b, c] = config.connections;
    expect(a!.alerts).toEqual({ channel: 'C0OPS', mention: 'S0SRE', maxAgeMs: 36 * HOUR });
    expect(b!.alerts).toEqual({ channel: 'C0B', mention: 'U0B', maxAgeMs: 2 * HOUR });
    expect(c!.alerts).toEqual({ channel: 'C0OPS', mention: 'here', maxAgeMs: null });
    expect(config.alerts).toEqual({ channel: 'C0OPS', mention: 'S0SRE' });
    const lone = await load(conn('d', ', schedules: [{ cron: "0 3 * * *" }]'));
    expect(lone.connections[0]!.alerts).toBeNull();
  });

  it('reads drift with its defaults and refuses a bad cron or action, naming the path', async () => {
    const config = await load(conn('a', ', drift: { cron: "*/15 * * * *" }'));
    expect(config.connections[0]!.drift).toEqual({ cron: '*/15 * * * *', timezone: 'UTC', action: 'notify' });
    const err = await load(
      [
        conn('a', ', drift: { cron: "every day" }'),
        conn('b', ', drift: { cron: "0 * * * *", action: page }'),
      ].join('\n'),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.map((p) => p.path);
    expect(problems).toEqual(
      expect.arrayContaining(['connections[0].drift.cron', 'connections[1].drift.action']),
    );
  });

  it("takes the schedule's longest gap, so a weekday schedule does not alert every weekend", () => {
    expect(scheduleIntervalMs('0 3 * * *', 'UTC')).toBe(24 * HOUR);
    expect(scheduleIntervalMs('15 * * * *', 'Europe/Berlin')).toBe(HOUR);
    expect(scheduleIntervalMs('0 2 * * 1-5', 'UTC')).toBe(72 * HOUR);
    expect(defaultMaxAgeMs([])).toBeNull();
    expect(
      defaultMaxAgeMs([
        { cron: '0 3 * * *', timezone: 'UTC' },
        { cron: '0 */6 * * *', timezone: 'UTC' },
      ]),
    ).toBe(9 * HOUR);
  });
});
