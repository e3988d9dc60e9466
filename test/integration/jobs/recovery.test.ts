/** Start-up recovery against real Redis and SQLite: orphaned pending rows run, orphaned running rows fail. */
import { afterEach, expect, it } from 'vitest';
import { runBackup } from '../../../src/app/backups/run-backup.ts';
import { type RunningWorkers, recoverBackups, startWorkers } from '../../../src/jobs/index.ts';
import { createTestEnv, type TestEnv, waitForBackup } from './harness.ts';

let env: TestEnv | undefined;
let workers: RunningWorkers | undefined;
afterEach(async () => {
  await workers?.close(2000);
  workers = undefined;
  await env?.cleanup();
  env = undefined;
});

it('re-enqueues pending rows without a job and fails running rows whose job is gone', async () => {
  env = await createTestEnv();
  const services = await env.open();
  const repo = services.repos.backups;
  // Rows as a crash (or a flushed Redis) leaves them: no job in the queue for any of them.
  const pending = await repo.create({ connection: 'prod', type: 'manual', requestedBy: 'U0OPS1' });
  const running = await repo.create({ connection: 'prod', type: 'manual', requestedBy: 'U0OPS1' });
  await repo.markRunning(running.id);
  const done = await repo.create({ connection: 'prod', type: 'manual', requestedBy: 'U0OPS1' });
  await repo.markFailed(done.id, { code: 'unexpected', reason: 'earlier failure' });

  workers = await startWorkers(services, { syncSchedules: false, log: () => undefined });
  expect(workers.recovery).toEqual({ requeued: [pending.id], failed: [running.id], audited: [] });
  expect(await waitForBackup(services, pending.id)).toMatchObject({ status: 'completed' });
  expect(await repo.get(running.id)).toMatchObject({
    status: 'failed',
    failureCode: 'worker_stopped',
    failureReason: 'the worker running it stopped and its job is no longer in the queue; take a new backup',
  });
  expect(await repo.get(done.id)).toMatchObject({ failureReason: 'earlier failure' });

  // A second recovery finds nothing to do.
  expect(await recoverBackups(services)).toEqual({ requeued: [], failed: [], audited: [] });
});

it('appends the outcome event a worker killed between the record and the audit append never wrote', async () => {
  env = await createTestEnv();
  let offsetMs = 0;
  const services = await env.open({ now: () => new Date(Date.now() + offsetMs) });
  const repo = services.repos.backups;
  // what a worker killed right after `markCompleted` / `markFailed` leaves: the records settled, no
  // backup.completed / backup.failed in the audit log
  const completed = await repo.create({ connection: 'prod', type: 'manual', requestedBy: 'U0OPS1' });
  await repo.markRunning(completed.id);
  await repo.markCompleted(completed.id, {
    counts: { services: 2, routes: 3 },
    bytes: 123,
    sha256: 'a'.repeat(64),
    keyId: 'k1',
    artifactName: 'kong-prod-x.sgb',
    copies: [
      { target: 'primary', location: '/p/kong-prod-x.sgb', sha256: 'a'.repeat(64) },
      { target: 'offsite', location: '/o/kong-prod-x.sgb', sha256: 'a'.repeat(64) },
    ],
  });
  const failed = await repo.create({ connection: 'prod', type: 'manual', requestedBy: 'U0OPS1' });
  await repo.markRunning(failed.id);
  await repo.markFailed(failed.id, { code: 'gateway_unreachable', reason: 'connect ECONNREFUSED' });

  // within a minute the process that settled them may still be appending: left alone
  expect((await recoverBackups(services)).audited).toEqual([]);
  offsetMs = 2 * 60_000;
  expect((await recoverBackups(services)).audited.sort()).toEqual([completed.id, failed.id].sort());
  const events = await services.audit.list({ action: 'backup.*', limit: 10 });
  expect(events.find((e) => e.targetId === completed.id)).toMatchObject({
    action: 'backup.completed',
    outcome: 'ok',
    details: expect.objectContaining({
      recovered: true,
      entities: 5,
      copies: 2,
      artifact: 'kong-prod-x.sgb',
    }),
  });
  expect(events.find((e) => e.targetId === failed.id)).toMatchObject({
    action: 'backup.failed',
    outcome: 'failed',
    details: expect.objectContaining({ recovered: true, reason: 'connect ECONNREFUSED', attempts: 1 }),
  });
  // once written, never twice; the chain still verifies
  expect((await recoverBackups(services)).audited).toEqual([]);
  expect(await services.audit.verify()).toMatchObject({ ok: true });
});

it('a backup job delivered again after its worker died between the record and the audit append writes the outcome event once and finishes the card', async () => {
  env = await createTestEnv();
  const services = await env.open();
  const repo = services.repos.backups;
  // the first worker settled the record and was killed before appending (BullMQ then gives the stalled
  // job to another worker, which finds the record settled)
  const completed = await repo.create({ connection: 'prod', type: 'manual', requestedBy: 'U0OPS1' });
  await repo.markRunning(completed.id);
  await repo.markCompleted(completed.id, {
    counts: { services: 2 },
    bytes: 123,
    sha256: 'a'.repeat(64),
    keyId: 'k1',
    artifactName: 'kong-prod-y.sgb',
    copies: [{ target: 'primary', location: '/p/kong-prod-y.sgb', sha256: 'a'.repeat(64) }],
  });
  const failed = await repo.create({ connection: 'prod', type: 'manual', requestedBy: 'U0OPS1' });
  await repo.markRunning(failed.id);
  await repo.markFailed(failed.id, { code: 'gateway_unreachable', reason: 'connect ECONNREFUSED' });

  const again = { attempt: 2, maxAttempts: 3 };
  expect(await runBackup(services, completed.id, again)).toMatchObject({ status: 'completed' });
  await expect(runBackup(services, failed.id, again)).rejects.toThrow(/already failed/);
  // delivered a third time: the events stand, nothing is appended twice
  await runBackup(services, completed.id, again);
  await expect(runBackup(services, failed.id, again)).rejects.toThrow(/already failed/);

  const events = await services.audit.list({ action: 'backup.*', limit: 10 });
  expect(events.filter((e) => e.targetId === completed.id)).toMatchObject([
    {
      action: 'backup.completed',
      outcome: 'ok',
      details: expect.objectContaining({ recovered: true, copies: 1 }),
    },
  ]);
  expect(events.filter((e) => e.targetId === failed.id)).toMatchObject([
    { action: 'backup.failed', outcome: 'failed', details: expect.objectContaining({ recovered: true }) },
  ]);
  expect(await services.audit.verify()).toMatchObject({ ok: true });
  // the killed worker never told the card: each delivery sets its final state (the same state again
  // changes nothing), so the card does not stay at "Running"
  const finals = (id: string) =>
    env!.notifier.backups
      .filter((e) => e.backup.id === id)
      .map((e) => [e.phase, e.backup.status, e.message ?? null]);
  expect(finals(completed.id)).toEqual([
    ['finished', 'completed', null],
    ['finished', 'completed', null],
  ]);
  expect(finals(failed.id)).toEqual([
    ['finished', 'failed', 'connect ECONNREFUSED'],
    ['finished', 'failed', 'connect ECONNREFUSED'],
  ]);
});
