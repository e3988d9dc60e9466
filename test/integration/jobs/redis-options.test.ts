/**
 * Issue 14 §3, Redis options: each topology a platform team runs, as a private `redis-server` (random
 * ports, own dirs; the shared 127.0.0.1:6379 is never touched), configured through `snapgate.yml` and
 * driven by a real backup through the real worker:
 * - an ACL user with a password from env (the default user switched off);
 * - `rediss://` with a private CA (and the error when the CA is not trusted);
 * - a master found through Sentinel;
 * - a Cluster of three masters (queue prefix as a hash tag);
 * - a server with an append-only file restarted between jobs and during one: queued work survives and the
 *   worker reconnects without a restart; the backup finishes once.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { requestBackup } from '../../../src/app/index.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { ephemeralRedisArgs, freePort, spawnRedisServer, stop } from '../../support/redis-server.ts';
import { makeTestCa, type TestCa } from '../../support/tls-ca.ts';
import { createTestEnv, type EnvOptions, type TestEnv, waitFor, waitForBackup } from './harness.ts';

const run = promisify(execFile);
const PASSWORD = 'redis-acl-password-7f3c';

let env: TestEnv | undefined;
let workers: RunningWorkers | undefined;
let servers: ChildProcess[] = [];
let ca: TestCa | undefined;

afterEach(async () => {
  await workers?.close(2000);
  workers = undefined;
  await env?.cleanup();
  env = undefined;
  for (const s of servers) await stop(s, 'SIGKILL');
  servers = [];
  ca?.cleanup();
  ca = undefined;
});

/** A test env whose `redis:` section is `yaml` (indented two spaces under `redis:`). */
async function envWithRedis(yaml: string, o: EnvOptions = {}): Promise<TestEnv> {
  env = await createTestEnv(o);
  const prefix = env.prefix;
  await env.reload((y) => y.replace(/redis:\n(?: {2}.*\n?)*/, `redis:\n${yaml}\n  prefix: ${prefix}\n`));
  return env;
}

async function server(args: string[]): Promise<ChildProcess> {
  const child = await spawnRedisServer(args);
  servers.push(child);
  return child;
}

function plain(port: number, dir: string, extra: string[] = []): string[] {
  mkdirSync(dir, { recursive: true });
  return ephemeralRedisArgs(port, dir, extra);
}

/** The backup's final state (a minute: the dump is slowed and Redis restarts under it). */
function finished(services: Services, id: string) {
  return waitFor(
    `backup ${id} to finish`,
    async () => {
      const b = await services.repos.backups.get(id);
      return b && (b.status === 'completed' || b.status === 'failed') ? b : undefined;
    },
    60_000,
  );
}

/** One backup through the worker, over whatever Redis the services were configured with. */
async function backupThrough(services: Services): Promise<void> {
  workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
  const asked = await requestBackup(services, { connection: 'prod', type: 'manual', requestedBy: 'U0OPS' });
  const done = await waitForBackup(services, asked.id);
  expect([done.status, done.failureReason]).toEqual(['completed', null]);
}

