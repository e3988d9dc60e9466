/**
 * The artifact-store port over the primary directory and the copy targets: the one place that turns a
 * recorded copy into a local file (remote targets are fetched into a private temp dir), hashes it, and
 * opens a backup from the first copy that reads back whole.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ArtifactStore, StoredCopy } from '../app/ports/artifact-store.ts';
import type { Snapshot } from '../core/index.ts';
import type { CopyTarget } from './copy-target.ts';
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

/**
 * Runs `use` with a local file holding `location`: the file itself when the target is a filesystem (or
 * the primary directory, `target` undefined), else a fetch into a private temp dir removed afterwards.
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
  copyTargets: readonly CopyTarget[];
  keyRing: () => KeyRing;
}): ArtifactStore {
  const withLocalCopy = <T>(copy: StoredCopy, use: (path: string) => Promise<T>): Promise<T> =>
    withTargetFile(
      opts.copyTargets.find((t) => t.id === copy.target),
      copy.location,
      use,
    );
  return {
    withLocalCopy,
    sha256: (copy) => withLocalCopy(copy, sha256File),
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
