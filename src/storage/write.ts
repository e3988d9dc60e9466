/**
 * writeArtifact: snapshot → one encrypted, self-contained `.sgb` object on the primary target, verified,
 * then copied to every copy target.
 *
 * Order (restic's "encrypt, then decrypt and compare before writing" applied to a file):
 *   1. the snapshot's JSON in chunks + its sha256 (serialize.ts; one copy in memory, no more);
 *   2. fresh 32-byte data key and nonces; header bytes; data key wrapped under the current key;
 *   3. stream chunks → compression → AES-256-GCM → the primary target's `write` (a directory: temp file,
 *      fsync, rename, fsync directory; a remote store: its upload), never held whole;
 *   4. read the object back (in place for a directory, fetched into a private temp file otherwise): its
 *      sha256 must be what was written, and it must decrypt (GCM tag checked) to exactly the compressed
 *      blocks that were encrypted — each block was proven to decompress to its plaintext when it was
 *      compressed (for a version 1 body: decompress and compare the plaintext sha256 with step 1);
 *   5. meanwhile, copy that same local file to each copy target (in parallel) and compare each copy's
 *      sha256 with the primary's.
 *   Only when 4 and 5 both succeed is the artifact reported; otherwise the primary object and every copy
 *   are removed and the first error (the check's, if it failed) is thrown.
 * The name depends only on connection, createdAt, type and backup id: a retried job that passes the same
 * createdAt (e.g. the backup record's start time) overwrites its own earlier attempt instead of adding one.
 */
import { randomBytes } from 'node:crypto';
import type { Snapshot } from '../core/snapshot.ts';
import { withTargetFile } from './artifact-store.ts';
import { deleteArtifact } from './copies.ts';
import type { CopyTarget } from './copy-target.ts';
import { decryptBody, encryptBody } from './data-stream.ts';
import { wrapDataKey } from './envelope.ts';
import { ArtifactIntegrityError } from './errors.ts';
import { type BoundHeader, type Compression, encodeBound, encodeKeyBlock, readFrame } from './format.ts';
import { sha256File } from './fs-util.ts';
import type { KeyRing } from './keyring.ts';
import { artifactName, type BackupType, FORMAT_VERSION } from './layout.ts';
import { unlockDataKey } from './read.ts';
import { type SerializedSnapshot, serializeSnapshot } from './serialize.ts';

/**
 * brotli at quality 1 is both smaller and faster than gzip on snapshot JSON; in independent blocks it
 * compresses in parallel, and during the dump (see data-stream.ts).
 */
export const DEFAULT_COMPRESSION: Compression = 'brotli-blocks';

export interface WriteArtifactBase {
  backupId: string;
  /** the connection's gateway type, which starts the name; absent: the snapshot's `meta.gateway` (Kong when unset) */
  gateway?: string | undefined;
  connection: string;
  environment: string;
  type: BackupType;
  /** ISO time recorded in the header and the name; defaults to `clock()`. */
  createdAt?: string;
  keyRing: KeyRing;
  /** where the artifact is written first (`storage.primary`) */
  primary: CopyTarget;
  copyTargets?: readonly CopyTarget[];
  compression?: Compression;
  clock?: () => Date;
  /** a rewrite of the backup's artifact (`gdpr erase`): its number (named `-r<n>`) and time */
  rewrite?: { n: number; at: string };
}

/**
 * What to write: a snapshot, or its plaintext already serialized (the backup job serializes while it
 * dumps, `StreamingSerializer`, and hashes it before deciding whether to write at all).
 */
export type WriteArtifactInput = WriteArtifactBase &
  ({ snapshot: Snapshot; serialized?: undefined } | { serialized: SerializedSnapshot; snapshot?: undefined });

export interface ArtifactCopy {
  target: string;
  path: string;
  sha256: string;
}

export interface WrittenArtifact {
  name: string;
  /** the primary's location (a path for a directory) */
  path: string;
  bytes: number;
  /** sha256 of the artifact file. */
  sha256: string;
  /** sha256 of the snapshot JSON (meta included). */
  plaintextSha256: string;
  /** sha256 of the entities JSON: equal for two backups of an unchanged gateway. */
  contentSha256: string;
  keyId: string;
  copies: ArtifactCopy[];
}

/** The artifact's name for a write of `input` (with its `createdAt`): a retry can clean up by it first. */
export function artifactNameOf(
  input: Pick<WriteArtifactBase, 'gateway' | 'connection' | 'type' | 'backupId' | 'rewrite'> & {
    createdAt: string;
  },
): string {
  return artifactName({ ...input, rewrite: input.rewrite?.n });
}

