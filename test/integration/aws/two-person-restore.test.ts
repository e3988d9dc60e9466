/**
 * The two-person restore on an AWS API Gateway connection, through the same service calls the Slack
 * handlers and the CLI make (requestBackup, requestRestore, approveRestore) with real SQLite, Redis, an
 * in-process worker and the simulator: backup the petstore → break it (a resource deleted, an integration
 * changed, a stage deleted, then the whole API deleted) → plan → a second person approves → the restore
 * completes, its verification dump shows zero drift, and so does a fresh one.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  UpdateIntegrationCommand,
} from '@aws-sdk/client-api-gateway';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  approveRestore,
  requestBackup,
  requestRestore,
  verifyAndOpenBackup,
} from '../../../src/app/index.ts';
import { createServices, type Runtime as Services } from '../../../src/compose/index.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { planRestore } from '../../../src/core/index.ts';
import type { Backup } from '../../../src/db/index.ts';
import type { RunningWorkers } from '../../../src/jobs/index.ts';
import {
  type AwsApiGatewaySim,
  type PetstoreIds,
  seedPetstore,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { deletePrefix, RecordingNotifier, waitForBackup } from '../jobs/harness.ts';
import {
  APPROVER,
  authorize,
  FINAL,
  REQUESTER,
  startTestWorkers,
  waitForRestore,
} from '../restore/harness.ts';
import { writeAwsConfig } from './support.ts';

const CONNECTION = 'payments-api-eu';

let sim: AwsApiGatewaySim;
let ids: PetstoreIds;
let dir: string;
let prefix: string;
let services: Services;
let workers: RunningWorkers;
let backup: Backup;

beforeEach(async () => {
  sim = await startAwsApiGatewaySim({ idSeed: 11 });
  ids = seedPetstore(sim.state);
  dir = mkdtempSync(join(tmpdir(), 'snapgate-aws-'));
  prefix = `sgtest-${randomUUID().slice(0, 8)}`;
  const { configPath, env } = writeAwsConfig({ dir, sim, connection: CONNECTION, prefix });
  const config = await loadConfig({ path: configPath, env });
  services = await createServices({
    config,
    notifier: new RecordingNotifier(),
    retry: { attempts: 2, backoffMs: 50 },
  });
  workers = await startTestWorkers(services);
  const requested = await requestBackup(services, {
    connection: CONNECTION,
    type: 'manual',
    requestedBy: 'system',
  });
  backup = await waitForBackup(services, requested.id);
});

afterEach(async () => {
  await workers.close(2000);
  await services.close();
  await sim.close();
  await deletePrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

async function drift(): Promise<number> {
  const target = await verifyAndOpenBackup(services, backup);
  const gateway = services.gateway(services.connection(CONNECTION));
  try {
    return planRestore(await gateway.dump(), target).steps.length;
  } finally {
    gateway.close();
  }
}

async function restoreAndApprove(): Promise<string> {
  const { restore } = await requestRestore(services, {
    connection: CONNECTION,
    backup: { kind: 'id', id: backup.id },
    reason: 'someone clicked in the console',
    requestedBy: REQUESTER,
  });
  const planned = await waitForRestore(services, restore.id, ['awaiting_approval', ...FINAL], 60_000);
  expect(planned.status, planned.failureReason ?? '').toBe('awaiting_approval');
  const selfApproval = await approveRestore(services, {
    restoreId: restore.id,
    approver: REQUESTER,
    authorize,
  });
  expect(selfApproval.ok).toBe(false);
  const approved = await approveRestore(services, { restoreId: restore.id, approver: APPROVER, authorize });
  expect(approved.ok).toBe(true);
  const done = await waitForRestore(services, restore.id, FINAL, 60_000);
  expect(done.status, done.failureReason ?? '').toBe('completed');
  return restore.id;
}

describe('two-person restore on an AWS API Gateway connection', () => {
  it('backs up the petstore into an encrypted artifact with counts per AWS kind', () => {
    expect(backup.status).toBe('completed');
    expect(backup.counts).toMatchObject({ restapis: 1, resources: 3, methods: 4, stages: 2, api_keys: 2 });
  });

  it('restores a deleted resource, a changed integration and a deleted stage, then the whole API', async () => {
    const client = clientFor(sim);
    await client.send(new DeleteResourceCommand({ restApiId: ids.api, resourceId: ids.pet }));
    await client.send(
      new UpdateIntegrationCommand({
        restApiId: ids.api,
        resourceId: ids.pets,
        httpMethod: 'GET',
        patchOperations: [{ op: 'replace', path: '/uri', value: 'http://evil.example.com/pets' }],
      }),
    );
    await client.send(new DeleteStageCommand({ restApiId: ids.api, stageName: 'staging' }));
    expect(await drift()).toBe(7);
    await restoreAndApprove();
    expect(await drift()).toBe(0);

    const live = [...sim.state.store.restApis.values()][0];
    await client.send(new DeleteRestApiCommand({ restApiId: live?.fields.id as string }));
    client.destroy();
    expect(await drift()).toBeGreaterThan(20);
    const id = await restoreAndApprove();
    expect(await drift()).toBe(0);
    // the record explains the ids AWS assigned: the API, its resources, models, validators, authorizer
    const restored = await services.repos.restores.get(id);
    type Summary = {
      result?: { idMapping?: { kind: string; key: string; from: string | null; to: string }[] };
    };
    const result = (restored?.planSummary as Summary | null | undefined)?.result;
    const newApi = [...sim.state.store.restApis.keys()][0];
    expect(result?.idMapping).toContainEqual({
      kind: 'restapis',
      key: 'petstore',
      from: live?.fields.id,
      to: newApi,
    });
    expect(result?.idMapping?.filter((m) => m.kind === 'resources')).toHaveLength(3);
  }, 120_000);
});
