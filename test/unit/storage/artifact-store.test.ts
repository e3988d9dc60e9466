/**
 * The artifact-store port as src/storage implements it: a dump serialized through `serializer()`, written
 * with `write`, checked with `checkCopy`, opened and deleted — the whole life of an artifact as the use
 * cases see it, with the key ring kept inside the store.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EntityKind } from '../../../src/core/index.ts';
import { createArtifactStore, DirectoryCopyTarget, KeyRing } from '../../../src/storage/index.ts';
import { ringA, sampleSnapshot, withTempDir } from './helpers.ts';

const ref = {
  backupId: 'b-0001',
  connection: 'prod',
  environment: 'production',
  type: 'manual' as const,
  createdAt: '2026-12-06T07:00:00.000Z',
};

function storeIn(dir: string, keyRing: () => KeyRing = ringA) {
  const primary = new DirectoryCopyTarget(join(dir, 'primary'));
  const offsite = new DirectoryCopyTarget(join(dir, 'offsite'));
  return createArtifactStore({ primary, copyTargets: [offsite], keyRing });
}

function serialize(store: ReturnType<typeof storeIn>) {
  const snapshot = sampleSnapshot();
  const serializer = store.serializer();
  const kinds = Object.keys(snapshot.entities) as EntityKind[];
  serializer.begin?.(kinds);
  for (const kind of kinds) {
    serializer.add(kind, Object.values(snapshot.entities[kind] ?? {}));
    serializer.close(kind);
  }
  return { snapshot, pending: serializer.finish(snapshot.meta) };
}

describe('createArtifactStore (the artifact-store port over directory targets)', () => {
  it('serializes, writes primary and copies, checks each copy and opens the snapshot', () =>
    withTempDir(async (dir) => {
      const store = storeIn(dir);
      const { snapshot, pending } = serialize(store);
      expect(pending.contentSha256).toBe(store.entitiesSha256(snapshot.entities));
      const written = await store.write(ref, pending);
      expect(written.name).toBe(store.nameOf(ref));
      expect(written.copies.map((c) => c.target)).toEqual([`directory:${join(dir, 'offsite')}`]);
      const primary = { target: 'primary', location: written.path, sha256: written.sha256 };
      expect(await store.checkCopy(primary)).toMatchObject({ ok: true, problems: [] });
      const opened = await store.openBackup(ref.backupId, [primary]);
      expect(opened.snapshot.entities).toEqual(snapshot.entities);
      expect(store.hasKey(written.keyId)).toBe(true);
      expect(store.hasKey('nope')).toBe(false);
      expect(await store.deleteEverywhere(written.name)).toEqual([
        'primary',
        `directory:${join(dir, 'offsite')}`,
      ]);
      const gone = await store.checkCopy(primary);
      expect(gone.ok).toBe(false);
    }));

  it('write takes only what its own serializer produced', () =>
    withTempDir(async (dir) => {
      const store = storeIn(dir);
      const { snapshot } = serialize(store);
      const forged = { meta: snapshot.meta, contentSha256: 'f'.repeat(64) };
      await expect(store.write(ref, forged)).rejects.toThrow(/serializer/);
    }));

  it('a copy written under another key: checkCopy says the key ring cannot open it', () =>
    withTempDir(async (dir) => {
      const store = storeIn(dir);
      const written = await store.write(ref, serialize(store).pending);
      const other = storeIn(dir, () => KeyRing.of([{ id: 'k9', key: Buffer.alloc(32, 9), current: true }]));
      const check = await other.checkCopy({
        target: 'primary',
        location: written.path,
        sha256: written.sha256,
      });
      expect(check.ok).toBe(false);
      expect(check.problems.join('; ')).toMatch(/k1|key/);
    }));
});