export async function writeArtifact(input: WriteArtifactInput): Promise<WrittenArtifact> {
  const createdAt = input.createdAt ?? (input.clock ?? (() => new Date()))().toISOString();
  const serialized = input.serialized ?? serializeSnapshot(input.snapshot);
  const { meta } = serialized;
  const name = artifactNameOf({ ...input, gateway: input.gateway ?? meta.gateway ?? undefined, createdAt });

  const dataKey = randomBytes(32);
  const dataNonce = randomBytes(12);
  const compression = input.compression ?? DEFAULT_COMPRESSION;
  const header: BoundHeader = {
    formatVersion: FORMAT_VERSION,
    backupId: input.backupId,
    connection: input.connection,
    environment: input.environment,
    type: input.type,
    createdAt,
    kongVersion: meta.kongVersion,
    counts: meta.counts as Record<string, number>,
    cipher: 'aes-256-gcm',
    dataNonce: dataNonce.toString('base64'),
    compression,
    plaintextSha256: serialized.sha256,
    plaintextBytes: serialized.bytes,
    contentSha256: serialized.contentSha256,
    ...(meta.excluded ? { excluded: meta.excluded } : {}),
    ...(input.rewrite ? { rewrite: input.rewrite.n, rewrittenAt: input.rewrite.at } : {}),
  };
  const bound = encodeBound(header);
  const kek = input.keyRing.current();
  const keyBlock = encodeKeyBlock(wrapDataKey(dataKey, kek, bound));

  const targets = input.copyTargets ?? [];
  const cleanUp = () =>
    // A backup that is not verified and on every target is not reported at all (best-effort cleanup).
    deleteArtifact({ name, primary: input.primary, copyTargets: targets }).catch(() => undefined);

  // A failed write changes nothing under the name (a directory removes its temp file, a store aborts its upload).
  const stored = await input.primary.write(name, async (out) => {
    await out.write(bound);
    await out.write(keyBlock);
    const { tag, bodySha256 } = await encryptBody({
      chunks: serialized.chunks,
      plaintextBytes: serialized.bytes,
      compression,
      blocks: serialized.blocks,
      dataKey,
      nonce: dataNonce,
      aad: bound,
      out,
    });
    await out.write(tag);
    return bodySha256;
  });
  serialized.chunks.length = 0; // let the plaintext go before reading back
  const { location: path, sha256, bytes, produced: bodySha256 } = stored;

  // The read-back check and the copies run side by side on one local file (the primary itself when it is
  // a directory), which the check does not change; the artifact is reported only when both succeed,
  // otherwise nothing is left behind. Every put settles before any cleanup, so a slow copy cannot land
  // after its deletion.
  let settled: [PromiseSettledResult<void>, ...PromiseSettledResult<ArtifactCopy>[]];
  try {
    settled = await withTargetFile(input.primary, path, (local) =>
      Promise.all([
        checkWritten(local, input.keyRing, { sha256, plaintextSha256: serialized.sha256, bodySha256 }).then(
          (): PromiseSettledResult<void> => ({ status: 'fulfilled', value: undefined }),
          (reason): PromiseSettledResult<void> => ({ status: 'rejected', reason }),
        ),
        ...targets.map((target) => copyTo(target, name, local, { path, sha256 })),
      ]),
    );
  } catch (err) {
    await cleanUp(); // the primary could not be read back at all
    throw err;
  }
  const [checked, ...copied] = settled;
  const failure = [checked, ...copied].find((r) => r.status === 'rejected');
  if (failure) {
    await cleanUp();
    throw failure.reason;
  }
  const copies = copied.map((r) => (r as PromiseFulfilledResult<ArtifactCopy>).value);
  return {
    name,
    path,
    bytes,
    sha256,
    plaintextSha256: serialized.sha256,
    contentSha256: serialized.contentSha256,
    keyId: kek.id,
    copies,
  };
}

/** Step 5 for one target: its copy's sha256 must be the primary's. */
function copyTo(
  target: CopyTarget,
  name: string,
  local: string,
  primary: { path: string; sha256: string },
): Promise<PromiseSettledResult<ArtifactCopy>> {
  return Promise.allSettled([
    target.put(name, local).then((copy): ArtifactCopy => {
      if (copy.sha256 !== primary.sha256) {
        throw new ArtifactIntegrityError(
          `copy of ${name} to ${target.id} has sha256 ${copy.sha256}, expected ${primary.sha256}`,
          primary.path,
        );
      }
      return { target: target.id, path: copy.location, sha256: copy.sha256 };
    }),
  ]).then(([r]) => r!);
}

/**
 * Step 4: the file on disk is the file we wrote, and it decrypts to the snapshot we were given. A
 * `brotli-blocks` body is decrypted (through the key ring, GCM tag checked) and compared with the framed
 * blocks that were encrypted (`bodySha256`): each block was already proven to decompress to its plaintext
 * when it was compressed (data-stream.ts `compressBlock`), and the plaintext's sha256 is the header's. A
 * version 1 body is decrypted, decompressed and compared with the plaintext sha256.
 */
export async function checkWritten(
  path: string,
  keyRing: KeyRing,
  expected: { sha256: string; plaintextSha256: string; bodySha256?: string | undefined },
) {
  const [fileSha256, frame] = await Promise.all([sha256File(path), readFrame(path)]);
  if (fileSha256 !== expected.sha256) {
    throw new ArtifactIntegrityError(
      `artifact ${path} reads back with a different sha256 than was written`,
      path,
    );
  }
  const dataKey = unlockDataKey(path, frame, keyRing);
  if (expected.bodySha256 !== undefined) {
    const body = await decryptBody(path, frame, dataKey, undefined, { decompress: false });
    if (body.sha256 !== expected.bodySha256) {
      throw new ArtifactIntegrityError(
        `artifact ${path} decrypts to different content than was written`,
        path,
      );
    }
    return;
  }
  const plain = await decryptBody(path, frame, dataKey);
  if (plain.sha256 !== expected.plaintextSha256) {
    throw new ArtifactIntegrityError(`artifact ${path} decrypts to different content than was written`, path);
  }
}
