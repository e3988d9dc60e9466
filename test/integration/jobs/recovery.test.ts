/** Start-up recovery against real Redis and SQLite: orphaned pending rows run, orphaned running rows fail. */
import { afterEach, expect, it } from 'vitest';
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
  expect(workers.recovery).toEqual({ requeued: [pending.id], failed: [running.id] });
  expect(await waitForBackup(services, pending.id)).toMatchObject({ status: 'completed' });
  expect(await repo.get(running.id)).toMatchObject({
    status: 'failed',
    failureCode: 'worker_stopped',
    failureReason: 'the worker running it stopped and its job is no longer in the queue; take a new backup',
  });
  expect(await repo.get(done.id)).toMatchObject({ failureReason: 'earlier failure' });

  // A second recovery finds nothing to do.
  expect(await recoverBackups(services)).toEqual({ requeued: [], failed: [] });
});
