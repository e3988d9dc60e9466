import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ArtifactKeyError,
  createArtifactStore,
  DirectoryCopyTarget,
  deleteArtifact,
  KeyRing,
  openArtifact,
  readArtifactHeader,
  rewrapArtifact,
  writeArtifact,
} from '../../../src/storage/index.ts';
import { KEY_B, ringA, ringAB, sampleSnapshot, sampleWriter, withTempDir } from './helpers.ts';

const base = {
  backupId: 'b0000001',
  connection: 'prod',
  environment: 'prod',
  type: 'scheduled' as const,
  createdAt: '2026-11-21T03:00:00.000Z',
};
const write = sampleWriter(base);

/** Everything after the key block: ciphertext and tag. */
function body(bytes: Buffer): Buffer {
  const keyStart = 14 + bytes.readUInt32BE(10);
  return bytes.subarray(keyStart + 4 + bytes.readUInt32BE(keyStart));
}
function boundBytes(bytes: Buffer): Buffer {
  return bytes.subarray(0, 14 + bytes.readUInt32BE(10));
}

describe('rewrapArtifact', () => {
  it('re-wraps under the current key without changing the header bytes, ciphertext or tag', async () => {
    await withTempDir(async (dir) => {
      const written = await write(dir);
      const before = await readFile(written.path);

      const result = await rewrapArtifact(written.path, ringAB());
      const after = await readFile(written.path);
      expect(result).toMatchObject({
        previousKeyId: 'key-a',
        keyId: 'key-b',
        changed: true,
        bytes: after.length,
      });
      expect(result.sha256).not.toBe(written.sha256);
      expect(body(after).equals(body(before))).toBe(true);
      expect(boundBytes(after).equals(boundBytes(before))).toBe(true);
      expect((await readArtifactHeader(written.path)).keyId).toBe('key-b');

      // Opens with key B alone; key A is no longer needed.
      const onlyB = KeyRing.of([{ id: 'key-b', key: KEY_B, current: true }]);
      expect((await openArtifact(written.path, onlyB)).snapshot).toEqual(sampleSnapshot());
    });
  });

  it('leaves an artifact already under the current key untouched', async () => {
    await withTempDir(async (dir) => {
      const written = await write(dir, { keyRing: ringAB() });
      const before = await readFile(written.path);
      const result = await rewrapArtifact(written.path, ringAB());
      expect(result).toMatchObject({ changed: false, keyId: 'key-b', sha256: written.sha256 });
      expect((await readFile(written.path)).equals(before)).toBe(true);
    });
  });

  it('fails with a key error naming the old key when it is not in the ring, and changes nothing', async () => {
    await withTempDir(async (dir) => {
      const written = await write(dir);
      const before = await readFile(written.path);
      const onlyB = KeyRing.of([{ id: 'key-b', key: KEY_B, current: true }]);
      const err = await rewrapArtifact(written.path, onlyB).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ArtifactKeyError);
      expect((err as ArtifactKeyError).keyId).toBe('key-a');
      expect((await readFile(written.path)).equals(before)).toBe(true);
    });
  });

  it('an envelope moved from another artifact does not unwrap', async () => {
    await withTempDir(async (dir) => {
      const one = await write(dir);
      const two = await writeArtifact({
        ...base,
        backupId: 'b0000002',
        snapshot: sampleSnapshot(),
        keyRing: ringA(),
        primary: new DirectoryCopyTarget(dir),
      });
      const a = await readFile(one.path);
      const b = await readFile(two.path);
      const keyBlock = (x: Buffer) => {
        const start = 14 + x.readUInt32BE(10);
        return x.subarray(start, start + 4 + x.readUInt32BE(start));
      };
      await writeFile(two.path, Buffer.concat([boundBytes(b), keyBlock(a), body(b)]));
      await expect(openArtifact(two.path, ringA())).rejects.toThrow(
        /wrapped data key .* was changed or damaged/,
      );
    });
  });
});

describe("checkCopy over every recorded copy (the verify use case's path)", () => {
  it('passes every location of a good artifact and names the copy with a flipped byte', async () => {
    await withTempDir(async (dir) => {
      const targets = [
        new DirectoryCopyTarget(join(dir, 'disk-2')),
        new DirectoryCopyTarget(join(dir, 'offsite')),
      ];
      const primaryDir = join(dir, 'primary');
      const written = await write(primaryDir, { copyTargets: targets });
      const store = createArtifactStore({
        primary: new DirectoryCopyTarget(primaryDir),
        copyTargets: targets,
        keyRing: ringA,
      });
      const recorded = [
        { target: 'primary', location: written.path, sha256: written.sha256 },
        ...written.copies.map((c) => ({ target: c.target, location: c.path, sha256: c.sha256 })),
      ];
      const check = async () => Promise.all(recorded.map((c) => store.checkCopy(c)));

      expect((await check()).map((r) => r.ok)).toEqual([true, true, true]);

      const offsite = written.copies[1]!.path;
      const bytes = await readFile(offsite);
      bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
      await writeFile(offsite, bytes);

      const bad = await check();
      expect(bad.map((r) => r.ok)).toEqual([true, true, false]);
      expect(bad[2]!.problems[0]).toMatch(/^sha256 mismatch: expected [0-9a-f]{64}, found [0-9a-f]{64}$/);
    });
  });

  it('names a missing copy', async () => {
    await withTempDir(async (dir) => {
      const target = new DirectoryCopyTarget(join(dir, 'copy'));
      const primaryDir = join(dir, 'primary');
      const written = await write(primaryDir, { copyTargets: [target] });
      await target.delete(written.name);
      const store = createArtifactStore({
        primary: new DirectoryCopyTarget(primaryDir),
        copyTargets: [target],
        keyRing: ringA,
      });
      const copy = written.copies[0]!;
      const result = await store.checkCopy({ target: copy.target, location: copy.path, sha256: copy.sha256 });
      expect(result.ok).toBe(false);
      expect(result.problems.join('; ')).toMatch(/ENOENT|missing/);
    });
  });
});

describe('deleteArtifact', () => {
  it('removes the primary file and every copy, and is idempotent', async () => {
    await withTempDir(async (dir) => {
      const target = new DirectoryCopyTarget(join(dir, 'copy'));
      const primaryDir = join(dir, 'primary');
      const written = await write(primaryDir, { copyTargets: [target] });
      expect(
        await deleteArtifact({
          name: written.name,
          primary: new DirectoryCopyTarget(primaryDir),
          copyTargets: [target],
        }),
      ).toEqual({
        deleted: ['primary', target.id],
      });
      expect(await target.exists(written.name)).toBe(false);
      expect(
        await deleteArtifact({
          name: written.name,
          primary: new DirectoryCopyTarget(primaryDir),
          copyTargets: [target],
        }),
      ).toEqual({
        deleted: [],
      });
    });
  });
});
