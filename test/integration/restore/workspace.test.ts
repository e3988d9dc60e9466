/**
 * A backup belongs to the workspace it was dumped from (issue 11 §4): a `team-a` backup never lands in
 * `default`, and a `default` backup never lands in `team-a`. The plan job refuses such a request with the
 * reason on the card, before the live gateway is dumped, and nothing is written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestRestore, verifyAndOpenBackup } from '../../../src/app/index.ts';
import type { Backup } from '../../../src/app/ports/records.ts';
import type { Runtime as Services } from '../../../src/compose/index.ts';
import { type KongSim, startKongSim } from '../../../tools/kong-sim/index.ts';
import { createTestEnv, KONG_TOKEN, SEED, type TestEnv } from '../jobs/harness.ts';
import {
  FINAL,
  REQUESTER,
  RestoreRecorder,
  startTestWorkers,
  takeBackup,
  waitForRestore,
} from './harness.ts';

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** `prod` on a gateway whose only workspace is `workspace` (undefined: no prefix, `default`). */
async function envOn(workspace: string | undefined): Promise<TestEnv> {
  const env = await createTestEnv({
    sim: { edition: 'enterprise', ...(workspace ? { workspace } : {}) },
    ...(workspace ? { connectionExtra: `workspace: ${workspace}` } : {}),
  });
  open.push({ close: () => env.cleanup() });
  return env;
}

/** Point `prod` at `sim` in `workspace` (undefined: none), as an admin editing snapgate.yml would. */
async function repoint(env: TestEnv, sim: KongSim, workspace: string | undefined): Promise<Services> {
  await env.reload((yaml) =>
    yaml
      .replace(/\n\s+workspace: \S+/, '')
      .replace(/kongUrl: \S+/, `kongUrl: ${sim.url}${workspace ? `\n    workspace: ${workspace}` : ''}`),
  );
  return env.open({ notifier: new RestoreRecorder() });
}

/** A backup of `prod` as configured now, taken by workers that stop before the test goes on. */
async function backupWith(env: TestEnv): Promise<Backup> {
  const services = await env.open();
  const workers = await startTestWorkers(services);
  try {
    return await takeBackup(services);
  } finally {
    await workers.close(2000);
  }
}

async function restoreAndWait(services: Services, backup: Backup) {
  const { restore } = await requestRestore(services, {
    connection: 'prod',
    backup: { kind: 'id', id: backup.id },
    reason: 'put it back',
    requestedBy: REQUESTER,
  });
  return { restore, done: await waitForRestore(services, restore.id, FINAL) };
}

describe('restores stay in their workspace (issue 11 §4)', () => {
  it.each([
    { from: 'team-a', to: undefined, fromName: 'team-a', toName: 'default' },
    { from: undefined, to: 'team-a', fromName: 'default', toName: 'team-a' },
    { from: 'team-a', to: 'team-b', fromName: 'team-a', toName: 'team-b' },
  ])(
    'a backup of workspace $fromName is refused on a connection to $toName, with zero writes',
    async ({ from, to, fromName, toName }) => {
      const env = await envOn(from);
      const backup = await backupWith(env);
      // the dump recorded where it came from
      const snapshot = await verifyAndOpenBackup(await env.open(), backup);
      expect(snapshot.meta.workspace).toBe(from ?? null);

      // the same seeded gateway, reached in the other workspace
      const other = await startKongSim({
        token: KONG_TOKEN,
        seed: SEED,
        edition: 'enterprise',
        ...(to ? { workspace: to } : {}),
      });
      open.push(other);
      const services = await repoint(env, other, to);
      const workers = await startTestWorkers(services);
      open.push({ close: () => workers.close(2000) });
      const reads = other.state.requests;
      const writes = other.state.writes;

      const { restore, done } = await restoreAndWait(services, backup);
      expect(done.status).toBe('failed');
      expect(done.failureReason).toBe(
        `the backup holds workspace "${fromName}" but the connection reaches workspace "${toName}"; a backup is restored only into its own workspace (set the connection's workspace to "${fromName}"); nothing was changed`,
      );
      expect(done.planHash).toBeNull();
      // the card is told why (the notifier's final phase carries the reason)
      const recorder = services.notifier as RestoreRecorder;
      const last = recorder.restores.filter((e) => e.restore.id === restore.id).at(-1);
      expect(last?.phase).toBe('finished');
      expect(last?.message).toBe(done.failureReason);
      expect(other.state.writes).toBe(writes);
      // refused before the dump: the only request was the describe
      expect(other.state.requests - reads).toBeLessThanOrEqual(2);
    },
  );

  it('a backup restored into its own workspace plans as usual', async () => {
    const env = await envOn('team-a');
    const backup = await backupWith(env);
    const services = await env.open({ notifier: new RestoreRecorder() });
    const workers = await startTestWorkers(services);
    open.push({ close: () => workers.close(2000) });
    const { done } = await restoreAndWait(services, backup);
    expect(done.status).toBe('completed');
    expect(done.failureReason).toBeNull();
  });
});
