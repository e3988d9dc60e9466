/**
 * The storage-target port: where artifacts are stored — the primary (`storage.primary`) and every copy
 * (`storage.copies[]`, the "2" and "1" of 3-2-1). Every read and write of a stored artifact goes through
 * this small interface (restic's backend interface is the model), so a store of another kind joins
 * `directory` and `s3` in `src/storage` without touching the writer, the verifier or the use cases. Every
 * implementation runs the conformance suite in `test/unit/storage/copy-target-conformance.ts`.
 */
import type { CheckpointStore } from './audit-checkpoints.ts';

/** Where artifact bytes are written, in order: a file or a copy target's upload. */
export interface ByteSink {
  write(chunk: Buffer): Promise<void>;
}

/** How copy records name the primary target (any other copy is named by its target's `id`). */
export const PRIMARY_TARGET = 'primary';

/** What a target reports for an object it stored. */
export interface StoredObject {
  /** where it is, as recorded per copy (a path, `s3://bucket/key`, …) */
  location: string;
  sha256: string;
  bytes: number;
}

export interface CopyTarget {
  /** Stable, human-readable, secret-free identity, e.g. `directory:/mnt/offsite/snapgate`; recorded per copy. */
  readonly id: string;
  /** Where `name` is (or would be) stored: what a copy record's `location` holds. */
  location(name: string): string;
  /**
   * Stores `name` from the bytes `produce` writes into the sink, in order, as they come (nothing is held
   * whole), atomically: no half-written object is ever visible under `name`, and a failure of `produce`
   * or of the store leaves nothing behind. Resolves with what was stored and what `produce` returned.
   */
  write<T>(name: string, produce: (out: ByteSink) => Promise<T>): Promise<StoredObject & { produced: T }>;
  /** Stores `name` from a local file (atomically, as `write`). */
  put(name: string, sourcePath: string): Promise<StoredObject>;
  /** Fetches `name` into a local file at `destPath`; throws (code ENOENT) when it does not exist. */
  get(name: string, destPath: string): Promise<void>;
  exists(name: string): Promise<boolean>;
  /** Removes `name`; removing a missing object is not an error. */
  delete(name: string): Promise<void>;
  /** Artifact names stored (temp files excluded), sorted. */
  list(): Promise<string[]>;
  /**
   * Resolves when the store can be used now — a directory exists (or can be made, as the first write
   * would) and is readable and writable; a bucket answers — and rejects with the reason in words
   * otherwise (`/readyz`). Cheap: no object is read or written.
   */
  probe(): Promise<void>;
  /** A local path to read `name` in place, when the target is a filesystem; avoids a copy when verifying. */
  localPath?(name: string): string;
  /** The stored size of `name`, or null when it does not exist (a remote store's HEAD). */
  size?(name: string): Promise<number | null>;
  /** The date before which the store refuses to delete `name` (Object Lock), or null. */
  lockedUntil?(name: string): Promise<Date | null>;
  /** Releases connections. */
  close?(): Promise<void>;
  /**
   * Removes what writers that died mid-write left behind (a directory's stale temp files, an object
   * store's stale multipart uploads); returns their names. Never touches a live write.
   */
  sweepLeftovers?(): Promise<string[]>;
  /**
   * Where signed audit checkpoints are published on this target (a directory: its `audit-checkpoints/`
   * folder). Absent = this kind of target cannot hold them yet.
   */
  checkpointStore?(): CheckpointStore;
}