describe('Redis options', () => {
  it('an ACL user with its password from env; a wrong password is named without the password', async () => {
    const port = await freePort();
    const t = await envWithRedis(
      `  url: redis://127.0.0.1:${port}\n  username: snapgate\n  passwordEnv: SG_REDIS_PASSWORD`,
      {
        env: { SG_REDIS_PASSWORD: PASSWORD },
      },
    );
    await server(
      plain(port, join(t.dir, 'redis'), [
        '--user',
        'default',
        'off',
        '--user',
        'snapgate',
        'on',
        `>${PASSWORD}`,
        '~*',
        '&*',
        '+@all',
      ]),
    );
    await backupThrough(await t.open());

    const wrong = await createTestEnv({ env: { SG_REDIS_PASSWORD: 'not-the-password' } });
    try {
      const prefix = wrong.prefix;
      await wrong.reload((y) =>
        y.replace(
          /redis:\n(?: {2}.*\n?)*/,
          `redis:\n  url: redis://127.0.0.1:${port}\n  username: snapgate\n  passwordEnv: SG_REDIS_PASSWORD\n  prefix: ${prefix}\n`,
        ),
      );
      const refused = await wrong.open().then(
        () => null,
        (err: Error) => err,
      );
      expect(refused?.message).toMatch(
        /cannot reach Redis at redis:\/\/snapgate@127\.0\.0\.1:\d+.*WRONGPASS/,
      );
      expect(refused?.message).not.toContain('not-the-password');
    } finally {
      await wrong.cleanup();
    }
  });

  it('rediss:// with a private CA; without the CA the certificate is refused', async () => {
    ca = makeTestCa('snapgate redis test CA');
    const port = await freePort();
    const tlsArgs = [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--tls-cert-file',
      ca.certFile,
      '--tls-key-file',
      ca.keyFile,
      '--tls-ca-cert-file',
      ca.caFile,
      '--tls-auth-clients',
      'no',
    ];
    const t = await envWithRedis(`  url: rediss://127.0.0.1:${port}\n  tls:\n    caFile: ${ca.caFile}`);
    await server([...plain(0, join(t.dir, 'redis')).slice(2), ...tlsArgs]);
    await backupThrough(await t.open());

    await t.reload((y) => y.replace(/ {2}tls:\n {4}caFile: .*\n/, ''));
    const refused = await t.open().then(
      () => null,
      (err: Error) => err,
    );
    expect(refused?.message).toMatch(
      /cannot reach Redis at rediss:\/\/127\.0\.0\.1:\d+: .*(certificate|self.signed)/i,
    );
  });

  it('a master found through Sentinel', async () => {
    const [master, sentinelPort] = [await freePort(), await freePort()];
    const t = await envWithRedis(
      `  sentinel:\n    name: snapgate-master\n    nodes: ["127.0.0.1:${sentinelPort}"]`,
    );
    await server(plain(master, join(t.dir, 'master')));
    const conf = join(t.dir, 'sentinel.conf');
    writeFileSync(
      conf,
      `port ${sentinelPort}\nbind 127.0.0.1\ndir ${t.dir}\nsentinel monitor snapgate-master 127.0.0.1 ${master} 1\n`,
    );
    await server([conf, '--sentinel']);
    await backupThrough(await t.open());
  });

  it('a Cluster of three masters: the queues live under one hash tag', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const t = await envWithRedis(
      `  cluster:\n    nodes: [${ports.map((p) => `"127.0.0.1:${p}"`).join(', ')}]`,
    );
    for (const port of ports) {
      await server(
        plain(port, join(t.dir, `node-${port}`), [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(t.dir, `node-${port}`, 'nodes.conf'),
        ]),
      );
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    // every node must see the whole cluster before a client connects: on a loaded machine the second and
    // third node learn of the slots later than the first, and a client routed to them meanwhile waits
    await waitFor('every node to see the cluster ok', async () => {
      for (const port of ports) {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
        if (!stdout.includes('cluster_state:ok') || !stdout.includes('cluster_known_nodes:3')) return false;
      }
      return true;
    });
    const services = await t.open();
    expect(services.redisPrefix).toBe(`{${t.prefix}}`);
    await backupThrough(services);
  });

  it('an append-only Redis restarted between jobs and during one: queued work survives, each backup finishes once', async () => {
    const port = await freePort();
    const t = await envWithRedis(`  url: redis://127.0.0.1:${port}`, { sim: { latencyMs: 60 } });
    const dir = join(t.dir, 'redis-aof');
    mkdirSync(dir);
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
    const durable = [...args, '--appendonly', 'yes', '--appendfsync', 'always'];
    let redis = await server(durable);
    const services = await t.open();

    // between jobs: queued while no worker runs, Redis killed and restarted from its append-only file
    const queued = await requestBackup(services, {
      connection: 'prod',
      type: 'manual',
      requestedBy: 'U0OPS',
    });
    await stop(redis, 'SIGKILL');
    redis = await server(durable);
    // the producer fails fast while Redis is away and reconnects by itself
    await waitFor('the producer to reconnect', async () => services.redis.status === 'ready');
    workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
    const first = await finished(services, queued.id);
    expect([first.status, first.failureReason]).toEqual(['completed', null]);

    // during a job: killed while the worker dumps the (slowed) gateway, restarted a moment later
    const second = await requestBackup(services, {
      connection: 'prod',
      type: 'manual',
      requestedBy: 'U0OPS',
    });
    await waitFor(
      'the backup to run',
      async () => (await services.repos.backups.get(second.id))?.status === 'running',
    );
    await stop(redis, 'SIGKILL');
    redis = await server(durable);
    const done = await finished(services, second.id);
    expect([done.status, done.failureReason]).toEqual(['completed', null]);

    const events = await services.audit.list({ limit: 200 });
    for (const id of [queued.id, second.id]) {
      expect(events.filter((e) => e.targetId === id && e.action === 'backup.completed')).toHaveLength(1);
    }
  }, 120_000);
});
