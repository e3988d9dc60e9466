/**
 * Issue 18 §4: `snapgate worker` on SIGTERM with a backup mid-dump. It waits `--shutdown-timeout`, says
 * "closing anyway (their jobs will be retried)", and then must actually stop: before, the dump went on in
 * the same process and the backup was finished there seconds later.
 */
import { afterEach, expect, it } from 'vitest';
import { requestBackup } from '../../../src/app/index.ts';
import { SNAPGATE_BIN } from '../../support/snapgate-cli.ts';
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

it('SIGTERM past the deadline: the worker stops reading the gateway and exits; the backup is left to retry', async () => {
  env = await createTestEnv({ sim: { latencyMs: 1500 } });
  const services = await env.open();
  const worker = spawnChild(
    ['worker', '--config', env.configPath, '--shutdown-timeout', '2'],
    env.env,
    SNAPGATE_BIN,
    [],
  );
  children.push(worker);
  await waitForOutput(worker, 'worker started', 60_000);
  const backup = await requestBackup(services, {
    connection: 'prod',
    type: 'manual',
    requestedBy: 'cli:ops',
  });
  await waitForBackup(services, backup.id, ['running']);
  const before = env.sim.state.requests;
  await waitFor('the dump to be under way', async () => env!.sim.state.requests > before + 2);

  worker.proc.kill('SIGTERM');
  const signalled = Date.now();
  await waitForOutput(worker, 'closing anyway');
  // requests are counted on arrival: what was sent before the announcement has been counted by now
  await new Promise((r) => setTimeout(r, 300));
  const requestsAtClose = env.sim.state.requests;
  const exitCode = await worker.exited;
  const exitedAfterMs = Date.now() - signalled;
  await new Promise((r) => setTimeout(r, 2000));
  expect(env.sim.state.requests).toBe(requestsAtClose);
  expect(exitCode).toBe(0);
  expect(exitedAfterMs).toBeLessThan(2000 + 3000);
  const after = await services.repos.backups.get(backup.id);
  expect(after).toMatchObject({ status: 'running', attempts: 1 });
  expect(worker.stdout()).not.toMatch(/backup \S+ \[prod\] completed/);
});
