/**
 * `/kong diff` as a queued job: a diff asked for while no worker runs waits in the queue and is computed
 * when one starts (the process that asked may be gone), through the restore planning pipeline; its
 * failures carry a code. Real Redis, SQLite, kong-sim and artifacts.
 */
import { afterEach, expect, it } from 'vitest';
import { requestBackup, requestDiff } from '../../../src/app/index.ts';
import type { Runtime } from '../../../src/compose/index.ts';
import { type RunningWorkers, startWorkers } from '../../../src/jobs/index.ts';
import { createTestEnv, KONG_TOKEN, type TestEnv, waitFor, waitForBackup } from './harness.ts';

let env: TestEnv | undefined;
let workers: RunningWorkers | undefined;
let services: Runtime | undefined;

afterEach(async () => {
  await workers?.close(1000);
  await services?.close();
  await env?.cleanup();
  workers = undefined;
  services = undefined;
  env = undefined;
});

async function backupOf(s: Runtime): Promise<string> {
  const b = await requestBackup(s, { connection: 'prod', type: 'manual', requestedBy: 'U0OPS1' });
  const done = await waitForBackup(s, b.id);
  expect(done.status).toBe('completed');
  return done.id;
}

it('a diff queued while no worker runs is computed when one starts, audited, and reported once', async () => {
  env = await createTestEnv();
  services = await env.open();
  workers = await startWorkers(services, { syncSchedules: false, recover: false, log: () => undefined });
  const backupId = await backupOf(services);
  await workers.close(5000);
  workers = undefined;

  // the gateway drifts: one service removed since the backup
  const headers = { 'kong-admin-token': KONG_TOKEN, 'content-type': 'application/json' };
  const services0 = (await (await fetch(`${env.sim.url}/services`, { headers })).json()) as {
    data: { id: string; name: string }[];
  };
  const gone = services0.data.find((s) => s.name === 'billing')!;
  // routes and plugins on it go first (Kong refuses to delete a service that routes still use)
  const routes = (await (await fetch(`${env.sim.url}/services/${gone.id}/routes`, { headers })).json()) as {
    data: { id: string }[];
  };
  for (const r of routes.data) await fetch(`${env.sim.url}/routes/${r.id}`, { method: 'DELETE', headers });
  const del = await fetch(`${env.sim.url}/services/${gone.id}`, { method: 'DELETE', headers });
  expect(del.status).toBe(204);

  const refused = await requestDiff(services, {
    id: 'd-1',
    connection: 'prod',
    backupId,
    requestedBy: 'U0OPS1',
  });
  expect(refused).toBeNull();
  // nothing computes it yet: it is in the queue, not in this process
  expect(await services.queues.diff.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
  expect(env.notifier.diffs).toEqual([]);

  // a worker (a new process in production) picks it up
  const second = await env.open();
  workers = await startWorkers(second, { syncSchedules: false, recover: false, log: () => undefined });
  const outcome = await waitFor('the diff outcome', async () => env!.notifier.diffs[0]);
  expect(outcome.ok).toBe(true);
  if (!outcome.ok) return;
  expect(outcome.plan.summary).toMatchObject({ create: 1 + routes.data.length, update: 0, delete: 0 });
  expect(outcome.work).toMatchObject({ id: 'd-1', connection: 'prod', backupId });
  const [event] = (await services.audit.list()).filter((e) => e.action === 'diff.completed');
  expect(event).toMatchObject({
    actor: 'U0OPS1',
    connection: 'prod',
    targetId: backupId,
    outcome: 'ok',
    details: { planHash: outcome.plan.planHash, create: 1 + routes.data.length },
  });
  // asking again with the same id is the same job: one diff, one report
  await requestDiff(services, { id: 'd-1', connection: 'prod', backupId, requestedBy: 'U0OPS1' });
  await new Promise((r) => setTimeout(r, 500));
  expect(env.notifier.diffs).toHaveLength(1);
  await workers.close(5000);
  workers = undefined;
  await second.close();
});

it('a diff whose gateway is down fails with a code, and a backup of another connection is refused', async () => {
  env = await createTestEnv({ secondConnection: true });
  services = await env.open();
  workers = await startWorkers(services, { syncSchedules: false, recover: false, log: () => undefined });
  const backupId = await backupOf(services);

  expect(
    await requestDiff(services, { id: 'd-x', connection: 'staging', backupId, requestedBy: 'U0OPS1' }),
  ).toMatch(/belongs to prod, not staging/);
  expect(
    await requestDiff(services, { id: 'd-y', connection: 'prod', backupId: 'nope', requestedBy: 'U0OPS1' }),
  ).toMatch(/no backup nope/);

  await env.sim.close();
  await requestDiff(services, { id: 'd-2', connection: 'prod', backupId, requestedBy: 'U0OPS1' });
  const outcome = await waitFor('the diff outcome', async () => env!.notifier.diffs[0], 30_000);
  expect(outcome).toMatchObject({ ok: false, failure: { code: 'gateway_unreachable' } });
  const [event] = (await services.audit.list()).filter((e) => e.action === 'diff.failed');
  expect(event).toMatchObject({ outcome: 'failed', details: { code: 'gateway_unreachable' } });
});
