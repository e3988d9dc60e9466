/**
 * VPC links through the gateway port: an integration that reaches a private backend through a VPC link holds
 * the link's natural key, not its id; with the API and the link deleted, the restore re-creates the link
 * first (L1), rewires the integration to the id AWS assigned it, records the mapping, and converges.
 */
import {
  CreateVpcLinkCommand,
  DeleteRestApiCommand,
  DeleteVpcLinkCommand,
  GetIntegrationCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  PutIntegrationCommand,
} from '@aws-sdk/client-api-gateway';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsApplyResult } from '../../../src/aws/index.ts';
import { openGateway } from '../../../src/compose/gateways.ts';
import { awsKeys, diff, planRestore, type Snapshot } from '../../../src/core/index.ts';
import {
  type AwsApiGatewaySim,
  type PetstoreIds,
  seedPetstore,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { awsConnection } from './support.ts';

const NLB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/orders/0123456789abcdef';
const petGet = awsKeys.method(awsKeys.resource('petstore', '/pets/{petId}'), 'GET');

describe('aws-apigateway gateway: VPC links', () => {
  let sim: AwsApiGatewaySim;
  let ids: PetstoreIds;
  let linkId: string;
  let backup: Snapshot;

  beforeEach(async () => {
    sim = await startAwsApiGatewaySim({ idSeed: 5 });
    ids = seedPetstore(sim.state);
    const client = clientFor(sim);
    const link = await client.send(new CreateVpcLinkCommand({ name: 'orders-nlb', targetArns: [NLB] }));
    linkId = link.id as string;
    await client.send(
      new PutIntegrationCommand({
        restApiId: ids.api,
        resourceId: ids.pet,
        httpMethod: 'GET',
        type: 'HTTP_PROXY',
        integrationHttpMethod: 'GET',
        uri: 'http://orders.internal/pets/{petId}',
        connectionType: 'VPC_LINK',
        connectionId: linkId,
      }),
    );
    client.destroy();
    const gateway = openGateway(awsConnection(sim.url));
    backup = await gateway.dump();
    gateway.close();
  });
  afterEach(() => sim.close());

  it('keys the link by name and the integration references it by key', () => {
    expect(backup.entities.vpc_links?.['orders-nlb']).toEqual({
      id: 'orders-nlb',
      awsId: linkId,
      name: 'orders-nlb',
      targetArns: [NLB],
    });
    const integration = backup.entities.integrations?.[petGet];
    expect(integration).toMatchObject({ connectionType: 'VPC_LINK', vpcLink: 'orders-nlb' });
    expect(integration?.connectionId).toBeUndefined();
  });

  it('re-creates a deleted link before the integrations that go through it, rewired to its new id', async () => {
    const client = clientFor(sim);
    await client.send(new DeleteRestApiCommand({ restApiId: ids.api }));
    await client.send(new DeleteVpcLinkCommand({ vpcLinkId: linkId }));
    const gateway = openGateway(awsConnection(sim.url));
    try {
      const live = await gateway.dump();
      const plan = planRestore(live, backup);
      expect(plan.refusals).toEqual([]);
      const result = (await gateway.apply(plan, { current: live })) as AwsApplyResult;
      expect(result).toMatchObject({ ok: true });
      const after = await gateway.dump();
      expect(diff(after, backup).changes).toEqual([]);
      const newLink = after.entities.vpc_links?.['orders-nlb']?.awsId as string;
      expect(newLink).not.toBe(linkId);
      expect(result.idMapping).toContainEqual({
        kind: 'vpc_links',
        key: 'orders-nlb',
        from: linkId,
        to: newLink,
      });
      const api = (await client.send(new GetRestApisCommand({}))).items?.[0]?.id as string;
      const resources = await client.send(new GetResourcesCommand({ restApiId: api }));
      const pet = resources.items?.find((r) => r.path === '/pets/{petId}')?.id as string;
      const live2 = await client.send(
        new GetIntegrationCommand({ restApiId: api, resourceId: pet, httpMethod: 'GET' }),
      );
      expect(live2.connectionId).toBe(newLink);
    } finally {
      gateway.close();
      client.destroy();
    }
  });

  it('--only vpc_links restores the link alone', async () => {
    const gateway = openGateway(awsConnection(sim.url));
    try {
      const live = await gateway.dump();
      const without = structuredClone(backup);
      delete without.entities.vpc_links;
      const plan = planRestore(live, backup, { only: ['vpc_links'] });
      expect(plan.steps).toEqual([]);
      expect(
        planRestore(without, backup, { only: ['vpc_links'] }).steps.map((s) => `${s.op} ${s.kind}`),
      ).toEqual(['create vpc_links']);
    } finally {
      gateway.close();
    }
  });
});
