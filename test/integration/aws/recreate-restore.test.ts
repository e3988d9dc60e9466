/**
 * What API Gateway cannot change through PATCH, restored by the CLI twin through two people to zero drift:
 * tags (TagResource / UntagResource on the entity's ARN), an API key's value (the key re-created, its new id
 * mapped and put back in its usage plans), a VPC link's target (the link re-created, the integrations moved
 * to it, the old link deleted).
 */
import { type APIGatewayClient, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backup } from '../../../src/db/index.ts';
import {
  type AwsApiGatewaySim,
  type PetstoreIds,
  seedPetstore,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { type AwsCliEnv, startAwsCliEnv } from './support.ts';

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
});
