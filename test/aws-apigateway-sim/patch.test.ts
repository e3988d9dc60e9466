/**
 * `patchOperations` (API reference, PatchOperation): JSON-Pointer paths with `/` escaped as `~1`, string
 * values typed by the member they set, each entity's own paths only (anything else BadRequestException),
 * map members keyed by the escaped segment, and a stage's method settings under
 * `/{resource path}/{http method}/{setting}`.
 */
import {
  CreateRestApiCommand,
  GetStageCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { seedPetstore } from '../../tools/aws-apigateway-sim/index.ts';
import { awsError, useSim } from './helpers.ts';

describe('aws-apigateway-sim: patchOperations', () => {
  const { sim, client } = useSim();

  it('replace sets a member, add with a ~1-escaped path adds to a set, remove takes it out', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'patched' }));
    const updated = await client().send(
      new UpdateRestApiCommand({
        restApiId: api.id,
        patchOperations: [
          { op: 'replace', path: '/description', value: 'now described' },
          { op: 'replace', path: '/minimumCompressionSize', value: '1024' },
          { op: 'add', path: '/binaryMediaTypes/image~1png', value: '' },
          { op: 'add', path: '/binaryMediaTypes/application~1pdf', value: '' },
          { op: 'remove', path: '/binaryMediaTypes/image~1png' },
          { op: 'replace', path: '/disableExecuteApiEndpoint', value: 'true' },
        ],
      }),
    );
    expect(updated).toMatchObject({
      description: 'now described',
      minimumCompressionSize: 1024,
      binaryMediaTypes: ['application/pdf'],
      disableExecuteApiEndpoint: true,
    });
  });

  it('a path the entity does not have is BadRequestException naming the path and op; nothing changes', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'unpatched' }));
    const err = await awsError(
      client().send(
        new UpdateRestApiCommand({
          restApiId: api.id,
          patchOperations: [
            { op: 'replace', path: '/description', value: 'x' },
            { op: 'replace', path: '/rootResourceId', value: 'abc' },
          ],
        }),
      ),
    );
    expect(err.name).toBe('BadRequestException');
    expect(err.message).toMatch(/^Invalid patch path '\/rootResourceId' specified for op 'replace'/);
  });

  it('stage variables are a map; method settings are patched under /{resource path}/{http method}/…', async () => {
    const ids = seedPetstore(sim().state, 'patchstore');
    const stage = await client().send(
      new UpdateStageCommand({
        restApiId: ids.api,
        stageName: 'staging',
        patchOperations: [
          { op: 'replace', path: '/variables/backend', value: 'other.internal' },
          { op: 'replace', path: '/~1pets/POST/logging/loglevel', value: 'INFO' },
        ],
      }),
    );
    expect(stage.variables).toEqual({ backend: 'other.internal' });
    expect(stage.methodSettings?.['pets/POST']).toMatchObject({
      loggingLevel: 'INFO',
      metricsEnabled: false,
    });
    const prod = await client().send(new GetStageCommand({ restApiId: ids.api, stageName: 'prod' }));
    expect(prod.methodSettings?.['*/*']?.metricsEnabled).toBe(true);
    expect(prod.methodSettings?.['pets/GET']?.throttlingRateLimit).toBe(100);
    expect(prod.tracingEnabled).toBe(true);
  });

  it('a stage pointed at a deployment that does not exist is refused', async () => {
    const ids = seedPetstore(sim().state, 'redeploy');
    const err = await awsError(
      client().send(
        new UpdateStageCommand({
          restApiId: ids.api,
          stageName: 'prod',
          patchOperations: [{ op: 'replace', path: '/deploymentId', value: 'nosuchdep0' }],
        }),
      ),
    );
    expect(err).toMatchObject({
      name: 'NotFoundException',
      message: 'Invalid Deployment identifier specified',
    });
  });
});
