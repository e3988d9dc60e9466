/**
 * The artifact-store port over the targets (the primary and the copies): the one place that names, writes,
 * checks, deletes and opens artifacts for the use cases, turns a recorded copy into a local file (remote
 * targets are fetched into a private temp dir) and hashes it. The key ring stays in here.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ArtifactStore, PendingArtifact, StoredCopy } from '../app/ports/artifact-store.ts';
import type { Snapshot, SnapshotMeta } from '../core/index.ts';
import { deleteArtifact } from './copies.ts';
import { type CopyTarget, PRIMARY_TARGET } from './copy-target.ts';
import { DirectoryCopyTarget } from './directory-target.ts';
import { BackupUnreadableError } from './errors.ts';
import { sha256File } from './fs-util.ts';
import type { KeyRing } from './keyring.ts';
import { artifactLineage, parseArtifactName } from './layout.ts';
import { openArtifact, verifyArtifactFile } from './read.ts';
import { entitiesSha256, type SerializedSnapshot, StreamingSerializer } from './serialize.ts';
import { artifactNameOf, writeArtifact } from './write.ts';

/** The target a copy record names: `primary` is the primary target, anything else a copy target's id. */
export function targetNamed(
  name: string,
  targets: { primary: CopyTarget; copyTargets: readonly CopyTarget[] },
): CopyTarget | undefined {
  return name === PRIMARY_TARGET ? targets.primary : targets.copyTargets.find((t) => t.id === name);
}

/**
 * The target that holds a recorded copy: its configured target when that is remote, else the directory the
 * recorded path is in (the configured one, or one the config no longer names).
 */
export function targetHolding(
  copy: StoredCopy,
  targets: { primary: CopyTarget; copyTargets: readonly CopyTarget[] },
): CopyTarget {
  const target = targetNamed(copy.target, targets);
  return target && !target.localPath ? target : new DirectoryCopyTarget(dirname(copy.location));
}

/**
 * Runs `use` with a local file holding `location`: the file itself when the target is a filesystem (or
 * unknown: a directory no longer configured), else a fetch into a private temp dir removed afterwards.
 */
export async function withTargetFile<T>(
  target: CopyTarget | undefined,
  location: string,
  use: (path: string) => Promise<T>,
): Promise<T> {
  if (!target || target.localPath) return use(location);
  const name = basename(location);
  const dir = await mkdtemp(join(tmpdir(), 'snapgate-copy-'));
  try {
    const local = join(dir, name);
    await target.get(name, local);
    return await use(local);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A remote copy is checked as a directory's is, after a HEAD: its size as the store reports it, then a full
 * read into a private temp file whose size must match, SHA-256 and decryption.
 */
async function checkRemote(target: CopyTarget, copy: StoredCopy & { sha256: string }, ring: KeyRing) {
  const name = basename(copy.location);
  const size = target.size ? await target.size(name) : (await target.exists(name)) ? -1 : null;
  if (size === null) return { ok: false, problems: [`missing: ${copy.location}`] };
  return withTargetFile(target, copy.location, async (path) => {
    const result = await verifyArtifactFile(path, ring, copy.sha256);
    const read = (await stat(path)).size;
    if (size < 0 || read === size) return result;
    return {
      ...result,
      ok: false,
      problems: [`read ${read} bytes where the store reports ${size}`, ...result.problems],
    };
  });
}

/** A serializer whose finished artifacts the store recognises in `write`. */
class RecordedSerializer extends StreamingSerializer {
  constructor(private readonly record: (serialized: SerializedSnapshot) => void) {
    super();
  }
  override finish(meta: SnapshotMeta): SerializedSnapshot {
    const serialized = super.finish(meta);
    this.record(serialized);
    return serialized;
  }
}

export function createArtifactStore(opts: {
  primary: CopyTarget;
  copyTargets: readonly CopyTarget[];
  keyRing: () => KeyRing;
}): ArtifactStore {
  const withLocalCopy = <T>(copy: StoredCopy, use: (path: string) => Promise<T>): Promise<T> =>
    withTargetFile(targetNamed(copy.target, opts), copy.location, use);
  // what this store's serializers produced: `write` takes only those (they carry the plaintext chunks)
  const produced = new WeakMap<PendingArtifact, SerializedSnapshot>();
  return {
    nameOf: (ref) => artifactNameOf(ref),
    serializer: () => new RecordedSerializer((serialized) => produced.set(serialized, serialized)),
    async write(ref, pending) {
      const serialized = produced.get(pending);
      if (!serialized) throw new TypeError("write takes what this store's serializer() produced");
      const { primary, copyTargets } = opts;
      return writeArtifact({ ...ref, keyRing: opts.keyRing(), primary, copyTargets, serialized });
    },
    async deleteEverywhere(name) {
      return (await deleteArtifact({ name, primary: opts.primary, copyTargets: opts.copyTargets })).deleted;
    },
    hasKey: (keyId) => opts.keyRing().get(keyId) !== undefined,
    async checkCopy(copy) {
      try {
        const ring = opts.keyRing();
        const target = targetNamed(copy.target, opts);
        return target && !target.localPath
          ? await checkRemote(target, copy, ring)
          : await withLocalCopy(copy, (path) => verifyArtifactFile(path, ring, copy.sha256));
      } catch (err) {
        return { ok: false, problems: [(err as Error).message] };
      }
    },
    entitiesSha256,
    withLocalCopy,
    sha256: (copy) => withLocalCopy(copy, sha256File),
    exists: (copy) => targetHolding(copy, opts).exists(basename(copy.location)),
    async rewrite({ ref, from, snapshot, copies, at }) {
      const [first, ...rest] = copies;
      if (!first) throw new TypeError('rewrite needs at least one copy to replace');
      const n = (parseArtifactName(from)?.rewrite ?? 0) + 1;
      const written = await writeArtifact({
        ...ref,
        keyRing: opts.keyRing(),
        primary: targetHolding(first, opts),
        copyTargets: rest.map((c) => targetHolding(c, opts)),
        snapshot,
        rewrite: { n, at: at.toISOString() },
      });
      return {
        name: written.name,
        bytes: written.bytes,
        sha256: written.sha256,
        keyId: written.keyId,
        entitiesSha256: written.contentSha256,
        copies: [
          { target: first.target, location: written.path, sha256: written.sha256 },
          ...written.copies.map((c, i) => ({ target: rest[i]!.target, location: c.path, sha256: c.sha256 })),
        ],
      };
    },
    deleteCopy: (copy) => targetHolding(copy, opts).delete(basename(copy.location)),
    async lockedUntil(copy) {
      const target = targetNamed(copy.target, opts);
      return (await target?.lockedUntil?.(basename(copy.location))) ?? null;
    },
    async listStored() {
      const targets = [
        { name: PRIMARY_TARGET, target: opts.primary },
        ...opts.copyTargets.map((t) => ({ name: t.id, target: t })),
      ];
      const listed = await Promise.all(
        targets.map(async ({ name, target }) =>
          (await target.list()).map((n) => ({ name: n, target: name, location: target.location(n) })),
        ),
      );
      return listed.flat();
    },
    lineageOf: artifactLineage,
    async openBackup(backupId, copies) {
      const problems: string[] = [];
      for (const copy of copies) {
        try {
          const opened = await withLocalCopy(copy, (path) => openArtifact(path, opts.keyRing()));
          return { snapshot: opened.snapshot as Snapshot, from: copy };
        } catch (err) {
          problems.push(`${copy.target}: ${(err as Error).message}`);
        }
      }
      throw new BackupUnreadableError(backupId, problems);
    },
  };
}
