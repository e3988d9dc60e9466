/**
 * Issue 18 §5: a restore whose worker died no longer holds its connection until the job lock expires (and
 * then only if another worker is alive to notice). The run job records a heartbeat; a running restore
 * silent for 6 heartbeats is failed by whoever looks first, and while it runs a refused request says why
 * the connection is blocked and until when. A worker that was only slow stops writing at its next beat.
 */
import { afterEach, expect, it } from 'vitest';
import { failSilentRestores, RestoreRefusedError, requestRestore } from '../../../src/app/index.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import type { RunningWorkers } from '../../../src/jobs/index.ts';
import { type Child, spawnChild, waitForOutput } from '../jobs/child.ts';
import { createTestEnv, type TestEnv, waitFor } from '../jobs/harness.ts';
import { applyingRestore, movableClock, REQUESTER, startTestWorkers } from './harness.ts';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const askAgain = (services: Services) =>
  requestRestore(services, {
    connection: 'prod',
    backup: { kind: 'latest' },
    reason: 'try again',
    requestedBy: REQUESTER,
  });

it('a worker killed mid-restore: the refusal says until when; 6 heartbeats later the connection is free, with no worker running', async () => {
  env = await createTestEnv();
  await env.reload((y) => `${y}restores:\n  heartbeatEvery: 1s\n`);
  const services = await env.open();
  const worker = spawnChild([env.configPath, 'worker'], env.env);
  children.push(worker);
  await waitForOutput(worker, 'ready');
  const { id } = await applyingRestore(env, services);

  worker.proc.kill('SIGKILL');
  await worker.exited;
  const refused = await askAgain(services).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(RestoreRefusedError);
  expect((refused as Error).message).toMatch(
    new RegExp(
      `already in progress: ${id}, running; restore ${id} is running \\(its worker last reported \\d+ s ago, at \\S+Z\\); ` +
        'prod stays blocked until it finishes, or — if its worker stopped — until \\S+Z at the latest, when it is marked failed',
    ),
  );
  const until = Date.parse(/until (\S+Z) at the latest/.exec((refused as Error).message)![1]!);
  expect(until - Date.now()).toBeLessThanOrEqual(6_000);

  // no worker anywhere: the next request itself finds the silent restore and frees the connection
  const killedAt = Date.now();
  const next = await waitFor(
    'the connection to be free',
    async () => askAgain(services).catch(() => undefined),
    20_000,
  );
  expect(Date.now() - killedAt).toBeLessThan(15_000); // was: blocked until a worker started and its lock expired
  expect(next.restore.status).toBe('planned');
  const stopped = await services.repos.restores.get(id);
  expect(stopped).toMatchObject({ status: 'failed', failureCode: 'worker_stopped' });
  expect(stopped?.failureReason).toMatch(
    /^the worker running it stopped answering \(no heartbeat since \S+Z, 6 s\); the gateway may be partially restored — run a new diff$/,
  );
  const failedAudit = (await services.audit.list({ action: 'restore.failed' })).filter(
    (e) => e.targetId === id,
  );
  expect(failedAudit).toHaveLength(1);
}, 90_000);

it('a worker taken for stopped while it was only slow stops writing at its next heartbeat', async () => {
  env = await createTestEnv();
  await env.reload((y) => `${y}restores:\n  heartbeatEvery: 1s\n`);
  const { now, clock } = movableClock();
  const services = await env.open({ now });
  workers = await startTestWorkers(services);
  const { id, writesBefore } = await applyingRestore(env, services);

  // another process sees it silent for 10 minutes (the clock moved) and fails it
  clock.advance(10 * 60_000);
  await failSilentRestores(services);
  expect((await services.repos.restores.get(id))?.status).toBe('failed');
  await sleep(2500); // the next heartbeat (1 s) says "not running any more": the apply stops
  const stoppedAt = env.sim.state.writes;
  await sleep(1500);
  expect(env.sim.state.writes).toBe(stoppedAt);
  expect(stoppedAt - writesBefore).toBeLessThan(120);
  const steps = await waitFor('the steps to be recorded', async () => {
    const s = await services.repos.restores.listSteps(id);
    return s.length > 0 ? s : undefined;
  });
  expect(steps.some((s) => s.status === 'not_attempted')).toBe(true);
  expect((await services.repos.restores.get(id))?.status).toBe('failed');
}, 90_000);
