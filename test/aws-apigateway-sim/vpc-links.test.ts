/**
 * VPC links as the API reference describes them, through the SDK: CreateVpcLink (202 Accepted, a name and
 * the network load balancer ARN in `targetArns`), GetVpcLinks (paged), UpdateVpcLink (`/name`,
 * `/description`), PutIntegration with `connectionType: VPC_LINK` (`connectionId` is the link's id, or a
 * stage variable resolved at run time), DeleteVpcLink (202; refused while an integration uses the link, or a
 * stage serves a deployment made while one did — AWS Knowledge Center, "How do I delete a VPC link for my API
 * Gateway REST API?": switch the integration, redeploy to the stage, then delete).
 */
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateVpcLinkCommand,
  DeleteVpcLinkCommand,
  GetVpcLinksCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateVpcLinkCommand,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { awsError, useSim } from './helpers.ts';

/** An HTTP_PROXY integration of the method at `where` through VPC link `connectionId`. */
function throughLink(
  gateway: APIGatewayClient,
  where: { restApiId: string | undefined; resourceId: string | undefined; httpMethod: string },
  connectionId: string,
) {
  return gateway.send(
    new PutIntegrationCommand({
      ...where,
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'GET',
      uri: 'http://orders.internal/',
      connectionType: 'VPC_LINK',
      connectionId,
    }),
  );
}

const NLB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/app/0123456789abcdef';

describe('aws-apigateway-sim: VPC links', () => {
  const { client, sim } = useSim();

  it('CreateVpcLink answers 202 with the link; a name and one NLB ARN are required', async () => {
    expect(
      await awsError(client().send(new CreateVpcLinkCommand({ name: 'x', targetArns: [] }))),
    ).toMatchObject({ name: 'BadRequestException', status: 400 });
    const link = await client().send(
      new CreateVpcLinkCommand({ name: 'orders', targetArns: [NLB], description: 'orders NLB' }),
    );
    expect(link.$metadata.httpStatusCode).toBe(202);
    expect(link).toMatchObject({ name: 'orders', targetArns: [NLB], status: 'AVAILABLE' });
    expect(link.id).toMatch(/^[a-z0-9]{10}$/);
    const renamed = await client().send(
      new UpdateVpcLinkCommand({
        vpcLinkId: link.id,
        patchOperations: [{ op: 'replace', path: '/description', value: 'the orders NLB' }],
      }),
    );
    expect(renamed.description).toBe('the orders NLB');
    const page = await client().send(new GetVpcLinksCommand({ limit: 1 }));
    expect(page.items?.map((l) => l.name)).toEqual(['orders']);
  });

  it('a VPC_LINK integration needs its link; a link in use cannot be deleted', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'private' }));
    const where = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
    await client().send(new PutMethodCommand({ ...where, authorizationType: 'NONE' }));
    const integration = (connectionId: string) => throughLink(client(), where, connectionId);
    expect(await awsError(integration('nosuchlink'))).toMatchObject({
      name: 'BadRequestException',
      message: 'Invalid VPC link identifier specified: nosuchlink',
    });
    // a stage variable is resolved when the API is called, not when it is written
    // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's stage variable syntax, not a JS template
    await integration('${stageVariables.vpcLinkId}');
    const link = await client().send(new CreateVpcLinkCommand({ name: 'in-use', targetArns: [NLB] }));
    await integration(link.id as string);
    expect(await awsError(client().send(new DeleteVpcLinkCommand({ vpcLinkId: link.id })))).toMatchObject({
      name: 'BadRequestException',
    });
    expect(sim().state.store.vpcLinks.has(link.id as string)).toBe(true);
  });

  it('a link a deployed stage still serves cannot be deleted until the stage is redeployed (Knowledge Center: "How do I delete a VPC link for my API Gateway REST API?")', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'deployed' }));
    const where = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
    await client().send(new PutMethodCommand({ ...where, authorizationType: 'NONE' }));
    const link = await client().send(new CreateVpcLinkCommand({ name: 'deployed', targetArns: [NLB] }));
    await throughLink(client(), where, link.id as string);
    await client().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    // the integration switched away from the link: the deployment prod serves still goes through it
    await client().send(new PutIntegrationCommand({ ...where, type: 'MOCK' }));
    expect(await awsError(client().send(new DeleteVpcLinkCommand({ vpcLinkId: link.id })))).toMatchObject({
      name: 'BadRequestException',
      status: 400,
      message: expect.stringContaining('Cannot delete vpc link referenced in format of [Method:Resource]'),
    });
    await client().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    const deleted = await client().send(new DeleteVpcLinkCommand({ vpcLinkId: link.id }));
    expect(deleted.$metadata.httpStatusCode).toBe(202);
  });
});
