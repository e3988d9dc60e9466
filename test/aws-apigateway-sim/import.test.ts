/**
 * PutRestApi as the API reference (PutRestApi: `mode` merge|overwrite, default merge; `failonwarnings`,
 * default false) and the developer guide describe it: "Import an OpenAPI file to update an existing API
 * definition" (merge keeps both, the merging definition's methods win; overwrite deletes what the
 * definition does not name; neither changes the endpoint configuration, stages or stage variables) and
 * "Errors and warnings from importing your API into API Gateway" (an error is a BadRequestException and
 * nothing changes; a warning rolls the update back when failonwarnings=true, else it is returned in the
 * RestApi's `warnings`).
 */
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  CreateDocumentationPartCommand,
  CreateModelCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetAuthorizersCommand,
  GetDocumentationPartsCommand,
  GetGatewayResponseCommand,
  GetMethodCommand,
  GetModelsCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetStagesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  PutRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { awsError, useSim } from './helpers.ts';

const mock = { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } };

function definition(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    swagger: '2.0',
    info: { title: 'imported', version: '2' },
    paths: {
      '/a': {
        get: {
          responses: {
            '200': { description: 'ok', schema: { $ref: '#/definitions/Thing' } },
            '400': { description: 'bad' },
          },
          security: [{ 'token-auth': [] }],
          'x-amazon-apigateway-request-validator': 'body-only',
          'x-amazon-apigateway-integration': {
            ...mock,
            responses: { default: { statusCode: '200' }, '4\\d{2}': { statusCode: '400' } },
          },
        },
      },
      '/b/{id}': {
        post: {
          parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
          responses: {},
          'x-amazon-apigateway-integration': mock,
        },
      },
    },
    definitions: { Thing: { type: 'object' } },
    securityDefinitions: {
      'token-auth': {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authorizer': {
          type: 'token',
          authorizerUri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/f/invocations',
          identitySource: 'method.request.header.Authorization',
        },
      },
    },
    'x-amazon-apigateway-request-validators': { 'body-only': { validateRequestBody: true } },
    'x-amazon-apigateway-gateway-responses': { UNAUTHORIZED: { statusCode: '401' } },
    'x-amazon-apigateway-binary-media-types': ['image/png'],
    ...over,
  };
}

const put = (
  client: APIGatewayClient,
  restApiId: string,
  doc: unknown,
  mode?: 'merge' | 'overwrite',
  failOnWarnings?: boolean,
) =>
  client.send(
    new PutRestApiCommand({
      restApiId,
      ...(mode ? { mode } : {}),
      ...(failOnWarnings !== undefined ? { failOnWarnings } : {}),
      body: new TextEncoder().encode(JSON.stringify(doc)),
    }),
  );

/** An API with GET and POST on /a (responses 200 and 206), a model Old and a stage `prod`. */
async function existing(client: APIGatewayClient) {
  const api = await client.send(
    new CreateRestApiCommand({ name: 'existing', endpointConfiguration: { types: ['REGIONAL'] } }),
  );
  const restApiId = api.id as string;
  const { items = [] } = await client.send(new GetResourcesCommand({ restApiId }));
  const root = items[0]?.id as string;
  const made = await client.send(
    new CreateResourceCommand({
      restApiId,
      parentId: root,
      pathPart: 'a',
    }),
  );
  for (const httpMethod of ['GET', 'POST']) {
    const where = { restApiId, resourceId: made.id as string, httpMethod };
    await client.send(new PutMethodCommand({ ...where, authorizationType: 'NONE' }));
    for (const statusCode of ['200', '206'])
      await client.send(new PutMethodResponseCommand({ ...where, statusCode }));
    await client.send(new PutIntegrationCommand({ ...where, type: 'MOCK' }));
  }
  await client.send(
    new CreateModelCommand({
      restApiId,
      name: 'Old',
      contentType: 'application/json',
      schema: '{}',
    }),
  );
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
  return { restApiId, root, a: made.id as string };
}

