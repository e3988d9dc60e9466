/**
 * The OpenAPI builder (src/aws/openapi.ts) against the simulator's PutRestApi: a snapshot's API built into a
 * definition and imported with `mode=overwrite` into a fresh API (another account), dumped again, equals the
 * snapshot except for the ids AWS assigned and the members NOT_CARRIED names (those the apply writes
 * entity-level after an import).
 */
import { CreateRestApiCommand, PutRestApiCommand } from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi, IMPORTED_KINDS, NOT_CARRIED } from '../../../src/aws/openapi.ts';
import { openGateway } from '../../../src/compose/gateways.ts';
import { type AwsKind, diff, type Entity, type Snapshot } from '../../../src/core/index.ts';
import {
  type AwsApiGatewaySim,
  generateAccount,
  seedPetstore,
  startAwsApiGatewaySim,
} from '../../../tools/aws-apigateway-sim/index.ts';
import { clientFor } from '../../aws-apigateway-sim/helpers.ts';
import { awsConnection } from './support.ts';

/**
 * An API using what the petstore does not: a Cognito authorizer with scopes, an AWS_IAM method, ANY, a
 * method response header, integration responses by pattern, a policy, a minimum compression size, API keys
 * from an authorizer.
 */
function seedShop(sim: AwsApiGatewaySim): void {
  const call = (verb: string, path: string, body: Record<string, unknown> = {}) => {
    const reply = sim.state.call(verb, path, body);
    expect(reply.status, `${verb} ${path}`).toBeLessThan(300);
    return reply.body as Record<string, unknown>;
  };
  const api = call('POST', '/restapis', {
    name: 'shop',
    description: 'orders',
    version: '3',
    minimumCompressionSize: 1024,
    apiKeySource: 'AUTHORIZER',
    policy: '{"Version":"2012-10-17","Statement":[]}',
  });
  const id = api.id as string;
  call('POST', `/restapis/${id}/models`, {
    name: 'Order',
    contentType: 'application/json',
    schema: '{"type":"object"}',
  });
  const users = call('POST', `/restapis/${id}/authorizers`, {
    name: 'users',
    type: 'COGNITO_USER_POOLS',
    providerARNs: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_x'],
    identitySource: 'method.request.header.Authorization',
  });
  const all = call('POST', `/restapis/${id}/requestvalidators`, {
    name: 'all',
    validateRequestBody: true,
    validateRequestParameters: true,
  });
  const orders = call('POST', `/restapis/${id}/resources/${api.rootResourceId}`, { pathPart: 'orders' });
  const order = call('POST', `/restapis/${id}/resources/${orders.id}`, { pathPart: '{id}' });
  const post = `/restapis/${id}/resources/${orders.id}/methods/POST`;
  call('PUT', post, {
    authorizationType: 'COGNITO_USER_POOLS',
    authorizerId: users.id,
    authorizationScopes: ['orders/write'],
    apiKeyRequired: true,
    requestValidatorId: all.id,
    operationName: 'createOrder',
    requestModels: { 'application/json': 'Order' },
    requestParameters: { 'method.request.header.X-Trace': false },
  });
  call('PUT', `${post}/responses/201`, {
    responseModels: { 'application/json': 'Order' },
    responseParameters: { 'method.response.header.Location': false },
  });
  call('PUT', `${post}/responses/400`, {});
  call('PUT', `${post}/integration`, {
    type: 'HTTP',
    httpMethod: 'POST',
    uri: 'http://orders.internal/orders',
    passthroughBehavior: 'WHEN_NO_TEMPLATES',
    timeoutInMillis: 5000,
    requestTemplates: { 'application/json': '{"body": $input.json(\'$\')}' },
  });
  call('PUT', `${post}/integration/responses/201`, {
    responseParameters: { 'method.response.header.Location': 'integration.response.header.Location' },
  });
  call('PUT', `${post}/integration/responses/400`, {
    selectionPattern: '4\\d{2}',
    responseTemplates: { 'application/json': '{"error": true}' },
  });
  const any = `/restapis/${id}/resources/${order.id}/methods/ANY`;
  call('PUT', any, { authorizationType: 'AWS_IAM', requestParameters: { 'method.request.path.id': true } });
  call('PUT', `${any}/integration`, {
    type: 'AWS_PROXY',
    httpMethod: 'POST',
    uri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations',
    contentHandling: 'CONVERT_TO_TEXT',
  });
  call('PUT', `/restapis/${id}/gatewayresponses/ACCESS_DENIED`, {
    statusCode: '403',
    responseTemplates: { 'application/json': '{"message":"no"}' },
  });
}

