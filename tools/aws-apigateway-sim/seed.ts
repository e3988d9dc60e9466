/**
 * Accounts to start from, built through the simulator's own operations (so every rule applies): the
 * petstore (an authorizer, two request validators, two models, /pets and /pets/{petId} with methods,
 * responses and integrations, custom gateway responses, four documentation parts and version `v1` (served
 * by `prod`), stages `prod` and `staging`, a usage plan with two
 * keys, a custom domain with two base path mappings), and a generated account of N APIs × M resources.
 */
import type { AwsApiGatewaySimState } from './server.ts';

type Call = AwsApiGatewaySimState['call'];

export interface PetstoreIds {
  api: string;
  root: string;
  pets: string;
  pet: string;
  authorizer: string;
  deployment: string;
  plan: string;
  keys: string[];
}

function made(
  call: Call,
  method: string,
  path: string,
  body: Record<string, unknown> = {},
): Record<string, unknown> {
  return call(method, path, body).body as Record<string, unknown>;
}

function proxyMethod(
  call: Call,
  api: string,
  resource: string,
  verb: string,
  extra: Record<string, unknown>,
  uri: string,
) {
  const m = `/restapis/${api}/resources/${resource}/methods/${verb}`;
  made(call, 'PUT', m, { authorizationType: 'NONE', ...extra });
  made(call, 'PUT', `${m}/responses/200`, { responseModels: { 'application/json': 'Empty' } });
  made(call, 'PUT', `${m}/integration`, { type: 'HTTP', httpMethod: verb, uri, requestTemplates: {} });
  made(call, 'PUT', `${m}/integration/responses/200`, { selectionPattern: '' });
}

