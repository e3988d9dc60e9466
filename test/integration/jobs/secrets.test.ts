/**
 * No credential, private key or the Kong token in plaintext anywhere snapgate writes: the artifact files,
 * the SQLite file (and its WAL), every Redis key under the test prefix, and what the notifier was told.
 * The values are known because the test seeded the gateway with them — and the decrypted artifact must
 * hold them (a backup that lost the credentials would pass a naive "not found" check).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { requestBackup } from '../../../src/app/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { openArtifact } from '../../../src/storage/index.ts';
import { createTestEnv, KNOWN_SECRETS, REDIS_URL, type TestEnv, waitForBackup } from './harness.ts';

let env: TestEnv | undefined;
let workers: RunningWorkers | undefined;
afterEach(async () => {
  await workers?.close(2000);
  workers = undefined;
  await env?.cleanup();
  env = undefined;
});

async function redisText(prefix: string): Promise<string> {
  const redis = new Redis(REDIS_URL);
  const parts: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        parts.push(key);
        if (type === 'string') parts.push((await redis.get(key)) ?? '');
        else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}

it('no known secret appears in plaintext in artifacts, SQLite, Redis or notifications', async () => {
  env = await createTestEnv();
  const services = await env.open();
  workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
  const b = await waitForBackup(
    services,
    (await requestBackup(services, { connection: 'prod', type: 'manual', requestedBy: 'cli:ops' })).id,
  );
  expect(b.status).toBe('completed');

  // The secrets are in the backup (decrypted) …
  const { snapshot } = await openArtifact(join(env.dir, 'primary', b.artifactName!), services.keyRing());
  const plain = JSON.stringify(snapshot);
  for (const key of ['keyauth', 'hmac', 'jwt', 'privateKeyLine'] as const)
    expect(plain).toContain(KNOWN_SECRETS[key]);

  // … and nowhere in plaintext.
  const files = [
    ...['primary', 'offsite'].flatMap((d) =>
      readdirSync(join(env!.dir, d), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name)),
    ),
    ...['snapgate.db', 'snapgate.db-wal'].map((f) => join(env!.dir, f)).filter(existsSync),
  ];
  expect(files.length).toBeGreaterThanOrEqual(3);
  const haystacks: [string, string][] = files.map((f) => [f, readFileSync(f).toString('latin1')]);
  haystacks.push(['redis', await redisText(env.prefix)]);
  haystacks.push(['notifier', JSON.stringify(env.notifier.backups)]);
  for (const [where, text] of haystacks) {
    for (const [name, value] of Object.entries(KNOWN_SECRETS)) {
      expect(text.includes(value), `${name} found in ${where}`).toBe(false);
    }
  }
});