async function paths(client: APIGatewayClient, restApiId: string) {
  const { items = [] } = await client.send(new GetResourcesCommand({ restApiId, embed: ['methods'] }));
  return Object.fromEntries(
    items.map((r) => [
      r.path,
      Object.fromEntries(
        Object.entries(r.resourceMethods ?? {}).map(([verb, m]) => [
          verb,
          Object.keys(m.methodResponses ?? {}).sort(),
        ]),
      ),
    ]),
  );
}

describe('aws-apigateway-sim: PutRestApi (import to update an existing API)', () => {
  const { client } = useSim();

  it('overwrite: the API takes the definition; what it does not name is deleted; the root keeps its id; stages, deployments and the endpoint configuration stay', async () => {
    const c = client();
    const { restApiId, root } = await existing(c);
    const stagesBefore = (await c.send(new GetStagesCommand({ restApiId }))).item;
    const answer = await put(c, restApiId, definition(), 'overwrite', true);
    expect(answer).toMatchObject({
      id: restApiId,
      name: 'imported',
      version: '2',
      binaryMediaTypes: ['image/png'],
    });
    expect(answer.endpointConfiguration).toEqual({ types: ['REGIONAL'] });
    expect(await paths(c, restApiId)).toEqual({
      '/': {},
      '/a': { GET: ['200', '400'] },
      '/b': {},
      '/b/{id}': { POST: [] },
    });
    const { items = [] } = await c.send(new GetResourcesCommand({ restApiId }));
    expect(items.find((r) => r.path === '/')?.id).toBe(root);
    expect(
      (await c.send(new GetModelsCommand({ restApiId }))).items?.map((m) => [m.name, m.contentType]),
    ).toEqual([['Thing', 'application/json']]);
    const [authorizer] = (await c.send(new GetAuthorizersCommand({ restApiId }))).items ?? [];
    const [validator] = (await c.send(new GetRequestValidatorsCommand({ restApiId }))).items ?? [];
    expect(authorizer).toMatchObject({ name: 'token-auth', type: 'TOKEN' });
    expect(validator).toMatchObject({
      name: 'body-only',
      validateRequestBody: true,
      validateRequestParameters: false,
    });
    const a = items.find((r) => r.path === '/a')?.id as string;
    const get = await c.send(new GetMethodCommand({ restApiId, resourceId: a, httpMethod: 'GET' }));
    expect(get).toMatchObject({
      authorizationType: 'CUSTOM',
      authorizerId: authorizer?.id,
      requestValidatorId: validator?.id,
      methodResponses: { '200': { responseModels: { 'application/json': 'Thing' } } },
      methodIntegration: {
        type: 'MOCK',
        integrationResponses: { '200': { statusCode: '200' }, '400': { selectionPattern: '4\\d{2}' } },
      },
    });
    expect(get.methodIntegration?.integrationResponses?.['200']?.selectionPattern).toBeUndefined();
    const b = items.find((r) => r.path === '/b/{id}')?.id as string;
    const post = await c.send(new GetMethodCommand({ restApiId, resourceId: b, httpMethod: 'POST' }));
    expect(post.requestParameters).toEqual({ 'method.request.path.id': true });
    expect(
      await c.send(new GetGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED' })),
    ).toMatchObject({ statusCode: '401', defaultResponse: false });
    expect((await c.send(new GetStagesCommand({ restApiId }))).item).toEqual(stagesBefore);
    expect(stagesBefore).toHaveLength(1);
  });

  it('merge (the default mode): both definitions are kept and the merging one wins where both define a method (GET /a: 200 and 400; POST /a: 200 and 206)', async () => {
    const c = client();
    const { restApiId } = await existing(c);
    const merging = {
      swagger: '2.0',
      info: { title: 'existing' },
      paths: {
        '/a': {
          get: {
            responses: { '200': { description: 'ok' }, '400': { description: 'bad' } },
            'x-amazon-apigateway-integration': mock,
          },
        },
      },
    };
    await put(c, restApiId, merging);
    expect(await paths(c, restApiId)).toEqual({
      '/': {},
      '/a': { GET: ['200', '400'], POST: ['200', '206'] },
    });
    expect((await c.send(new GetModelsCommand({ restApiId }))).items?.map((m) => m.name)).toEqual(['Old']);
  });

  it('an invalid definition is a BadRequestException and the API is left as it was', async () => {
    const c = client();
    const { restApiId } = await existing(c);
    const before = await paths(c, restApiId);
    for (const doc of [
      { info: { title: 'x' }, paths: {} },
      definition({ paths: { a: {} } }),
      definition({ paths: { '/a': { get: { 'x-amazon-apigateway-integration': 'mock' } } } }),
    ]) {
      const err = await awsError(put(c, restApiId, doc, 'overwrite', true));
      expect(err).toMatchObject({ name: 'BadRequestException', status: 400 });
      expect(err.message).toMatch(/^Errors found during import:\n\t/);
    }
    // a rule of the operations an import runs (a CUSTOM method's authorizer must exist) fails it whole
    const noAuthorizer = definition({ securityDefinitions: {} });
    const err = await awsError(
      put(
        c,
        restApiId,
        {
          ...noAuthorizer,
          paths: { '/z': { get: { security: [{ nope: [] }], responses: {} } }, '/a/{bad id}': {} },
        },
        'overwrite',
      ),
    );
    expect(err).toMatchObject({
      name: 'BadRequestException',
      message: expect.stringMatching(/^Errors found during import:/),
    });
    expect(await paths(c, restApiId)).toEqual(before);
    expect((await c.send(new GetRestApiCommand({ restApiId }))).name).toBe('existing');
  });

  it('a warning (a model reference naming no model) rolls back with failonwarnings=true, and is returned in `warnings` without', async () => {
    const c = client();
    const { restApiId } = await existing(c);
    const before = await paths(c, restApiId);
    const doc = definition({ definitions: {} });
    const err = await awsError(put(c, restApiId, doc, 'overwrite', true));
    expect(err).toMatchObject({ name: 'BadRequestException', status: 400 });
    expect(err.message).toMatch(/^Warnings found during import:\n\tUnable to create model reference/);
    expect(await paths(c, restApiId)).toEqual(before);
    const answer = await put(c, restApiId, doc, 'overwrite');
    expect(answer.warnings).toEqual([
      expect.stringMatching(/^Unable to create model reference for the 200 response of GET \/a/),
    ]);
    expect(await paths(c, restApiId)).toEqual({
      '/': {},
      '/a': { GET: ['200', '400'] },
      '/b': {},
      '/b/{id}': { POST: [] },
    });
  });

  it('ignore=documentation (PutRestApi `parameters`: "to exclude DocumentationParts from an imported API"): the documentation parts there are stay', async () => {
    const c = client();
    const { restApiId } = await existing(c);
    await c.send(
      new CreateDocumentationPartCommand({
        restApiId,
        location: { type: 'API' },
        properties: '{"description":"kept"}',
      }),
    );
    await c.send(
      new PutRestApiCommand({
        restApiId,
        mode: 'overwrite',
        failOnWarnings: true,
        parameters: { ignore: 'documentation' },
        body: new TextEncoder().encode(JSON.stringify(definition())),
      }),
    );
    const parts = await c.send(new GetDocumentationPartsCommand({ restApiId }));
    expect(parts.items?.map((p) => p.properties)).toEqual(['{"description":"kept"}']);
  });

  it('a mode other than merge or overwrite is refused', async () => {
    const c = client();
    const { restApiId } = await existing(c);
    const err = await awsError(put(c, restApiId, definition(), 'replace' as never));
    expect(err).toMatchObject({ name: 'BadRequestException', status: 400 });
  });
});
