/**
 * Where extra copies of artifacts go (the "2" and "1" of 3-2-1). Callers depend only on this small
 * interface (restic's backend interface is the model), so an S3-compatible target can join `directory`
 * without touching the writer, the verifier or the jobs. Every implementation runs the conformance suite
 * in `test/unit/storage/copy-target-conformance.ts`.
 */
import type { CopyTargetConfig } from '../config/types.ts';
import { DirectoryCopyTarget } from './directory-target.ts';

export interface CopyTarget {
  /** Stable, human-readable, secret-free identity, e.g. `directory:/mnt/offsite/snapgate`; recorded per copy. */
  readonly id: string;
  /** Stores `name` from a local file, atomically (no half-written object is ever visible under `name`). */
  put(name: string, sourcePath: string): Promise<{ location: string; sha256: string }>;
  /** Fetches `name` into a local file at `destPath`; throws when it does not exist. */
  get(name: string, destPath: string): Promise<void>;
  exists(name: string): Promise<boolean>;
  /** Removes `name`; removing a missing object is not an error. */
  delete(name: string): Promise<void>;
  /** Artifact names stored (temp files excluded). */
  list(): Promise<string[]>;
  /** A local path to read `name` in place, when the target is a filesystem; avoids a copy when verifying. */
  localPath?(name: string): string;
  /**
   * Removes what writers that died mid-write left behind (a directory's stale temp files, an object
   * store's stale multipart uploads); returns their names. Never touches a live write.
   */
  sweepLeftovers?(): Promise<string[]>;
}

export function createCopyTarget(config: CopyTargetConfig): CopyTarget {
  switch (config.type) {
    case 'directory':
      return new DirectoryCopyTarget(config.path);
  }
}
