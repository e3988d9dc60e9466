/**
 * Tags as the API reference describes them, through the SDK: TagResource (`PUT /tags/{resource_arn}`, 204:
 * adds the given tags, updates a key already there), UntagResource (`DELETE /tags/{resource_arn}?tagKeys=…`,
 * 204), GetTags (`{ tags }`); the resource named by its ARN `arn:aws:apigateway:{region}::/restapis/{id}`,
 * `…/restapis/{id}/stages/{name}`, `/usageplans/{id}`, `/apikeys/{id}`, `/domainnames/{name}`,
 * `/vpclinks/{id}`, `/clientcertificates/{id}`; the entity's own Get returns its tags. A key must not start
 * with `aws:` ("Tagging your API Gateway resources": reserved prefix); an unknown resource is a 404.
 */
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateVpcLinkCommand,
  GenerateClientCertificateCommand,
  GetApiKeyCommand,
  GetRestApiCommand,
  GetStageCommand,
  GetTagsCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { awsError, useSim } from './helpers.ts';

const NLB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/app/0123456789abcdef';
const arn = (path: string) => `arn:aws:apigateway:eu-west-1::${path}`;

describe('aws-apigateway-sim: tags', () => {
  const { client, sim } = useSim();

  it('TagResource adds and updates, UntagResource removes; Get of the REST API returns its tags', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'tagged', tags: { team: 'a' } }));
    const at = arn(`/restapis/${api.id}`);
    const tagged = await client().send(
      new TagResourceCommand({ resourceArn: at, tags: { team: 'payments', tier: 'gold' } }),
    );
    expect(tagged.$metadata.httpStatusCode).toBe(204);
    expect((await client().send(new GetRestApiCommand({ restApiId: api.id }))).tags).toEqual({
      team: 'payments',
      tier: 'gold',
    });
    const untagged = await client().send(new UntagResourceCommand({ resourceArn: at, tagKeys: ['tier'] }));
    expect(untagged.$metadata.httpStatusCode).toBe(204);
    expect((await client().send(new GetTagsCommand({ resourceArn: at }))).tags).toEqual({ team: 'payments' });
    await client().send(new UntagResourceCommand({ resourceArn: at, tagKeys: ['team'] }));
    expect((await client().send(new GetRestApiCommand({ restApiId: api.id }))).tags ?? {}).toEqual({});
  });

  it('every taggable entity is named by its ARN: stage, usage plan, API key, domain name, VPC link, certificate', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'staged' }));
    await client().send(
      new PutMethodCommand({
        restApiId: api.id,
        resourceId: api.rootResourceId,
        httpMethod: 'GET',
        authorizationType: 'NONE',
      }),
    );
    await client().send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId: api.rootResourceId,
        httpMethod: 'GET',
        type: 'MOCK',
      }),
    );
    await client().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    const plan = await client().send(new CreateUsagePlanCommand({ name: 'gold' }));
    const key = await client().send(new CreateApiKeyCommand({ name: 'partner' }));
    await client().send(
      new CreateDomainNameCommand({ domainName: 'api.example.com', certificateArn: 'arn:aws:acm:x' }),
    );
    const link = await client().send(new CreateVpcLinkCommand({ name: 'orders', targetArns: [NLB] }));
    const cert = await client().send(new GenerateClientCertificateCommand({ description: 'backend' }));
    const paths = [
      `/restapis/${api.id}/stages/prod`,
      `/usageplans/${plan.id}`,
      `/apikeys/${key.id}`,
      '/domainnames/api.example.com',
      `/vpclinks/${link.id}`,
      `/clientcertificates/${cert.clientCertificateId}`,
    ];
    for (const path of paths) {
      await client().send(new TagResourceCommand({ resourceArn: arn(path), tags: { env: 'prod' } }));
      expect((await client().send(new GetTagsCommand({ resourceArn: arn(path) }))).tags).toEqual({
        env: 'prod',
      });
    }
    expect((await client().send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' }))).tags).toEqual(
      { env: 'prod' },
    );
    expect((await client().send(new GetApiKeyCommand({ apiKey: key.id }))).tags).toEqual({ env: 'prod' });
    expect(sim().state.store.vpcLinks.get(link.id as string)?.tags).toEqual({ env: 'prod' });
  });

  it('an unknown resource is a 404; a key with the reserved aws: prefix is a 400', async () => {
    expect(
      await awsError(
        client().send(new TagResourceCommand({ resourceArn: arn('/apikeys/nosuchkey0'), tags: { a: 'b' } })),
      ),
    ).toMatchObject({ name: 'NotFoundException', status: 404 });
    const api = await client().send(new CreateRestApiCommand({ name: 'reserved' }));
    expect(
      await awsError(
        client().send(
          new TagResourceCommand({ resourceArn: arn(`/restapis/${api.id}`), tags: { 'aws:x': 'y' } }),
        ),
      ),
    ).toMatchObject({ name: 'BadRequestException', status: 400 });
  });
});
