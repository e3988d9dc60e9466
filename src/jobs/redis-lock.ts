/**
 * A short Redis lock (SET key token NX PX ttl; released with compare-and-delete), so that only one process
 * at a time runs a critical section such as the schedule sync. BullMQ's `upsertJobScheduler` has had races
 * when several instances call it at once (taskforcesh/bullmq #3085, #3381, #3262); serialising the whole
 * sync removes them. The TTL bounds how long a crashed holder blocks the others.
 */
import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-connection.ts';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class LockTimeoutError extends Error {
  constructor(key: string, waitedMs: number) {
    super(`could not take the lock ${key} within ${waitedMs} ms (another snapgate process holds it)`);
    this.name = 'LockTimeoutError';
  }
}

export async function withRedisLock<T>(
  redis: RedisClient,
  key: string,
  run: () => Promise<T>,
  options: { ttlMs?: number; waitMs?: number; pollMs?: number } = {},
): Promise<T> {
  const ttlMs = options.ttlMs ?? 15_000;
  const waitMs = options.waitMs ?? 30_000;
  const pollMs = options.pollMs ?? 100;
  const token = randomUUID();
  const started = Date.now();
  for (;;) {
    const got = await redis.set(key, token, 'PX', ttlMs, 'NX');
    if (got === 'OK') break;
    if (Date.now() - started > waitMs) throw new LockTimeoutError(key, waitMs);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    return await run();
  } finally {
    await redis.eval(RELEASE, 1, key, token);
  }
}
