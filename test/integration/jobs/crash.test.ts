/**
 * A worker process killed with SIGKILL in the middle of a dump: BullMQ's stalled check hands the job to a
 * new worker process, which finishes it. Exactly one completed record and one artifact (per location) exist.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { requestBackup } from '../../../src/app/index.ts';
import { type Child, spawnChild, waitForOutput } from './child.ts';
import { createTestEnv, type TestEnv, waitFor, waitForBackup } from './harness.ts';

let env: TestEnv | undefined;
const children: Child[] = [];
afterEach(async () => {
  for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  children.length = 0;
  await env?.cleanup();
  env = undefined;
});

it('a worker killed mid-backup: the job is retried by a new worker, one record, one artifact', async () => {
  env = await createTestEnv({ sim: { latencyMs: 400 } });
  const services = await env.open();
  const first = spawnChild([env.configPath, 'worker'], env.env);
  children.push(first);
  await waitForOutput(first, 'ready');

  const backup = await requestBackup(services, {
    connection: 'prod',
    type: 'manual',
    requestedBy: 'cli:ops',
  });
  await waitForBackup(services, backup.id, ['running']);
  const requestsAtStart = env.sim.state.requests;
  await waitFor('the dump to be under way', async () => env!.sim.state.requests > requestsAtStart + 2);
  first.proc.kill('SIGKILL');
  await first.exited;
  expect((await services.repos.backups.get(backup.id))?.status).toBe('running');

  env.sim.state.faults.latencyMs = 0;
  const second = spawnChild([env.configPath, 'worker'], env.env);
  children.push(second);
  await waitForOutput(second, 'ready');
  const done = await waitForBackup(services, backup.id);

  expect(done).toMatchObject({ status: 'completed', attempts: 2 });
  const all = await services.repos.backups.listByConnection('prod', { includePruned: true });
  expect(all.map((b) => b.status)).toEqual(['completed']);
  for (const dir of ['primary', 'offsite']) {
    const files = readdirSync(join(env.dir, dir), { withFileTypes: true }).filter((e) => e.isFile());
    expect(files.map((e) => e.name).filter((f) => !f.startsWith('.'))).toEqual([done.artifactName]);
  }
  // the record turns completed just before the job appends its audit event and BullMQ finishes the job
  const actionsSoFar = async () => (await services.audit.list()).reverse().map((e) => e.action);
  await waitFor('the completion to be audited', async () =>
    (await actionsSoFar()).includes('backup.completed'),
  );
  expect(await actionsSoFar()).toEqual([
    'backup.requested',
    'backup.started',
    'backup.started',
    'backup.completed',
  ]);
  const job = await services.queues.backup.getJob(backup.id);
  await waitFor('the job to finish in BullMQ', async () => (await job?.getState()) === 'completed');
  second.proc.kill('SIGTERM');
  expect(await second.exited).toBe(0);
});
