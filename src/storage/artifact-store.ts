/**
 * The artifact-store port over the targets (the primary and the copies): the one place that turns a
 * recorded copy into a local file (remote targets are fetched into a private temp dir), hashes it, and
 * opens a backup from the first copy that reads back whole.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ArtifactStore, StoredCopy } from '../app/ports/artifact-store.ts';
import type { Snapshot } from '../core/index.ts';
import { type CopyTarget, PRIMARY_TARGET } from './copy-target.ts';
import { DirectoryCopyTarget } from './directory-target.ts';
import { sha256File } from './fs-util.ts';
import type { KeyRing } from './keyring.ts';
import { openArtifact } from './read.ts';

/** No copy of the backup could be read. */
export class BackupUnreadableError extends Error {
  constructor(
    readonly backupId: string,
    readonly problems: string[],
  ) {
    super(
      `backup ${backupId} could not be read from any copy (${problems.join('; ') || 'no copies recorded'})`,
    );
    this.name = 'BackupUnreadableError';
  }
}

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

export function createArtifactStore(opts: {
  primary: CopyTarget;
  copyTargets: readonly CopyTarget[];
  keyRing: () => KeyRing;
}): ArtifactStore {
  const withLocalCopy = <T>(copy: StoredCopy, use: (path: string) => Promise<T>): Promise<T> =>
    withTargetFile(targetNamed(copy.target, opts), copy.location, use);
  return {
    withLocalCopy,
    sha256: (copy) => withLocalCopy(copy, sha256File),
    exists: (copy) => targetHolding(copy, opts).exists(basename(copy.location)),
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