export function seedPetstore(state: AwsApiGatewaySimState, name = 'petstore'): PetstoreIds {
  const call = state.call;
  const api = made(call, 'POST', '/restapis', {
    name,
    description:
      'Your first API with Amazon API Gateway. This is a sample API that integrates via HTTP with our demo Pet Store endpoints',
    endpointConfiguration: { types: ['REGIONAL'] },
    binaryMediaTypes: ['image/png'],
    tags: { team: 'payments' },
  });
  const id = api.id as string;
  const root = api.rootResourceId as string;
  made(call, 'POST', `/restapis/${id}/models`, {
    name: 'Empty',
    contentType: 'application/json',
    schema: '{"$schema":"http://json-schema.org/draft-04/schema#","title":"Empty Schema","type":"object"}',
  });
  made(call, 'POST', `/restapis/${id}/models`, {
    name: 'Pet',
    contentType: 'application/json',
    schema:
      '{"type":"object","properties":{"id":{"type":"integer"},"type":{"type":"string"},"price":{"type":"number"}}}',
  });
  const body = made(call, 'POST', `/restapis/${id}/requestvalidators`, {
    name: 'body-only',
    validateRequestBody: true,
  });
  made(call, 'POST', `/restapis/${id}/requestvalidators`, {
    name: 'params-only',
    validateRequestParameters: true,
  });
  const authorizer = made(call, 'POST', `/restapis/${id}/authorizers`, {
    name: 'token-auth',
    type: 'TOKEN',
    authorizerUri:
      'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:auth/invocations',
    identitySource: 'method.request.header.Authorization',
  });
  const pets = made(call, 'POST', `/restapis/${id}/resources/${root}`, { pathPart: 'pets' });
  const pet = made(call, 'POST', `/restapis/${id}/resources/${pets.id}`, { pathPart: '{petId}' });
  proxyMethod(call, id, root, 'GET', {}, 'http://petstore-demo-endpoint.execute-api.com/');
  proxyMethod(
    call,
    id,
    pets.id as string,
    'GET',
    {
      requestParameters: {
        'method.request.querystring.page': false,
        'method.request.querystring.type': false,
      },
    },
    'http://petstore-demo-endpoint.execute-api.com/petstore/pets',
  );
  proxyMethod(
    call,
    id,
    pets.id as string,
    'POST',
    {
      authorizationType: 'CUSTOM',
      authorizerId: authorizer.id,
      apiKeyRequired: true,
      requestValidatorId: body.id,
      requestModels: { 'application/json': 'Pet' },
    },
    'http://petstore-demo-endpoint.execute-api.com/petstore/pets',
  );
  proxyMethod(
    call,
    id,
    pet.id as string,
    'GET',
    { requestParameters: { 'method.request.path.petId': true } },
    'http://petstore-demo-endpoint.execute-api.com/petstore/pets/{petId}',
  );
  made(call, 'PUT', `/restapis/${id}/gatewayresponses/DEFAULT_4XX`, {
    responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
  });
  made(call, 'PUT', `/restapis/${id}/gatewayresponses/UNAUTHORIZED`, { statusCode: '401' });
  const deployment = made(call, 'POST', `/restapis/${id}/deployments`, {
    stageName: 'prod',
    description: 'first',
  });
  made(call, 'POST', `/restapis/${id}/stages`, {
    stageName: 'staging',
    deploymentId: deployment.id,
    variables: { backend: 'staging.petstore.internal' },
  });
  made(call, 'PATCH', `/restapis/${id}/stages/prod`, {
    patchOperations: [
      { op: 'replace', path: '/*/*/metrics/enabled', value: 'true' },
      { op: 'replace', path: '/~1pets/GET/throttling/rateLimit', value: '100' },
      { op: 'replace', path: '/tracingEnabled', value: 'true' },
    ],
  });
  // documentation: the API, a method, a model; version v1 of it, which prod serves
  for (const [location, properties] of [
    [{ type: 'API' }, { info: { description: 'The pet store' } }],
    [{ type: 'METHOD', path: '/pets', method: 'GET' }, { summary: 'List the pets' }],
    [{ type: 'RESPONSE', path: '/pets', method: 'GET', statusCode: '200' }, { description: 'The pets' }],
    [{ type: 'MODEL', name: 'Pet' }, { title: 'A pet' }],
  ] as const) {
    made(call, 'POST', `/restapis/${id}/documentation/parts`, {
      location,
      properties: JSON.stringify(properties),
    });
  }
  made(call, 'POST', `/restapis/${id}/documentation/versions`, {
    documentationVersion: 'v1',
    description: 'first published docs',
    stageName: 'prod',
  });
  const plan = made(call, 'POST', '/usageplans', {
    name: `${name}-basic`,
    apiStages: [{ apiId: id, stage: 'prod' }],
    throttle: { burstLimit: 20, rateLimit: 10 },
    quota: { limit: 5000, period: 'MONTH', offset: 0 },
  });
  const keys = ['partner-a', 'partner-b'].map((k) => {
    const key = made(call, 'POST', '/apikeys', { name: `${name}-${k}`, enabled: true });
    made(call, 'POST', `/usageplans/${plan.id}/keys`, { keyId: key.id, keyType: 'API_KEY' });
    return key.id as string;
  });
  made(call, 'POST', '/domainnames', {
    domainName: `${name}.example.com`,
    regionalCertificateArn:
      'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
    endpointConfiguration: { types: ['REGIONAL'] },
  });
  made(call, 'POST', `/domainnames/${name}.example.com/basepathmappings`, { restApiId: id, stage: 'prod' });
  made(call, 'POST', `/domainnames/${name}.example.com/basepathmappings`, {
    basePath: 'v2',
    restApiId: id,
    stage: 'staging',
  });
  return {
    api: id,
    root,
    pets: pets.id as string,
    pet: pet.id as string,
    authorizer: authorizer.id as string,
    deployment: deployment.id as string,
    plan: plan.id as string,
    keys,
  };
}

/** `apis` REST APIs of `resources` resources each (a tree three deep), one GET method with a MOCK integration per resource. */
export function generateAccount(state: AwsApiGatewaySimState, apis: number, resources: number): void {
  const call = state.call;
  for (let a = 0; a < apis; a++) {
    const api = made(call, 'POST', '/restapis', { name: `generated-${String(a).padStart(3, '0')}` });
    const id = api.id as string;
    const parents = [api.rootResourceId as string];
    for (let r = 1; r < resources; r++) {
      const parent = parents[Math.floor((r - 1) / 8)] ?? (api.rootResourceId as string);
      const created = made(call, 'POST', `/restapis/${id}/resources/${parent}`, { pathPart: `r${r}` });
      parents.push(created.id as string);
    }
    for (const resource of parents) {
      const m = `/restapis/${id}/resources/${resource}/methods/GET`;
      made(call, 'PUT', m, { authorizationType: 'NONE' });
      made(call, 'PUT', `${m}/integration`, {
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      });
    }
    made(call, 'POST', `/restapis/${id}/deployments`, { stageName: 'prod' });
  }
}
