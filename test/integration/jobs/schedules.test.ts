/**
 * Schedules from config: two processes syncing at the same instant create each scheduler once; a schedule
 * removed from the config is removed from Redis; a scheduler run creates a `scheduled` record and backs up.
 */
import { afterEach, expect, it } from 'vitest';
import {
  desiredSchedulers,
  type RunningWorkers,
  startWorkers,
  syncSchedules,
} from '../../../src/jobs/index.ts';
import { type Child, spawnChild, waitForOutput } from './child.ts';
import { createTestEnv, type TestEnv, waitFor } from './harness.ts';

let env: TestEnv | undefined;
let workers: RunningWorkers | undefined;
const children: Child[] = [];
afterEach(async () => {
  for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  children.length = 0;
  await workers?.close(2000);
  workers = undefined;
  await env?.cleanup();
  env = undefined;
});

const SCHEDULES = `schedules:
  - name: nightly
    cron: '0 3 * * *'
    timezone: Europe/Berlin
  - name: hourly
    cron: '15 * * * *'
retention:
  keepDaily: 7`;

it('two processes starting at once create each schedule once; removal follows the config', async () => {
  env = await createTestEnv({ connectionExtra: SCHEDULES });
  const startAt = String(Date.now() + 2500);
  const a = spawnChild([env.configPath, 'sync', startAt], env.env);
  const b = spawnChild([env.configPath, 'sync', startAt], env.env);
  children.push(a, b);
  await Promise.all([waitForOutput(a, '}'), waitForOutput(b, '}')]);
  const results = [JSON.parse(a.stdout()), JSON.parse(b.stdout())];
  // One process created everything, the other found it all in place.
  const created = results.map((r) => r.created.length).sort();
  expect(created).toEqual([0, 4]);
  expect(results.map((r) => r.unchanged.length).sort()).toEqual([0, 4]);

  const services = await env.open();
  const backupSchedulers = await services.queues.backup.getJobSchedulers(0, -1);
  expect(backupSchedulers.map((s) => [s.key, s.pattern, s.tz]).sort()).toEqual([
    ['backup-prod-hourly', '15 * * * *', 'UTC'],
    ['backup-prod-nightly', '0 3 * * *', 'Europe/Berlin'],
  ]);
  expect((await services.queues.prune.getJobSchedulers(0, -1)).map((s) => s.key)).toEqual(['prune-prod']);
  expect((await services.queues.verify.getJobSchedulers(0, -1)).map((s) => s.key)).toEqual(['verify-daily']);
  // One delayed job per scheduler, never two.
  expect(await services.queues.backup.getDelayedCount()).toBe(2);
  const audited = await services.audit.list({ action: 'schedule.*' });
  expect(audited.map((e) => e.targetId).sort()).toEqual([
    'backup-prod-hourly',
    'backup-prod-nightly',
    'prune-prod',
    'verify-daily',
  ]);

  // The hourly schedule leaves the config.
  await env.reload((y) => y.replace(/ {6}- name: hourly\n {8}cron: '15 \* \* \* \*'\n/, ''));
  const after = await env.open();
  const r = await syncSchedules(after);
  expect(r).toMatchObject({ removed: ['backup-prod-hourly'], created: [] });
  expect((await after.queues.backup.getJobSchedulers(0, -1)).map((s) => s.key)).toEqual([
    'backup-prod-nightly',
  ]);
  expect(await after.queues.backup.getDelayedCount()).toBe(1);
  expect(desiredSchedulers(after).map((d) => d.id)).toEqual([
    'backup-prod-nightly',
    'prune-prod',
    'verify-daily',
  ]);
});

it('a scheduler run creates one scheduled record and backs up', async () => {
  env = await createTestEnv({
    connectionExtra: `schedules:
  - name: every-second
    cron: '* * * * * *'`,
  });
  const services = await env.open();
  workers = await startWorkers(services, { log: () => undefined });
  const done = await waitFor('a completed scheduled backup', async () => {
    const list = await services.repos.backups.listByConnection('prod');
    return list.find((b) => b.status === 'completed');
  });
  await workers.close(5000);
  workers = undefined;
  expect(done).toMatchObject({ type: 'scheduled', requestedBy: 'system', note: 'schedule every-second' });
  const requested = await services.audit.list({ action: 'backup.requested' });
  expect(requested.filter((e) => e.targetId === done.id)).toHaveLength(1);
});

it("drift checks and the dead man's switch run from job schedulers of the watch queue", async () => {
  env = await createTestEnv({
    connectionExtra: `schedules:
  - name: nightly
    cron: '0 3 * * *'
alerts:
  channel: C0ALERTS
drift:
  cron: '* * * * * *'`,
  });
  const services = await env.open();
  workers = await startWorkers(services, { log: () => undefined });
  const schedulers = await services.queues.watch.getJobSchedulers(0, -1);
  expect(schedulers.map((s) => [s.key, s.pattern]).sort()).toEqual([
    ['drift-prod', '* * * * * *'],
    ['watch-staleness', '*/5 * * * *'],
  ]);
  // the drift scheduler fires: with no backup yet, the check says so (audited, nothing posted)
  const checked = await waitFor('a scheduled drift check', async () => {
    const [e] = await services.audit.list({ action: 'drift.checked', limit: 1 });
    return e;
  });
  expect(checked).toMatchObject({ actor: 'system', connection: 'prod', details: { status: 'no-backup' } });
  await env.reload((y) => y.replace(/ {4}drift:\n {6}cron: '\* \* \* \* \* \*'\n/, ''));
  const after = await env.open();
  expect((await syncSchedules(after)).removed).toEqual(['drift-prod']);
});
