/**
 * Issue 18 §3: a Redis that loses its data (restarted without persistence, flushed) loses the job
 * schedulers and the delayed expiry jobs of undecided restores. A running worker puts them back from the
 * records — after the reconnect, and periodically for a loss without a disconnect — with no restart.
 * Runs on a PRIVATE redis-server (random port, no persistence): the shared 127.0.0.1:6379 is never touched.
 */
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { requestRestore } from '../../../src/app/index.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import {
  expireJobId,
  type ResyncResult,
  type RunningWorkers,
  startWorkers,
} from '../../../src/jobs/index.ts';
import { type PrivateRedis, startPrivateRedis } from '../../support/redis-server.ts';
import { kongCaller, REQUESTER, RestoreRecorder, takeBackup, waitForRestore } from '../restore/harness.ts';
import { createTestEnv, type TestEnv, waitFor } from './harness.ts';

let env: TestEnv | undefined;
let redis: PrivateRedis | undefined;
let workers: RunningWorkers | undefined;
afterEach(async () => {
  await workers?.close(2000);
  workers = undefined;
  await env?.cleanup();
  env = undefined;
  await redis?.close();
  redis = undefined;
});

const SCHEDULES = `schedules:
  - name: nightly
    cron: '0 3 * * *'
    timezone: Europe/Berlin
retention:
  keepDaily: 7`;

const SCHEDULER_IDS = ['backup-prod-nightly', 'prune-prod', 'verify-daily'];

async function schedulerIds(services: Services): Promise<string[]> {
  const ids: string[] = [];
  for (const q of [services.queues.backup, services.queues.prune, services.queues.verify]) {
    for (const s of await q.getJobSchedulers(0, -1)) if (s.key) ids.push(s.key);
  }
  return ids.sort();
}

async function setUp(approvalTimeout: string) {
  redis = await startPrivateRedis();
  env = await createTestEnv({ connectionExtra: SCHEDULES });
  await env.reload((y) => `${y}restores:\n  approvalTimeout: ${approvalTimeout}\n`);
  const notifier = new RestoreRecorder();
  const services = await env.open({ notifier, redis: { url: redis.url, prefix: env.prefix } });
  return { services, notifier };
}

it('a redis-server killed and restarted empty: schedulers and a pending restore expiry are back after the reconnect, without a worker restart', async () => {
  const { services } = await setUp('15s');
  const resyncs: ResyncResult[] = [];
  const log: string[] = [];
  workers = await startWorkers(services, {
    // the periodic check is far away: what brings things back here is the reconnect
    resyncEveryMs: 10 * 60_000,
    onResync: (r) => resyncs.push(r),
    log: (line) => log.push(line),
  });
  expect(await schedulerIds(services)).toEqual(SCHEDULER_IDS);

  await takeBackup(services);
  await kongCaller(services)('PATCH', '/services/orders', { port: 9999 }); // something to restore
  const { restore } = await requestRestore(services, {
    connection: 'prod',
    backup: { kind: 'latest' },
    reason: 'redis loss drill',
    requestedBy: REQUESTER,
  });
  const waiting = await waitForRestore(services, restore.id, ['awaiting_approval']);
  const expiryId = expireJobId(waiting.id, waiting.expiresAt);
  expect(await (await services.queues.restore.getJob(expiryId))?.getState()).toBe('delayed');

  await redis!.restart(); // SIGKILL + an empty server on the same port: every key is gone
  const probe = new Redis(redis!.url);
  try {
    const restartedAt = Date.now();
    const back = await waitFor(
      'schedulers and the expiry job back',
      async () => {
        const ids = await schedulerIds(services).catch(() => []);
        const job = await services.queues.restore.getJob(expiryId).catch(() => undefined);
        return ids.length === 3 && job ? { ids, state: await job.getState() } : undefined;
      },
      30_000,
    );
    expect(Date.now() - restartedAt).toBeLessThan(60_000);
    expect(back.ids).toEqual(SCHEDULER_IDS);
    expect(back.state).toBe('delayed');
    expect(resyncs.some((r) => r.trigger === 'reconnect' && r.schedules.created.length === 3)).toBe(true);
    expect(resyncs.flatMap((r) => r.expiry.recreated)).toContain(waiting.id);
    expect(log.some((l) => l.includes('re-created from the records (reconnect)'))).toBe(true);
    // one delayed job per scheduler, never two
    expect(await services.queues.backup.getDelayedCount()).toBe(1);
    expect(await probe.exists(`${env!.prefix}:restore:${expiryId}`)).toBe(1);

    // the re-created delayed job does its work: the request expires on time, no worker restart
    const expired = await waitForRestore(services, restore.id, ['expired'], 30_000);
    expect(expired.status).toBe('expired');
    const audited = await services.audit.list({ action: 'schedule.created' });
    expect(
      audited
        .filter((e) => e.details?.trigger === 'reconnect')
        .map((e) => e.targetId)
        .sort(),
    ).toEqual(SCHEDULER_IDS);
  } finally {
    probe.disconnect();
  }
  // the workers still take work after the loss
  const after = await takeBackup(services);
  expect(after.status).toBe('completed');
}, 90_000);

it('a FLUSHALL without a disconnect is repaired by the periodic check; a resync with nothing lost changes nothing', async () => {
  const { services } = await setUp('30m');
  const resyncs: ResyncResult[] = [];
  workers = await startWorkers(services, {
    resyncEveryMs: 300,
    onResync: (r) => resyncs.push(r),
    log: () => undefined,
  });
  await waitFor('a periodic resync', async () => resyncs.find((r) => r.trigger === 'periodic'));
  // nothing lost: nothing created, updated or removed
  expect(resyncs.every((r) => r.schedules.created.length + r.schedules.updated.length === 0)).toBe(true);
  const before = (await services.audit.list({ action: 'schedule.*' })).length;

  const admin = new Redis(redis!.url);
  try {
    await admin.flushall();
  } finally {
    admin.disconnect();
  }
  expect(await schedulerIds(services)).toEqual([]);
  await waitFor('schedulers back', async () => (await schedulerIds(services)).length === 3, 10_000);
  expect(await schedulerIds(services)).toEqual(SCHEDULER_IDS);
  const repaired = resyncs.find((r) => r.schedules.created.length > 0);
  expect(repaired?.trigger).toBe('periodic');
  expect((await services.audit.list({ action: 'schedule.*' })).length).toBe(before + 3);
}, 60_000);
