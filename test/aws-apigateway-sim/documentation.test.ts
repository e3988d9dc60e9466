/**
 * Documentation parts and versions as the API reference describes them, through the SDK:
 * DocumentationPartLocation (type required and one of twelve; `path` valid for RESOURCE, METHOD and below;
 * `method` for METHOD and below; `statusCode` for RESPONSE, RESPONSE_HEADER, RESPONSE_BODY; `name` required
 * for AUTHORIZER, MODEL, PATH_PARAMETER, QUERY_PARAMETER, REQUEST_HEADER, REQUEST_BODY, RESPONSE_HEADER and
 * invalid elsewhere), CreateDocumentationPart (one part per location: 409), UpdateDocumentationPart
 * (`/properties` only), GetDocumentationParts (paged, `type` filter), CreateDocumentationVersion (a copy of the
 * parts there are; version strings unique per API: 409),
 * DeleteRestApi (takes the documentation with it).
 */
import {
  CreateDocumentationPartCommand,
  CreateDocumentationVersionCommand,
  CreateRestApiCommand,
  DeleteRestApiCommand,
  GetDocumentationPartsCommand,
  GetDocumentationVersionsCommand,
  UpdateDocumentationPartCommand,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { awsError, useSim } from './helpers.ts';

describe('aws-apigateway-sim: documentation parts and versions', () => {
  const { client, sim } = useSim();

  it('DocumentationPartLocation: members valid per type, name required where the reference says', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'docs-rules' }));
    const restApiId = api.id as string;
    const part = (location: Record<string, string>) =>
      client().send(
        new CreateDocumentationPartCommand({ restApiId, location: location as never, properties: '{}' }),
      );
    for (const [location, message] of [
      [{ type: 'WIDGET' }, /Invalid documentation part type: WIDGET/],
      [{ type: 'API', path: '/pets' }, /path is not valid for type API/],
      [{ type: 'RESOURCE', path: '/pets', method: 'GET' }, /method is not valid for type RESOURCE/],
      [{ type: 'METHOD', path: '/pets', method: 'GET', statusCode: '200' }, /statusCode is not valid/],
      [{ type: 'MODEL' }, /name is required for type MODEL/],
      [{ type: 'METHOD', path: '/pets', method: 'GET', name: 'x' }, /name is not valid for type METHOD/],
    ] as const) {
      expect(await awsError(part(location))).toMatchObject({ name: 'BadRequestException', message });
    }
    const made = await part({ type: 'RESPONSE', path: '/pets', method: 'GET', statusCode: '200' });
    expect(made.id).toMatch(/^[a-z0-9]{10}$/);
    expect(
      await awsError(part({ type: 'RESPONSE', path: '/pets', method: 'GET', statusCode: '200' })),
    ).toMatchObject({ name: 'ConflictException', status: 409 });
    expect(
      await awsError(
        client().send(
          new UpdateDocumentationPartCommand({
            restApiId,
            documentationPartId: made.id,
            patchOperations: [{ op: 'replace', path: '/location/path', value: '/other' }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'BadRequestException', message: /Must be one of: \[\/properties\]/ });
    await client().send(
      new UpdateDocumentationPartCommand({
        restApiId,
        documentationPartId: made.id,
        patchOperations: [{ op: 'replace', path: '/properties', value: '{"description":"ok"}' }],
      }),
    );
    await part({ type: 'API' });
    const responses = await client().send(
      new GetDocumentationPartsCommand({ restApiId, type: 'RESPONSE', limit: 1 }),
    );
    expect(responses.items?.map((p) => p.properties)).toEqual(['{"description":"ok"}']);
  });

  it('CreateDocumentationVersion copies the parts there are and is unique per API', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'docs-versions' }));
    const restApiId = api.id as string;
    await client().send(
      new CreateDocumentationPartCommand({ restApiId, location: { type: 'API' }, properties: '{"v":1}' }),
    );
    await client().send(
      new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1.0', description: 'first' }),
    );
    expect(
      await awsError(
        client().send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1.0' })),
      ),
    ).toMatchObject({ name: 'ConflictException', status: 409 });
    const versions = await client().send(new GetDocumentationVersionsCommand({ restApiId }));
    expect(versions.items?.map((v) => [v.version, v.description])).toEqual([['1.0', 'first']]);
    const stored = sim().state.store.restApis.get(restApiId)?.documentationVersions.get('1.0');
    expect(stored?.parts.map((p) => p.properties)).toEqual(['{"v":1}']);

    await client().send(new DeleteRestApiCommand({ restApiId }));
    expect(await awsError(client().send(new GetDocumentationPartsCommand({ restApiId })))).toMatchObject({
      name: 'NotFoundException',
    });
  });
});