async function dumpOf(sim: AwsApiGatewaySim): Promise<Snapshot> {
  const gateway = openGateway(awsConnection(sim.url));
  try {
    return await gateway.dump();
  } finally {
    gateway.close();
  }
}

/** The API `name` of a snapshot and what an import writes of it. */
function apiPart(s: Snapshot, name: string): Snapshot {
  const entities: Snapshot['entities'] = {};
  for (const kind of ['restapis', ...IMPORTED_KINDS] as AwsKind[]) {
    const map: Record<string, Entity> = {};
    for (const [id, e] of Object.entries(s.entities[kind] ?? {}))
      if (id === name || id.startsWith(`${name}:`)) map[id] = e;
    entities[kind] = map;
  }
  return { meta: s.meta, entities };
}

function contentOf(s: Snapshot, name: string) {
  const part = apiPart(s, name);
  const api = part.entities.restapis?.[name] as Entity;
  const content = Object.fromEntries(
    IMPORTED_KINDS.map((k) => [k, Object.values(part.entities[k] ?? {})]),
  ) as Partial<Record<AwsKind, Entity[]>>;
  return { api, content };
}

describe('OpenAPI 2.0 definition of a snapshot, imported by PutRestApi overwrite', () => {
  let source: AwsApiGatewaySim;
  let target: AwsApiGatewaySim;

  beforeAll(async () => {
    source = await startAwsApiGatewaySim({ idSeed: 61 });
    target = await startAwsApiGatewaySim({ idSeed: 62 });
    seedPetstore(source.state);
    generateAccount(source.state, 1, 40);
    seedShop(source);
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  for (const name of ['petstore', 'generated-000', 'shop']) {
    it(`round trip of ${name}: equal but for ids and the members an import cannot carry`, async () => {
      const before = await dumpOf(source);
      const { api, content } = contentOf(before, name);
      const definition = buildOpenApi(api, content);
      expect(definition).toMatchObject({ swagger: '2.0', info: { title: name } });
      const client = clientFor(target);
      try {
        const made = await client.send(new CreateRestApiCommand({ name }));
        const answer = await client.send(
          new PutRestApiCommand({
            restApiId: made.id,
            mode: 'overwrite',
            failOnWarnings: true,
            body: new TextEncoder().encode(JSON.stringify(definition)),
          }),
        );
        expect(answer.warnings).toBeUndefined();
      } finally {
        client.destroy();
      }
      const after = await dumpOf(target);
      const changes = diff(apiPart(after, name), apiPart(before, name)).changes;
      // nothing missing, nothing extra: only updates, and only of members an import does not carry
      expect(changes.filter((c) => c.op !== 'update')).toEqual([]);
      for (const c of changes) {
        const carried = (c.fields ?? []).map((f) => f.path.split('.')[0]);
        for (const field of carried) expect(NOT_CARRIED[c.kind as AwsKind] ?? []).toContain(field);
      }
      // the ids are the target account's own
      const resources = Object.values(apiPart(after, name).entities.resources ?? {});
      expect(resources.length).toBe(Object.keys(content.resources ?? []).length);
      const sourceIds = new Set((content.resources ?? []).map((r) => r.awsId));
      expect(resources.filter((r) => sourceIds.has(r.awsId))).toEqual([]);
    });
  }
});
