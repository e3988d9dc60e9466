/**
 * The service's rules that decide a restore's order and what the planner must expect, each from the API
 * reference of the operation named: CreateResource (parent must exist, path parts unique per parent and of
 * the allowed characters), DeleteResource (takes its subtree), PutMethod (needs its resource; a CUSTOM
 * method needs a valid authorizer), PutIntegration (needs the method), PutIntegrationResponse (needs the
 * method response), CreateDeployment (needs a method with an integration), CreateStage (needs a
 * deployment; names unique), DeleteDeployment (not while a stage points at it), DeleteRestApi (takes
 * everything the API owns), CreateUsagePlanKey (needs the key), CreateBasePathMapping (needs API and stage).
 */
import {
  type APIGatewayClient,
  CreateApiKeyCommand,
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteDeploymentCommand,
  DeleteResourceCommand,
  DeleteRestApiCommand,
  GetApiKeysCommand,
  GetResourcesCommand,
  GetStagesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { awsError, useSim } from './helpers.ts';

async function newApi(client: APIGatewayClient, name: string) {
  const api = await client.send(new CreateRestApiCommand({ name }));
  return { id: api.id as string, root: api.rootResourceId as string };
}

describe('aws-apigateway-sim: rules that order a restore', () => {
  const { client } = useSim();

  it('CreateResource: the parent must exist (404) and a path part is unique under its parent (409)', async () => {
    const { id, root } = await newApi(client(), 'tree');
    expect(
      await awsError(
        client().send(new CreateResourceCommand({ restApiId: id, parentId: 'nosuchres0', pathPart: 'x' })),
      ),
    ).toMatchObject({ name: 'NotFoundException', message: 'Invalid Resource identifier specified' });
    await client().send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'pets' }));
    expect(
      await awsError(
        client().send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'pets' })),
      ),
    ).toMatchObject({
      name: 'ConflictException',
      message: 'Another resource with the same parent already has this name: pets',
    });
    expect(
      await awsError(
        client().send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'a b' })),
      ),
    ).toMatchObject({ name: 'BadRequestException', status: 400 });
  });

  it('DeleteResource deletes the resources below it; GetResources(embed=methods) lists paths and methods', async () => {
    const { id, root } = await newApi(client(), 'subtree');
    const a = await client().send(
      new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'a' }),
    );
    const b = await client().send(
      new CreateResourceCommand({ restApiId: id, parentId: a.id, pathPart: '{b}' }),
    );
    await client().send(
      new PutMethodCommand({ restApiId: id, resourceId: b.id, httpMethod: 'GET', authorizationType: 'NONE' }),
    );
    const listed = await client().send(new GetResourcesCommand({ restApiId: id, embed: ['methods'] }));
    expect(listed.items?.map((r) => r.path).sort()).toEqual(['/', '/a', '/a/{b}']);
    expect(listed.items?.find((r) => r.path === '/a/{b}')?.resourceMethods?.GET?.authorizationType).toBe(
      'NONE',
    );
    await client().send(new DeleteResourceCommand({ restApiId: id, resourceId: a.id }));
    const after = await client().send(new GetResourcesCommand({ restApiId: id }));
    expect(after.items?.map((r) => r.path)).toEqual(['/']);
  });

  it('a method needs its resource, an integration its method, an integration response its method response', async () => {
    const { id, root } = await newApi(client(), 'method-parts');
    expect(
      await awsError(
        client().send(
          new PutMethodCommand({
            restApiId: id,
            resourceId: 'nosuchres0',
            httpMethod: 'GET',
            authorizationType: 'NONE',
          }),
        ),
      ),
    ).toMatchObject({ name: 'NotFoundException', message: 'Invalid Resource identifier specified' });
    expect(
      await awsError(
        client().send(
          new PutIntegrationCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', type: 'MOCK' }),
        ),
      ),
    ).toMatchObject({ name: 'NotFoundException', message: 'Invalid Method identifier specified' });
    await client().send(
      new PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }),
    );
    expect(
      await awsError(
        client().send(
          new PutMethodCommand({
            restApiId: id,
            resourceId: root,
            httpMethod: 'GET',
            authorizationType: 'NONE',
          }),
        ),
      ),
    ).toMatchObject({ name: 'ConflictException', message: 'Method already exists for this resource' });
    await client().send(
      new PutIntegrationCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', type: 'MOCK' }),
    );
    expect(
      await awsError(
        client().send(
          new PutIntegrationResponseCommand({
            restApiId: id,
            resourceId: root,
            httpMethod: 'GET',
            statusCode: '200',
          }),
        ),
      ),
    ).toMatchObject({ name: 'NotFoundException', message: 'Invalid Response status code specified' });
    await client().send(
      new PutMethodResponseCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', statusCode: '200' }),
    );
    const ir = await client().send(
      new PutIntegrationResponseCommand({
        restApiId: id,
        resourceId: root,
        httpMethod: 'GET',
        statusCode: '200',
      }),
    );
    expect(ir.statusCode).toBe('200');
  });

  it('a CUSTOM method needs a valid authorizer (400)', async () => {
    const { id, root } = await newApi(client(), 'custom-auth');
    expect(
      await awsError(
        client().send(
          new PutMethodCommand({
            restApiId: id,
            resourceId: root,
            httpMethod: 'GET',
            authorizationType: 'CUSTOM',
            authorizerId: 'nosuchauth',
          }),
        ),
      ),
    ).toMatchObject({
      name: 'BadRequestException',
      message: expect.stringMatching(/^Invalid authorizer ID specified/),
    });
  });

  it('a deployment needs methods with integrations; a stage needs a deployment; an in-use deployment stays', async () => {
    const { id, root } = await newApi(client(), 'stages');
    expect(await awsError(client().send(new CreateDeploymentCommand({ restApiId: id })))).toMatchObject({
      name: 'BadRequestException',
      message: "The REST API doesn't contain any methods",
    });
    await client().send(
      new PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }),
    );
    expect(await awsError(client().send(new CreateDeploymentCommand({ restApiId: id })))).toMatchObject({
      message: 'No integration defined for method',
    });
    await client().send(
      new PutIntegrationCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', type: 'MOCK' }),
    );
    expect(
      await awsError(
        client().send(
          new CreateStageCommand({ restApiId: id, stageName: 'prod', deploymentId: 'nosuchdep0' }),
        ),
      ),
    ).toMatchObject({ name: 'NotFoundException' });
    const d = await client().send(new CreateDeploymentCommand({ restApiId: id, stageName: 'prod' }));
    expect(
      (await client().send(new GetStagesCommand({ restApiId: id }))).item?.map((s) => [
        s.stageName,
        s.deploymentId,
      ]),
    ).toEqual([['prod', d.id]]);
    expect(
      await awsError(
        client().send(new CreateStageCommand({ restApiId: id, stageName: 'prod', deploymentId: d.id })),
      ),
    ).toMatchObject({ name: 'ConflictException', message: 'Stage already exists' });
    expect(
      await awsError(client().send(new DeleteDeploymentCommand({ restApiId: id, deploymentId: d.id }))),
    ).toMatchObject({
      name: 'BadRequestException',
      message: 'Active stages pointing to this deployment must be moved or deleted',
    });
  });

  it('DeleteRestApi takes everything the API owns', async () => {
    const { id, root } = await newApi(client(), 'doomed');
    await client().send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'x' }));
    await client().send(new DeleteRestApiCommand({ restApiId: id }));
    expect(await awsError(client().send(new GetResourcesCommand({ restApiId: id })))).toMatchObject({
      name: 'NotFoundException',
      status: 404,
    });
  });

  it('API keys: values of at least 20 characters, listed only with includeValues; a usage plan key needs its key', async () => {
    expect(
      await awsError(client().send(new CreateApiKeyCommand({ name: 'short', value: 'too-short' }))),
    ).toMatchObject({
      name: 'BadRequestException',
      message: 'API Key value should be at least 20 characters',
    });
    const key = await client().send(new CreateApiKeyCommand({ name: 'listed', enabled: true }));
    expect(key.value).toMatch(/^[A-Za-z0-9]{40}$/);
    const without = await client().send(new GetApiKeysCommand({ nameQuery: 'listed' }));
    expect(without.items?.[0]?.value).toBeUndefined();
    const withValues = await client().send(
      new GetApiKeysCommand({ nameQuery: 'listed', includeValues: true }),
    );
    expect(withValues.items?.[0]?.value).toBe(key.value);
    const plan = await client().send(new CreateUsagePlanCommand({ name: 'plan' }));
    expect(
      await awsError(
        client().send(
          new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: 'nosuchkey0', keyType: 'API_KEY' }),
        ),
      ),
    ).toMatchObject({ name: 'NotFoundException', message: 'Invalid API Key identifier specified' });
  });

  it('a base path mapping needs its API and stage; the empty base path reads back as (none)', async () => {
    const { id, root } = await newApi(client(), 'mapped');
    await client().send(
      new PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }),
    );
    await client().send(
      new PutIntegrationCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', type: 'MOCK' }),
    );
    await client().send(new CreateDeploymentCommand({ restApiId: id, stageName: 'prod' }));
    await client().send(
      new CreateDomainNameCommand({
        domainName: 'api.example.com',
        regionalCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
        endpointConfiguration: { types: ['REGIONAL'] },
      }),
    );
    expect(
      await awsError(
        client().send(
          new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: id, stage: 'nope' }),
        ),
      ),
    ).toMatchObject({ name: 'BadRequestException', message: 'Invalid stage identifier specified' });
    const m = await client().send(
      new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: id, stage: 'prod' }),
    );
    expect(m.basePath).toBe('(none)');
    expect(
      await awsError(
        client().send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: id })),
      ),
    ).toMatchObject({ name: 'ConflictException', message: 'Base path already exists for this domain name' });
  });
});
