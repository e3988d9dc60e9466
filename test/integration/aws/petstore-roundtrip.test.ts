/**
 * The petstore through the gateway port for AWS API Gateway: a dump keyed by natural key (every list
 * paginated, API key values kept for the encrypted artifact), then break it (delete a resource, change an
 * integration, delete a stage, delete the whole API), plan against the live account and apply: the new
 * dump equals the backup except for the ids AWS assigned, which the apply's id mapping explains, and the
 * stages point at the deployment the restore made.
 */
import {
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetStageCommand,
  UpdateIntegrationCommand,
} from '@aws-sdk/client-api-gateway';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsApplyResult } from '../../../src/aws/index.ts';
import { openGateway } from '../../../src/compose/gateways.ts';
import { awsKeys, diff, planRestore, redact, type Snapshot } from '../../../src/core/index.ts';
import {
  type AwsApiGatewaySim,
  type PetstoreIds,
  seedPetstore,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { awsConnection } from './support.ts';

const api = awsKeys.api('petstore');
const pets = awsKeys.resource(api, '/pets');
const pet = awsKeys.resource(api, '/pets/{petId}');

async function restore(sim: AwsApiGatewaySim, backup: Snapshot) {
  const gateway = openGateway(awsConnection(sim.url));
  try {
    const live = await gateway.dump();
    const plan = planRestore(live, backup);
    expect(plan.refusals).toEqual([]);
    const result = (await gateway.apply(plan, { current: live })) as AwsApplyResult;
    const after = await gateway.dump();
    return { plan, result, after };
  } finally {
    gateway.close();
  }
}

describe('aws-apigateway gateway: petstore round trip', () => {
  let sim: AwsApiGatewaySim;
  let ids: PetstoreIds;
  let backup: Snapshot;

  beforeEach(async () => {
    sim = await startAwsApiGatewaySim({ idSeed: 7 });
    ids = seedPetstore(sim.state);
    const gateway = openGateway(awsConnection(sim.url));
    backup = await gateway.dump({ takenAt: '2026-12-06T09:00:00.000Z' });
    gateway.close();
  });
  afterEach(async () => {
    await sim.close();
  });

  it('dumps the petstore keyed by natural key, references as keys, AWS ids kept aside', () => {
    expect(backup.meta).toMatchObject({ gateway: 'aws-apigateway', edition: 'managed' });
    expect(backup.meta.counts).toMatchObject({
      restapis: 1,
      resources: 3,
      methods: 4,
      method_responses: 4,
      integrations: 4,
      integration_responses: 4,
      models: 2,
      request_validators: 2,
      authorizers: 1,
      gateway_responses: 2,
      stages: 2,
      api_keys: 2,
      usage_plans: 1,
      usage_plan_keys: 2,
      domain_names: 1,
      base_path_mappings: 2,
      documentation_parts: 4,
      documentation_versions: 1,
    });
    expect(backup.entities.restapis?.[api]?.awsId).toBe(ids.api);
    expect(
      backup.entities.documentation_parts?.[
        awsKeys.documentationPart(api, { type: 'METHOD', path: '/pets', method: 'GET' })
      ],
    ).toMatchObject({ restApi: api, properties: '{"summary":"List the pets"}' });
    expect(backup.entities.documentation_versions?.[awsKeys.documentationVersion(api, 'v1')]).toEqual({
      id: 'petstore:doc v1',
      restApi: api,
      version: 'v1',
      description: 'first published docs',
    });
    expect(backup.entities.stages?.[awsKeys.inApi(api, 'prod')]?.documentationVersion).toBe('v1');
    expect(backup.entities.resources?.[pet]).toMatchObject({
      parent: pets,
      pathPart: '{petId}',
      awsId: ids.pet,
    });
    expect(backup.entities.methods?.[awsKeys.method(pets, 'POST')]).toMatchObject({
      authorizer: awsKeys.inApi(api, 'token-auth'),
      requestValidator: awsKeys.inApi(api, 'body-only'),
      requestModels: { 'application/json': 'Pet' },
      apiKeyRequired: true,
    });
    expect(backup.entities.usage_plans?.['petstore-basic']?.apiStages).toEqual([
      { apiId: api, stage: 'prod' },
    ]);
    expect(backup.entities.base_path_mappings?.['petstore.example.com:(none)']).toMatchObject({
      restApi: api,
      stage: 'prod',
    });
    const key = backup.entities.api_keys?.['petstore-partner-a'];
    expect(typeof key?.value).toBe('string');
    expect(JSON.stringify(redact(backup))).not.toContain(key?.value as string);
  });

  it('an unchanged account plans nothing', async () => {
    const { plan } = await restore(sim, backup);
    expect(plan.steps).toEqual([]);
  });

  it('a deleted resource, a changed integration and a deleted stage come back; stages serve a new deployment', async () => {
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
    const { plan, result, after } = await restore(sim, backup);
    // the resource with its method, method response, integration and integration response; the stage
    expect(plan.summary).toEqual({ create: 6, update: 1, delete: 0 });
    expect(result).toMatchObject({ ok: true, counts: { failed: 0, notAttempted: 0 } });
    expect(diff(after, backup).changes).toEqual([]);
    expect(result.idMapping).toEqual([
      { kind: 'resources', key: pet, from: ids.pet, to: after.entities.resources?.[pet]?.awsId },
    ]);
    const deployment = result.deployments[api];
    for (const stageName of ['prod', 'staging']) {
      const stage = await client.send(new GetStageCommand({ restApiId: ids.api, stageName }));
      expect(stage.deploymentId, stageName).toBe(deployment);
    }
    client.destroy();
  });

  it('documentation comes back: a changed part is patched, a deleted part and version re-created, an extra part deleted', async () => {
    const store = sim.state.store.restApis.get(ids.api)!;
    const parts = [...store.documentationParts.values()];
    const method = parts.find((p) => (p.location as { type: string }).type === 'METHOD')!;
    const model = parts.find((p) => (p.location as { type: string }).type === 'MODEL')!;
    const call = sim.state.call;
    const send = (verb: string, path: string, body?: Record<string, unknown>) =>
      expect(call(verb, path, body).status, `${verb} ${path}`).toBeLessThan(300);
    send('PATCH', `/restapis/${ids.api}/documentation/parts/${method.id}`, {
      patchOperations: [{ op: 'replace', path: '/properties', value: '{"summary":"edited in the console"}' }],
    });
    send('DELETE', `/restapis/${ids.api}/documentation/parts/${model.id}`);
    send('POST', `/restapis/${ids.api}/documentation/parts`, {
      location: { type: 'RESOURCE', path: '/pets/{petId}' },
      properties: '{"description":"added by hand"}',
    });
    send('PATCH', `/restapis/${ids.api}/stages/prod`, {
      patchOperations: [{ op: 'replace', path: '/documentationVersion', value: '' }],
    });
    send('DELETE', `/restapis/${ids.api}/documentation/versions/v1`);
    const { plan, result, after } = await restore(sim, backup);
    expect(plan.changes.map((c) => `${c.op} ${c.kind} ${c.name}`).sort()).toEqual([
      'create documentation_parts petstore › documentation › MODEL Pet',
      'create documentation_versions petstore › documentation › v1',
      'delete documentation_parts petstore › documentation › RESOURCE /pets/{petId}',
      'update documentation_parts petstore › documentation › METHOD /pets GET',
      'update stages petstore › prod',
    ]);
    expect(result).toMatchObject({ ok: true });
    expect(diff(after, backup).changes).toEqual([]);
    // the re-created version holds the parts as restored
    const v1 = store.documentationVersions.get('v1');
    expect(v1?.parts.map((p) => p.properties).sort()).toEqual(
      [...store.documentationParts.values()].map((p) => p.properties).sort(),
    );
  });

  it('a change API Gateway cannot make in place, in a plan that must not delete, is said in the plan, fails alone, and the rest applies', async () => {
    const target = structuredClone(backup);
    const key = target.entities.api_keys?.['petstore-partner-a'];
    if (key) key.value = 'a-new-value-for-partner-a-0123456789';
    const stageKey = awsKeys.inApi(api, 'staging');
    const staging = target.entities.stages?.[stageKey];
    if (staging) staging.variables = { backend: 'staging-2.petstore.internal' };
    const gateway = openGateway(awsConnection(sim.url));
    try {
      const live = await gateway.dump();
      const planner = await gateway.planner(await gateway.describe());
      // re-creating the key would delete the old one: not in a plan that must not delete
      const plan = planner.preflight(
        planRestore(live, await planner.fillTarget(target), { noDeletes: true }),
      );
      expect(plan.warnings).toEqual([
        expect.objectContaining({
          code: 'not-updatable',
          kind: 'api_keys',
          name: 'petstore-partner-a',
          field: 'value',
          message: expect.stringContaining(
            'API key petstore-partner-a: API Gateway cannot change `value` in place, so this step will fail (it would be re-created, which deletes the old one, and this plan must not delete)',
          ),
        }),
      ]);
      const result = await gateway.apply(plan, { current: live });
      const byKind = Object.fromEntries(result.steps.map((r) => [r.step.kind, r.status]));
      expect(byKind).toEqual({ api_keys: 'failed', stages: 'ok' });
      expect(sim.state.store.restApis.get(ids.api)?.stages.get('staging')?.variables).toEqual({
        backend: 'staging-2.petstore.internal',
      });
    } finally {
      gateway.close();
    }
  });

  it('the whole API deleted comes back under new ids, with its usage plan stage, keys and mappings rewired', async () => {
    const client = clientFor(sim);
    await client.send(new DeleteRestApiCommand({ restApiId: ids.api }));
    client.destroy();
    const { result, after } = await restore(sim, backup);
    expect(result).toMatchObject({ ok: true });
    expect(diff(after, backup).changes).toEqual([]);
    const newApi = after.entities.restapis?.[api]?.awsId as string;
    expect(newApi).not.toBe(ids.api);
    expect(result.idMapping).toContainEqual({ kind: 'restapis', key: api, from: ids.api, to: newApi });
    const live = sim.state.store;
    expect([...live.usagePlans.values()][0]?.fields.apiStages).toContainEqual({
      apiId: newApi,
      stage: 'prod',
    });
    expect(
      [...(live.domainNames.get('petstore.example.com')?.mappings.values() ?? [])].map((m) => m.restApiId),
    ).toEqual([newApi, newApi]);
  });
});
