/**
 * The artifact-store port: where a backup's encrypted artifact and its copies live, as the use cases see
 * it. `src/storage` implements it over copy targets (`CopyTarget`, the primary included: directory
 * today); a store of another kind adds a copy target in its own file and one line in `createCopyTarget`,
 * and runs the copy-target conformance suite.
 */
import type { Snapshot } from '../../core/index.ts';

/** One stored copy as the records name it (`BackupCopy` fits). */
export interface StoredCopy {
  /** `primary` or a copy target's id */
  target: string;
  location: string;
}

export interface ArtifactStore {
  /** Runs `use` with a local file holding the copy (fetched into a private temp dir when remote). */
  withLocalCopy<T>(copy: StoredCopy, use: (path: string) => Promise<T>): Promise<T>;
  /** Whether the copy is still stored where the record says. */
  exists(copy: StoredCopy): Promise<boolean>;
  /** The copy's SHA-256 as stored now; throws (ENOENT) when it is missing. */
  sha256(copy: StoredCopy): Promise<string>;
  /** Decrypts the first copy that reads back whole; names every copy that did not. */
  openBackup(
    backupId: string,
    copies: readonly StoredCopy[],
  ): Promise<{ snapshot: Snapshot; from: StoredCopy }>;
}
