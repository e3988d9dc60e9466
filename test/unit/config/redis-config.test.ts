/** `redis:` in snapgate.yml (issue 14 §3): one of url / sentinel / cluster, credentials never inline. */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.ts';
import { describeRedis, queuePrefix } from '../../../src/jobs/redis-connection.ts';

const base = `
connections:
  - { name: prod, kongUrl: http://kong:8001, tokenEnv: KONG_TOKEN, environment: prod }
storage: { primary: /var/lib/snapgate/artifacts, allowSingleCopy: true }
keys: [{ id: k1, env: KEY_1, current: true }]
database: { path: snap.db }
`;
const env = { KONG_TOKEN: 't', KEY_1: 'a'.repeat(64), SG_REDIS_PW: 'redis-secret-value' };

function load(redis: string, files: Record<string, string> = {}) {
  const all: Record<string, string> = { '/etc/snapgate/snapgate.yml': `${base}redis:\n${redis}\n`, ...files };
  return loadConfig({
    path: '/etc/snapgate/snapgate.yml',
    env,
    readFile: async (p) => {
      const text = all[p];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return text;
    },
  });
}

async function problems(redis: string): Promise<string[]> {
  const err = await load(redis).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
}

describe('redis config', () => {
  it('an ACL user and a password from env; the password never shows', async () => {
    const config = await load(
      '  url: rediss://redis.internal:6380/2\n  username: snapgate\n  passwordEnv: SG_REDIS_PW\n  prefix: team-a',
    );
    expect(config.redis.password?.reveal()).toBe('redis-secret-value');
    expect(config.redis.username).toBe('snapgate');
    expect(inspect(config.redis, { depth: 5 })).not.toContain('redis-secret-value');
    expect(describeRedis(config.redis)).toBe('Redis at rediss://snapgate@redis.internal:6380/2');
    expect(queuePrefix(config.redis)).toBe('team-a');
  });

  it('a password from a file, relative TLS files made absolute', async () => {
    const config = await load(
      '  url: rediss://redis:6380\n  passwordFile: redis-pw\n  tls: { caFile: ca.pem, certFile: c.pem, keyFile: k.pem }',
      { '/etc/snapgate/redis-pw': 'from-file\n' },
    );
    expect(config.redis.password?.reveal()).toBe('from-file');
    expect(config.redis.tls).toEqual({
      insecure: false,
      caFile: '/etc/snapgate/ca.pem',
      certFile: '/etc/snapgate/c.pem',
      keyFile: '/etc/snapgate/k.pem',
    });
  });

  it('sentinel and cluster; a cluster prefix becomes a hash tag', async () => {
    const sentinel = await load(
      '  sentinel: { name: mymaster, nodes: ["10.0.0.1:26379", "10.0.0.2:26379"] }',
    );
    expect(sentinel.redis.sentinel).toMatchObject({
      name: 'mymaster',
      nodes: ['10.0.0.1:26379', '10.0.0.2:26379'],
    });
    expect(describeRedis(sentinel.redis)).toBe(
      'the Redis master "mymaster" (sentinels 10.0.0.1:26379,10.0.0.2:26379)',
    );
    const cluster = await load('  cluster: { nodes: ["10.0.0.1:7000"] }\n  prefix: snapgate-eu');
    expect(queuePrefix(cluster.redis)).toBe('{snapgate-eu}');
  });

  it('refuses a password in the URL or inline, naming where to put it instead', async () => {
    expect(await problems('  url: redis://:hunter2@redis:6379')).toEqual([
      expect.stringMatching(
        /^redis\.url: a Redis password in the URL or inline is refused: name an environment variable/,
      ),
    ]);
    expect((await problems('  url: redis://redis:6379\n  password: hunter2')).join('\n')).toMatch(
      /redis\.password: a Redis password in the URL or inline is refused/,
    );
  });

  it('exactly one of url, sentinel, cluster; tls only for rediss://; a missing password variable is named', async () => {
    expect(await problems('  prefix: x')).toEqual(
      [': give exactly one of url, sentinel or cluster'].map((m) => `redis${m}`),
    );
    expect((await problems('  url: redis://r:6379\n  cluster: { nodes: ["r:7000"] }')).join()).toMatch(
      /exactly one/,
    );
    expect((await problems('  url: redis://r:6379\n  tls: { caFile: ca.pem }')).join()).toMatch(
      /tls applies to a rediss:\/\/ URL/,
    );
    expect((await problems('  url: rediss://r:6379\n  tls: { certFile: c.pem }')).join()).toMatch(
      /certFile and keyFile together/,
    );
    expect((await problems('  url: redis://r:6379\n  passwordEnv: NOT_SET')).join()).toMatch(
      /redis\.passwordEnv: environment variable NOT_SET is not set \(it should hold the Redis password\)/,
    );
    expect((await problems('  cluster: { nodes: ["no-port"] }')).join()).toMatch(/host:port/);
  });
});
