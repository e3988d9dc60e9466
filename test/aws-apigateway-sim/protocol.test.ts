/**
 * The wire protocol as @aws-sdk/client-api-gateway speaks it: SigV4-signed rest-json, ids of AWS's shape,
 * `position`/`limit` pagination, error shapes and status codes, Retry-After on throttling, and the common
 * authentication errors every AWS service answers with.
 */
import {
  CreateRestApiCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  paginateGetRestApis,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { AWS_ID } from '../../tools/aws-apigateway-sim/index.ts';
import { awsError, useSim } from './helpers.ts';

describe('aws-apigateway-sim: protocol', () => {
  const { sim, client } = useSim();

  it('an unsigned request is MissingAuthenticationTokenException 403 (AWS Common Errors)', async () => {
    const res = await fetch(`${sim().url}/restapis`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException:/);
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('a malformed Authorization header is IncompleteSignatureException 403; the signature itself is not checked', async () => {
    const bad = await fetch(`${sim().url}/restapis`, { headers: { authorization: 'Bearer abc' } });
    expect(bad.status).toBe(403);
    expect(bad.headers.get('x-amzn-errortype')).toMatch(/^IncompleteSignatureException:/);
    const day = '20261206';
    const wellFormed = await fetch(`${sim().url}/restapis`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=AKID/${day}/eu-west-1/apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': `${day}T101010Z`,
      },
    });
    expect(wellFormed.status).toBe(200);
  });

  it('CreateRestApi answers 201 with 10-character lowercase alphanumeric ids and a root resource', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'ids' }));
    expect(api.id).toMatch(AWS_ID);
    expect(api.rootResourceId).toMatch(AWS_ID);
    expect(api.apiKeySource).toBe('HEADER');
    expect(api.endpointConfiguration?.types).toEqual(['EDGE']);
    expect(api.createdDate).toBeInstanceOf(Date);
  });

  it('GetRestApis pages 25 by default (limit ≤ 500) and the SDK paginator follows position to the end', async () => {
    for (let i = 0; i < 30; i++) await client().send(new CreateRestApiCommand({ name: `paged-${i}` }));
    const first = await client().send(new GetRestApisCommand({}));
    expect(first.items).toHaveLength(25);
    expect(first.position).toBeTruthy();
    const names: string[] = [];
    for await (const p of paginateGetRestApis({ client: client(), pageSize: 7 }, {})) {
      for (const a of p.items ?? []) names.push(a.name as string);
    }
    expect(names.filter((n) => n.startsWith('paged-'))).toHaveLength(30);
    const tooMany = await awsError(client().send(new GetRestApisCommand({ limit: 501 })));
    expect(tooMany).toMatchObject({ name: 'BadRequestException', status: 400 });
  });

  it('an unknown API is NotFoundException 404 naming the account and id', async () => {
    const err = await awsError(client().send(new GetRestApiCommand({ restApiId: 'zzzzzzzzzz' })));
    expect(err).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid API identifier specified 123456789012:zzzzzzzzzz',
      retryAfterSeconds: undefined,
    });
  });

  it('throttling is TooManyRequestsException 429 with Retry-After (the model binds it to retryAfterSeconds)', async () => {
    sim().state.faults.failNext(1, 429);
    const err = await awsError(client().send(new GetRestApisCommand({})));
    expect(err).toMatchObject({ name: 'TooManyRequestsException', status: 429, retryAfterSeconds: '1' });
  });

  it('expired credentials and a missing IAM permission are 403s in IAM’s words', async () => {
    sim().state.faults.expiredCredentials = true;
    expect(await awsError(client().send(new GetRestApisCommand({})))).toMatchObject({
      name: 'ExpiredTokenException',
      status: 403,
      message: 'The security token included in the request is expired',
    });
    sim().state.faults.reset();
    sim().state.faults.deniedActions.add('apigateway:GET');
    const denied = await awsError(client().send(new GetRestApisCommand({})));
    sim().state.faults.reset();
    expect(denied).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(denied.message).toBe(
      'User: arn:aws:iam::123456789012:user/snapgate is not authorized to perform: apigateway:GET on resource: arn:aws:apigateway:eu-west-1::/restapis',
    );
  });
});
