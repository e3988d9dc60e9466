/**
 * The gateway changes between the run's re-plan dump and its pre-restore backup's dump (someone saves a
 * change in that second): the run sees that the backup holds other content than it planned against,
 * plans once more, goes back for approval of the new plan without writing, and the next run reuses that
 * pre-restore backup (it holds exactly the live content) instead of taking a second one.
 * Real SQLite, Redis, kong-sim and worker; the change is made over HTTP when the backup opens its client.
 */
import { afterEach, expect, it } from 'vitest';
import { approveRestore, requestRestore } from '../../../src/app/index.ts';
import type { GatewayOpener } from '../../../src/compose/gateways.ts';
import type { RunningWorkers } from '../../../src/jobs/index.ts';
import { type KongClient, kongClientFor, kongGateway } from '../../../src/kong/index.ts';
import { createTestEnv, KONG_TOKEN, type TestEnv, waitFor } from '../jobs/harness.ts';
import {
  APPROVER,
  authorize,
  driftFrom,
  FINAL,
  REQUESTER,
  RestoreRecorder,
  startTestWorkers,
  takeBackup,
  waitForRestore,
} from './harness.ts';

let env: TestEnv;
let workers: RunningWorkers | undefined;
afterEach(async () => {
  await workers?.close(2000);
  await env.cleanup();
});

/** A client that runs `before` once, ahead of its first call. */
function delayedClient(client: KongClient, before: () => Promise<void>): KongClient {
  let pending: Promise<void> | null = null;
  const first = () => {
    pending ??= before();
    return pending;
  };
  return {
    baseUrl: client.baseUrl,
    workspace: client.workspace,
    request: async (...a) => {
      await first();
      return client.request(...a);
    },
    get: async (...a) => {
      await first();
      return client.get(...a);
    },
    listAll: async (...a) => {
      await first();
      return client.listAll(...a);
    },
    close: () => client.close(),
    toJSON: () => client.toJSON(),
  } as KongClient;
}

it('a change between the re-plan and the pre-restore backup: planned again, asked again, one pre-restore backup', async () => {
  env = await createTestEnv();
  // armed: skip this many client creations, then change the gateway before the next client's first call
  let armed: { skip: number; change: () => Promise<void> } | null = null;
  const factory: GatewayOpener = (connection) => {
    const client = kongClientFor(connection);
    if (!armed) return kongGateway(client);
    if (armed.skip-- > 0) return kongGateway(client);
    const { change } = armed;
    armed = null;
    return kongGateway(delayedClient(client, change));
  };
  const notifier = new RestoreRecorder();
  const services = await env.open({ gatewayFactory: factory, notifier });
  workers = await startTestWorkers(services);
  const good = await takeBackup(services);
  const patch = (path: string, body: unknown) =>
    fetch(`${env.sim.url}${path}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'Kong-Admin-Token': KONG_TOKEN },
      body: JSON.stringify(body),
    }).then((r) => expect(r.status).toBe(200));
  await patch('/services/orders', { port: 9999 });

  const { restore } = await requestRestore(services, {
    connection: 'prod',
    backup: { kind: 'id', id: good.id },
    reason: 'bad port',
    requestedBy: REQUESTER,
  });
  const first = await waitForRestore(services, restore.id, ['awaiting_approval']);
  // the run's re-plan opens client 1; the pre-restore backup's dump opens client 2: change billing then
  armed = { skip: 1, change: () => patch('/services/billing', { port: 7777 }) };
  const writes = () => env.sim.state.writes;
  expect((await approveRestore(services, { restoreId: restore.id, approver: APPROVER, authorize })).ok).toBe(
    true,
  );
  const again = await waitForRestore(services, restore.id, ['awaiting_approval', ...FINAL]);
  await waitFor('the re-plan to be notified', async () =>
    notifier.phases(restore.id).includes('replan_required'),
  );
  expect(again.status).toBe('awaiting_approval');
  expect(again.planHash).not.toBe(first.planHash);
  expect(armed).toBeNull();
  const writesBefore = writes();
  const pre = (await services.repos.backups.get(again.preRestoreBackupId!))!;
  expect(pre).toMatchObject({ type: 'pre-restore', status: 'completed' });

  expect(
    (
      await approveRestore(services, {
        restoreId: restore.id,
        approver: APPROVER,
        authorize,
        planHash: again.planHash!,
      })
    ).ok,
  ).toBe(true);
  const done = await waitForRestore(services, restore.id, FINAL);
  expect(done.status).toBe('completed');
  expect(writes()).toBeGreaterThan(writesBefore);
  expect((await driftFrom(services, good)).steps).toEqual([]);
  const pres = (await services.repos.backups.listByConnection('prod', { limit: 100 })).filter(
    (b) => b.type === 'pre-restore',
  );
  expect(pres.map((b) => b.id)).toEqual([pre.id]);
  expect(done.preRestoreBackupId).toBe(pre.id);
}, 60_000);
