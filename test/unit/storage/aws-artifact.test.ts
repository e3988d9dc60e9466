/**
 * An AWS API Gateway snapshot is an artifact like Kong's: the gateway type travels in the snapshot's meta,
 * the API key values are encrypted with everything else (never in the file's bytes), and it opens to the
 * snapshot it was written from.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { awsKeys, buildSnapshot } from '../../../src/core/index.ts';
import { DirectoryCopyTarget, openArtifact, writeArtifact } from '../../../src/storage/index.ts';
import { ringA, withTempDir } from './helpers.ts';

const KEY_VALUE = 'aws-api-key-value-known-0123456789';

describe('an AWS API Gateway artifact', () => {
  it('round-trips with its gateway type and keeps API key values encrypted', async () => {
    const api = awsKeys.api('petstore');
    const snapshot = buildSnapshot(
      {
        format: 1,
        gateway: 'aws-apigateway',
        kongVersion: 'apigateway 2015-07-09',
        edition: 'managed',
        database: 'unknown',
        workspace: null,
        takenAt: '2026-12-06T09:00:00.000Z',
      },
      {
        restapis: { [api]: { id: api, awsId: 'a1b2c3d4e5', name: 'petstore' } },
        resources: {
          [awsKeys.resource(api, '/')]: {
            id: awsKeys.resource(api, '/'),
            awsId: 'r0r0r0r0r0',
            restApi: api,
            path: '/',
          },
        },
        api_keys: { partner: { id: 'partner', awsId: 'k1k1k1k1k1', name: 'partner', value: KEY_VALUE } },
      },
    );
    await withTempDir(async (dir) => {
      const written = await writeArtifact({
        backupId: '3F2A9C1D-7B44-4E0A-9C1D-0000000000A1',
        connection: 'payments-api-eu',
        environment: 'prod',
        type: 'manual',
        createdAt: '2026-12-06T09:00:00.000Z',
        snapshot,
        keyRing: ringA(),
        primary: new DirectoryCopyTarget(dir),
      });
      // named for its gateway type, read from the snapshot's meta when the writer is not told it
      expect(written.name).toBe('aws-apigateway-payments-api-eu-20261206-0900-manual-3f2a9c1d.sgb');
      expect((await readFile(written.path)).includes(Buffer.from(KEY_VALUE))).toBe(false);
      const opened = await openArtifact(written.path, ringA());
      expect(opened.snapshot).toEqual(snapshot);
      expect(opened.header.counts).toEqual({ restapis: 1, resources: 1, api_keys: 1 });
    });
  });
});
