/**
 * Artifacts written by earlier snapgate versions stay readable. The files in test/fixtures/artifacts were
 * written by format version 1 (brotli and gzip bodies, before block compression) from the sample snapshot
 * under key A; they are read, verified, inspected and re-keyed exactly as new artifacts are.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  openArtifact,
  readArtifactHeader,
  rewrapArtifact,
  verifyArtifactFile,
} from '../../../src/storage/index.ts';
import { ringA, ringAB, sampleSnapshot, withTempDir } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/artifacts');
const V1 = [
  {
    compression: 'brotli',
    name: 'kong-prod-eu-20261120-0900-manual-f9e8d7c6.sgb',
    sha256: '64704c9996a83bb19d5449a9056217600ff661e7dda25204a6b7abe4b598a596',
  },
  {
    compression: 'gzip',
    name: 'kong-prod-eu-20261120-0900-manual-a1b2c3d4.sgb',
    sha256: '44b4d32b112b159f4f4300bc1d8a697b96bbd52d35e5573326e5c4140f3a1087',
  },
] as const;

describe.each(V1)('format version 1 artifact ($compression body)', ({ compression, name, sha256 }) => {
  const path = join(FIXTURES, name);

  it('has the header it was written with (no key needed)', async () => {
    const header = await readArtifactHeader(path);
    expect(header).toMatchObject({ formatVersion: 1, compression, keyId: 'key-a', connection: 'prod-eu' });
  });

  it('opens to the snapshot it was written from, and verifies', async () => {
    const { snapshot } = await openArtifact(path, ringA());
    expect(snapshot).toEqual(JSON.parse(JSON.stringify(sampleSnapshot())));
    expect(await verifyArtifactFile(path, ringA(), sha256)).toMatchObject({ ok: true, problems: [] });
  });

  it('is re-keyed in place without changing its format version or data', async () => {
    await withTempDir(async (dir) => {
      const copy = join(dir, name);
      await copyFile(path, copy);
      const before = await readFile(copy);
      const result = await rewrapArtifact(copy, ringAB());
      expect(result).toMatchObject({ changed: true, previousKeyId: 'key-a', keyId: 'key-b' });
      const header = await readArtifactHeader(copy);
      expect(header).toMatchObject({ formatVersion: 1, compression, keyId: 'key-b' });
      const after = await readFile(copy);
      // the ciphertext and tag are the same bytes
      expect(after.subarray(after.length - 64).equals(before.subarray(before.length - 64))).toBe(true);
      const { snapshot } = await openArtifact(copy, ringAB());
      expect(snapshot).toEqual(JSON.parse(JSON.stringify(sampleSnapshot())));
    });
  });
});
