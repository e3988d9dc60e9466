/**
 * The artifact-store port: where a backup's encrypted artifact and its copies live, as the use cases see
 * it — writing one from a dump, naming it, opening, checking and deleting it — over the storage targets
 * (`CopyTarget`, copy-target.ts: the primary and the copies, directory or S3). The use cases never see the
 * artifact format, the encryption or the key ring: `src/storage` implements all of it
 * (`createArtifactStore`); a store of another kind adds a copy target in its own file and one line in
 * `createCopyTarget`, and runs the copy-target conformance suite.
 */
import type { Snapshot, SnapshotMeta, SnapshotSink } from '../../core/index.ts';
import type { BackupType } from '../../core/status.ts';

/** One stored copy as the records name it (`BackupCopy` fits). */
export interface StoredCopy {
  /** `primary` or a copy target's id */
  target: string;
  location: string;
}

/** What names a backup's artifact and is written into its header. */
export interface ArtifactRef {
  backupId: string;
  /** the connection's gateway type (`kong`, `aws-apigateway`): the artifact's name starts with it */
  gateway?: string;
  connection: string;
  environment: string;
  type: BackupType;
  /** ISO time: the backup record's creation */
  createdAt: string;
}

/** A dump serialized and ready to be written: its metadata and the content hash of its entities. */
export interface PendingArtifact {
  readonly meta: SnapshotMeta;
  /** SHA-256 of the entities part: equal for two dumps of an unchanged gateway */
  readonly contentSha256: string;
}

/** The sink a gateway dumps into (page by page, never held as entity objects), then `finish`. */
export interface ArtifactSerializer extends SnapshotSink {
  finish(meta: SnapshotMeta): PendingArtifact;
}

/** What `write` stored: the primary's object and every copy, each with its SHA-256. */
export interface WrittenArtifact {
  name: string;
  /** the primary's location */
  path: string;
  bytes: number;
  sha256: string;
  keyId: string;
  copies: { target: string; path: string; sha256: string }[];
}

/** One copy checked: present (and the size the store reports), SHA-256 as recorded, decrypts, parses. */
export interface CopyCheck {
  ok: boolean;
  problems: string[];
  /** intact (sha256 as recorded) but no key of the ring opens it: a key problem, not a bad copy */
  keyProblem?: boolean;
}

/** What `rewrite` stored: the new artifact on every copy it replaced, in the order the copies were given. */
export interface RewrittenArtifact {
  name: string;
  bytes: number;
  sha256: string;
  keyId: string;
  /** SHA-256 of the entities part (`PendingArtifact.contentSha256`) */
  entitiesSha256: string;
  copies: { target: string; location: string; sha256: string }[];
}

/** An artifact a target holds, whether or not a record names it. */
export interface StoredArtifact extends StoredCopy {
  name: string;
}

export interface ArtifactStore {
  /** The artifact's name for a backup (the same name an earlier, crashed attempt would have used). */
  nameOf(ref: ArtifactRef): string;
  /** A fresh serializer for one dump. */
  serializer(): ArtifactSerializer;
  /**
   * Encrypts with the current key and writes the primary, then every copy target; a failed write leaves
   * nothing under the name. `pending` must come from this store's `serializer()`.
   */
  write(ref: ArtifactRef, pending: PendingArtifact): Promise<WrittenArtifact>;
  /** Removes the artifact from the primary and every copy target; returns the targets that held it. */
  deleteEverywhere(name: string): Promise<string[]>;
  /** Whether the key ring holds the key an artifact was written with. */
  hasKey(keyId: string): boolean;
  /** The full check of one recorded copy (verify); never throws: a store that cannot be asked is a problem. */
  checkCopy(copy: StoredCopy & { sha256: string }): Promise<CopyCheck>;
  /** SHA-256 of a snapshot's entities as an artifact stores them (`PendingArtifact.contentSha256` of a dump). */
  entitiesSha256(entities: Snapshot['entities']): string;
  /** Runs `use` with a local file holding the copy (fetched into a private temp dir when remote). */
  withLocalCopy<T>(copy: StoredCopy, use: (path: string) => Promise<T>): Promise<T>;
  /** Whether the copy is still stored where the record says. */
  exists(copy: StoredCopy): Promise<boolean>;
  /** The copy's SHA-256 as stored now; throws (ENOENT) when it is missing. */
  sha256(copy: StoredCopy): Promise<string>;
  /**
   * Writes `snapshot` as a new artifact of the same backup (`ref`) on the targets of `copies`, named as the
   * next rewrite of `from` (`…-r<n>.sgb`), encrypted with the current key, read back and checked like any
   * write; a failure leaves nothing new behind and the old artifact untouched. The caller removes the old
   * copies (`deleteCopy`) once the records point at the new ones.
   */
  rewrite(input: {
    ref: ArtifactRef;
    from: string;
    snapshot: Snapshot;
    copies: readonly StoredCopy[];
    at: Date;
  }): Promise<RewrittenArtifact>;
  /** Removes one recorded copy from its target (a missing one is not an error). */
  deleteCopy(copy: StoredCopy): Promise<void>;
  /** The date before which the copy's store refuses to delete or replace it (Object Lock), or null. */
  lockedUntil(copy: StoredCopy): Promise<Date | null>;
  /** Every artifact the configured targets hold, recorded or not (a full scan, for `gdpr find`). */
  listStored(): Promise<StoredArtifact[]>;
  /** The backup an artifact's name belongs to, whatever its rewrite (`…-r2.sgb` → `….sgb`); null if not a name. */
  lineageOf(name: string): string | null;
  /** Decrypts the first copy that reads back whole; names every copy that did not. */
  openBackup(
    backupId: string,
    copies: readonly StoredCopy[],
  ): Promise<{ snapshot: Snapshot; from: StoredCopy }>;
}
