/**
 * The backup job end to end: real Redis (random prefix), real SQLite, kong-sim over HTTP, real files.
 * Success (new artifact, then unchanged, then changed) and each failure an on-call engineer meets, with
 * the status machine, the audit trail and BullMQ's failed set checked for each.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requestBackup } from '../../../src/app/index.ts';
import type { FailureCode } from '../../../src/app/ports/records.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { openArtifact } from '../../../src/storage/index.ts';
import { createTestEnv, KONG_TOKEN, type TestEnv, waitFor, waitForBackup } from './harness.ts';

let env: TestEnv | undefined;
let workers: RunningWorkers | undefined;
afterEach(async () => {
  await workers?.close(2000);
  workers = undefined;
  await env?.cleanup();
  env = undefined;
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const artifacts = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.sgb'));

async function start(e: TestEnv, overrides: Parameters<TestEnv['open']>[0] = {}): Promise<Services> {
  const services = await e.open(overrides);
  workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
  return services;
}

describe('backup job', () => {
  it('completes with an artifact and copies, then records unchanged content without a new file', async () => {
    env = await createTestEnv();
    const services = await start(env);

    const requested = await requestBackup(services, {
      connection: 'prod',
      type: 'manual',
      requestedBy: 'cli:ops',
    });
    expect(requested.status).toBe('pending');
    const first = await waitForBackup(services, requested.id);
    expect(first).toMatchObject({ status: 'completed', attempts: 1, unchangedFrom: null, keyId: 'k1' });
    expect(first.counts).toMatchObject({ services: 2, routes: 2, consumers: 1, certificates: 1, snis: 1 });
    const primaryDir = join(env.dir, 'primary');
    expect(artifacts(primaryDir)).toEqual([first.artifactName]);
    expect(sha256(join(primaryDir, first.artifactName!))).toBe(first.sha256);
    const copies = await services.repos.backups.listCopies(first.id);
    expect(copies.map((c) => c.target).sort()).toEqual(
      ['directory:' + join(env.dir, 'offsite'), 'primary'].sort(),
    );
    for (const c of copies) expect(sha256(c.location)).toBe(first.sha256);
    const opened = await openArtifact(join(primaryDir, first.artifactName!), services.keyRing());
    expect(Object.keys(opened.snapshot.entities.services ?? {})).toHaveLength(2);

    // The phases the notifier saw, in order (a slow dump reports `dumping` progress more than once).
    const phases = env.notifier.backups
      .filter((e) => e.backup.id === first.id)
      .map((e) => e.phase)
      .filter((p, i, all) => i === 0 || p !== all[i - 1]);
    expect(phases).toEqual(['queued', 'started', 'dumping', 'writing', 'finished']);

    const again = await requestBackup(services, {
      connection: 'prod',
      type: 'manual',
      requestedBy: 'cli:ops',
    });
    const second = await waitForBackup(services, again.id);
    expect(second).toMatchObject({
      status: 'completed',
      unchangedFrom: first.id,
      artifactName: first.artifactName,
      sha256: first.sha256,
    });
    expect(artifacts(primaryDir)).toHaveLength(1);
    expect(artifacts(join(env.dir, 'offsite'))).toHaveLength(1);
    expect((await services.repos.backups.listCopies(second.id)).map((c) => c.location).sort()).toEqual(
      copies.map((c) => c.location).sort(),
    );

    // A change on the gateway → a new artifact.
    const res = await fetch(`${env.sim.url}/services/payments`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'Kong-Admin-Token': KONG_TOKEN },
      body: JSON.stringify({ host: 'payments.internal' }),
    });
    expect(res.status).toBeLessThan(300);
    const third = await waitForBackup(
      services,
      (await requestBackup(services, { connection: 'prod', type: 'manual', requestedBy: 'cli:ops' })).id,
    );
    expect(third).toMatchObject({ status: 'completed', unchangedFrom: null });
    expect(third.counts?.services).toBe(3);
    expect(artifacts(primaryDir)).toHaveLength(2);

    // Audit trail of the whole run, oldest first, and an intact chain.
    const events = (await services.audit.list({ limit: 100 })).reverse();
    expect(events.map((e) => `${e.action}:${e.targetId?.slice(0, 8)}`)).toEqual(
      [first, second, third].flatMap((b) => [
        `backup.requested:${b.id.slice(0, 8)}`,
        `backup.started:${b.id.slice(0, 8)}`,
        `backup.completed:${b.id.slice(0, 8)}`,
      ]),
    );
    expect(events[0]!.actor).toBe('cli:ops');
    expect(await services.audit.verify()).toMatchObject({ ok: true, checked: 9 });
  });

  it('refuses an unknown connection before creating anything', async () => {
    env = await createTestEnv();
    const services = await env.open();
    await expect(
      requestBackup(services, { connection: 'nope', type: 'manual', requestedBy: 'system' }),
    ).rejects.toThrow('unknown connection "nope" (configured: prod)');
    expect(await services.repos.backups.listByConnection('nope')).toEqual([]);
    expect(await services.audit.list()).toEqual([]);
  });

  const failures: {
    name: string;
    setup: (e: TestEnv) => Promise<Partial<Parameters<TestEnv['open']>[0]>>;
    reason: RegExp;
    code: FailureCode;
    attempts: number;
  }[] = [
    {
      name: 'gateway down',
      setup: async (e) => {
        await e.reload((y) => y.replace(e.sim.url, 'http://127.0.0.1:9'));
        return {};
      },
      reason: /^gateway down: cannot reach Kong at http:\/\/127\.0\.0\.1:9: connection refused/,
      code: 'gateway_unreachable',
      attempts: 2,
    },
    {
      name: 'wrong token',
      setup: async (e) => {
        e.env.KONG_TOKEN = 'not-the-token';
        await e.reload((y) => y);
        return {};
      },
      reason: /^wrong token: Kong rejected the admin token \(401\) .*connection prod/,
      code: 'gateway_auth',
      attempts: 1,
    },
    {
      name: 'storage not writable',
      setup: async (e) => {
        writeFileSync(join(e.dir, 'blocker'), 'not a directory');
        await e.reload((y) => y.replace(join(e.dir, 'primary'), join(e.dir, 'blocker', 'primary')));
        return {};
      },
      reason: /^storage not writable: ENOTDIR on .*blocker/,
      code: 'storage',
      attempts: 1,
    },
    {
      name: 'key missing',
      setup: async (e) => ({ config: { ...e.config, keys: [] } }),
      reason: /^key missing: a key ring needs exactly one current key \(found 0\)/,
      code: 'key_missing',
      attempts: 1,
    },
  ];

  it.each(failures)('$name → failed with an actionable reason, also in the failed set', async (c) => {
    env = await createTestEnv();
    const services = await start(env, await c.setup(env));
    const requested = await requestBackup(services, {
      connection: 'prod',
      type: 'manual',
      requestedBy: 'U0OPS1',
    });
    const failed = await waitForBackup(services, requested.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(c.reason);
    expect(failed.failureCode).toBe(c.code);
    expect(failed.attempts).toBe(c.attempts);
    expect(failed.failureReason).not.toContain(KONG_TOKEN);

    const job = await waitFor('the job in the failed set', async () => {
      // State first, then the job: read the other way round, the hash may predate the failure.
      if ((await services.queues.backup.getJobState(requested.id)) !== 'failed') return undefined;
      return services.queues.backup.getJob(requested.id);
    });
    expect(job.failedReason).toBe(failed.failureReason);
    expect(job.attemptsMade).toBe(c.attempts);
    const ids = await services.queues.backup.getFailed();
    expect(ids.map((j) => j.id)).toEqual([requested.id]);

    const actions = (await services.audit.list()).reverse().map((e) => e.action);
    expect(actions).toEqual([
      'backup.requested',
      ...Array.from({ length: c.attempts }, () => 'backup.started'),
      'backup.failed',
    ]);
    expect(env.notifier.backups.at(-1)).toMatchObject({ phase: 'finished', message: failed.failureReason });
  });
});
