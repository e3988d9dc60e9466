/**
 * What API Gateway cannot change through PATCH, restored by the CLI twin through two people to zero drift:
 * tags (TagResource / UntagResource on the entity's ARN), an API key's value (the key re-created, its new id
 * mapped and put back in its usage plans), a VPC link's target (the link re-created, the integrations moved
 * to it and their APIs redeployed, the old link deleted); a model of another content type than
 * application/json, through the re-import of its API.
 */
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  CreateVpcLinkCommand,
  DeleteVpcLinkCommand,
  PutIntegrationCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backup } from '../../../src/db/index.ts';
import {
  type AwsApiGatewaySim,
  type PetstoreIds,
  seedPetstore,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { type AwsCliEnv, recreateModel, replaceApiKey, startAwsCliEnv } from './support.ts';

const CONNECTION = 'payments-api-eu';
const arn = (path: string) => `arn:aws:apigateway:eu-west-1::${path}`;

let sim: AwsApiGatewaySim;
let ids: PetstoreIds;
let t: AwsCliEnv;
let client: APIGatewayClient;

beforeAll(async () => {
  sim = await startAwsApiGatewaySim({ idSeed: 43 });
  ids = seedPetstore(sim.state);
  client = clientFor(sim);
  t = await startAwsCliEnv(sim, CONNECTION, 'snapgate-aws-recreate-');
}, 30_000);

afterAll(async () => {
  client?.destroy();
  await t?.cleanup();
  await sim?.close();
}, 30_000);

async function backup(note: string): Promise<Backup> {
  const taken = await t.bin('backup', CONNECTION, '--note', note, '--wait');
  expect(taken.code).toBe(0);
  const id = new RegExp(`backup (\\S+) queued for ${CONNECTION}`).exec(taken.out)?.[1] ?? '';
  return (await t.services.repos.backups.get(id))!;
}

const tag = (path: string, tags: Record<string, string>) =>
  client.send(new TagResourceCommand({ resourceArn: arn(path), tags }));
const untag = (path: string, tagKeys: string[]) =>
  client.send(new UntagResourceCommand({ resourceArn: arn(path), tagKeys }));

describe('restoring what no PATCH path writes', () => {
  it('tags come back through TagResource and UntagResource, with no "will fail" in the plan', async () => {
    const stage = `/restapis/${ids.api}/stages/prod`;
    const key = `/apikeys/${ids.keys[0]}`;
    const plan = `/usageplans/${ids.plan}`;
    const domain = '/domainnames/petstore.example.com';
    for (const path of [stage, key, plan, domain]) await tag(path, { owner: 'payments' });
    const b = await backup('tagged');
    expect(await t.drift(b)).toBe(0);

    await tag(`/restapis/${ids.api}`, { team: 'platform', cost: 'shared' });
    await untag(stage, ['owner']);
    await tag(key, { owner: 'someone-else' });
    await tag(plan, { extra: 'x' });
    await untag(domain, ['owner']);
    expect(await t.drift(b)).toBe(5);

    const out = await t.restoreAndApprove(b.id, 'tags were edited in the console');
    expect(out).toContain('updating REST API petstore');
    expect(out).toContain('updating stage petstore › prod');
    expect(out).not.toContain('will fail');
    expect(await t.drift(b)).toBe(0);
    const { store } = sim.state;
    expect(store.restApis.get(ids.api)?.fields.tags).toEqual({ team: 'payments' });
    expect(store.restApis.get(ids.api)?.stages.get('prod')?.tags).toEqual({ owner: 'payments' });
    expect(store.apiKeys.get(ids.keys[0] as string)?.tags).toEqual({ owner: 'payments' });
    expect(store.usagePlans.get(ids.plan)?.fields.tags).toEqual({ owner: 'payments' });
    expect(store.domainNames.get('petstore.example.com')?.fields.tags).toEqual({ owner: 'payments' });
    // the test's own calls (4 + 3 tags, 2 untags), then the restore's: 4 TagResource, 2 UntagResource
    expect(sim.state.byOperation['PUT /tags/{resourceArn}']).toBe(7 + 4);
    expect(sim.state.byOperation['DELETE /tags/{resourceArn}']).toBe(2 + 2);
  }, 120_000);

  it("an API key whose value changed is re-created with the backup's value, its new id mapped, back in its usage plan; the value is never shown", async () => {
    const b = await backup('keys');
    const name = 'petstore-partner-a';
    // the console's way to give a key another value: a new key of that name, in the plan, the old one gone
    const { old, id: otherId } = await replaceApiKey(sim, name, 'console-made-value-0123456789');
    const value = old.value as string;
    expect(await t.drift(b)).toBe(1);

    const out = await t.restoreAndApprove(b.id, 'partner-a got a new key in the console');
    expect(out).toContain(
      `API key ${name}: API Gateway cannot change \`value\` in place, so it will be re-created (CreateApiKey with the backup's value, name, description, enabled state, customer id and tags, put back in usage plan petstore-basic, then the old key deleted): its id changes`,
    );
    expect(out).not.toContain('will fail');
    expect(await t.drift(b)).toBe(0);

    const keys = [...sim.state.store.apiKeys.values()].filter((k) => k.name === name);
    expect(keys).toHaveLength(1);
    const now = keys[0]!;
    expect(now).toMatchObject({ value, enabled: true, tags: { owner: 'payments' } });
    expect(now.id).not.toBe(otherId);
    expect(sim.state.store.usagePlans.get(ids.plan)?.keys.has(now.id as string)).toBe(true);
    expect(sim.state.store.usagePlans.get(ids.plan)?.keys.has(otherId as string)).toBe(false);
    // the restore records the new id; neither value is anywhere in the plan, the record or the job's output
    const [restore] = await t.services.repos.restores.listByConnection(CONNECTION, { limit: 1 });
    expect(JSON.stringify(restore?.planSummary?.result)).toContain(
      JSON.stringify({ kind: 'api_keys', key: name, from: old.id, to: now.id }).slice(1, -1),
    );
    for (const text of [out, JSON.stringify(restore)]) {
      expect(text).not.toContain(value);
      expect(text).not.toContain('console-made-value-0123456789');
    }
  }, 120_000);

  it('a VPC link whose target changed is re-created, its integration moved to the new link, the old link deleted', async () => {
    const NLB =
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/orders/0123456789abcdef';
    const NLB2 =
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/orders-2/fedcba9876543210';
    const putThrough = (connectionId: string) =>
      client.send(
        new PutIntegrationCommand({
          restApiId: ids.api,
          resourceId: ids.pet,
          httpMethod: 'GET',
          type: 'HTTP_PROXY',
          integrationHttpMethod: 'GET',
          uri: 'http://orders.internal/pets/{petId}',
          connectionType: 'VPC_LINK',
          connectionId,
        }),
      );
    const link = await client.send(new CreateVpcLinkCommand({ name: 'orders-nlb', targetArns: [NLB] }));
    await putThrough(link.id as string);
    const deployProd = () =>
      client.send(new CreateDeploymentCommand({ restApiId: ids.api, stageName: 'prod' }));
    await deployProd();
    const b = await backup('linked');
    // the console's way to point a link elsewhere: a new link, the integration moved, the old link deleted
    const other = await client.send(new CreateVpcLinkCommand({ name: 'orders-nlb', targetArns: [NLB2] }));
    await putThrough(other.id as string);
    await deployProd(); // prod serves a deployment made through the old link: AWS refuses its deletion till then
    await client.send(new DeleteVpcLinkCommand({ vpcLinkId: link.id }));
    expect(await t.drift(b)).toBe(1);

    const out = await t.restoreAndApprove(b.id, 'the orders link was pointed at the wrong NLB');
    expect(out).toContain(
      "VPC link orders-nlb: API Gateway cannot change `targetArns` in place, so it will be re-created (CreateVpcLink with the backup's target, every integration through the old link moved to the new one, then the old link deleted): its id changes",
    );
    expect(await t.drift(b)).toBe(0);
    const links = [...sim.state.store.vpcLinks.values()];
    expect(links.map((l) => l.targetArns)).toEqual([[NLB]]);
    const now = links[0]!.id as string;
    expect(now).not.toBe(other.id);
    const api = sim.state.store.restApis.get(ids.api)!;
    expect(api.resources.get(ids.pet)?.methods.get('GET')?.integration?.fields.connectionId).toBe(now);
    // the stages serve the moved integration: redeployed before the old link was deleted (which AWS refuses
    // while a stage serves a deployment made through it), and once more after the restore
    expect(sim.state.store.deploymentLinks.get(api.stages.get('prod')?.deploymentId as string)).toEqual(
      new Set([now]),
    );
  }, 120_000);
});

describe('restoring a model of another content type than application/json through the re-import', () => {
  it('the model is left out of the imported definition, created after it with its own type, and hooked back into its method', async () => {
    await recreateModel(sim, 'petstore', 'Pet', 'application/xml');
    const b = await backup('Pet as XML');
    expect(await t.drift(b)).toBe(0);
    // the console made it JSON again (unhooked, deleted, created, hooked back)
    await recreateModel(sim, 'petstore', 'Pet', 'application/json');
    expect(await t.drift(b)).toBe(1);
    const imports = sim.state.store.imports.length;

    const out = await t.restoreAndApprove(b.id, 'Pet must stay XML');
    expect(out).toContain(
      'model petstore › Pet: API Gateway cannot change `contentType` in place, so REST API petstore will be restored through PutRestApi overwrite',
    );
    expect(out).toContain(
      'model Pet (application/xml) created after the import with its content type and hooked back into its methods',
    );
    expect(out).not.toContain('will fail');
    expect(await t.drift(b)).toBe(0);
    expect(sim.state.store.imports).toHaveLength(imports + 1);
    const api = sim.state.store.restApis.get(ids.api)!;
    expect(api.models.get('Pet')?.contentType).toBe('application/xml');
    // the import gave /pets a new id
    const pets = [...api.resources.values()].find((r) => sim.state.store.pathOf(api, r) === '/pets');
    const post = pets?.methods.get('POST');
    expect(Object.values((post?.fields.requestModels as Record<string, string>) ?? {})).toContain('Pet');
  }, 120_000);
});
