/**
 * A target that is a bucket of an S3-compatible store (AWS S3, MinIO, Ceph RGW, R2, B2, GCS interop):
 * `storage.primary` or a `storage.copies[]` entry with `type: s3`. Objects are `<prefix><name>`.
 *
 * - `write` streams what the producer writes into a multipart upload (`@aws-sdk/lib-storage`, 8 MiB parts,
 *   at most 4 in flight: ~32 MiB buffered, never the whole artifact); the object appears only when the
 *   upload completes, so a failure leaves no half object and any older object whole. A failed upload is
 *   aborted; one that could not be aborted (the store went away) is aborted by the next write of the same
 *   name, which first aborts every unfinished upload of its key.
 * - Object Lock: with `objectLock` configured each object is written with a retention date
 *   (`retainUntil(name)` from the caller) and mode; `lockedUntil` reads it back for prune.
 * - Errors become StorageTargetErrors that say what to check (s3-errors.ts); throttling (503 SlowDown) and
 *   network errors are retried by the SDK with backoff first (`maxAttempts`).
 * The SDK is loaded on first use, so processes without an S3 target never load it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { Agent as HttpsAgent } from 'node:https';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client, StorageClass } from '@aws-sdk/client-s3';
import type { S3TargetConfig } from '../config/types.ts';
import type { CopyTarget, StoredObject } from './copy-target.ts';
import { StorageTargetError } from './errors.ts';
import type { ByteSink } from './fs-util.ts';
import { ARTIFACT_EXTENSION, checkArtifactName } from './layout.ts';
import { artifactNameTime, LOCK_ESTIMATE_MARGIN_MS } from './object-lock.ts';
import { describeS3Error, type S3Place, untrustedCertCode } from './s3-errors.ts';

type Sdk = typeof import('@aws-sdk/client-s3');
type LibStorage = typeof import('@aws-sdk/lib-storage');

const PART_BYTES = 8 << 20;
const PARTS_IN_FLIGHT = 4;

export interface S3TargetOptions {
  /** the Object Lock date of `name` written at `at` (object-lock.ts objectLockUntil); default: none */
  retainUntil?: (name: string, at: Date) => Date | null;
  now?: () => Date;
  /** attempts per request, throttling and network errors included (SDK standard retry with backoff) */
  maxAttempts?: number;
}

export class S3CopyTarget implements CopyTarget {
  readonly id: string;
  readonly name: string | null;
  readonly config: S3TargetConfig;
  readonly #prefix: string;
  readonly #place: S3Place;
  readonly #options: S3TargetOptions;
  #client: Promise<{ client: S3Client; sdk: Sdk; lib: LibStorage }> | undefined;

  constructor(config: S3TargetConfig, options: S3TargetOptions = {}) {
    this.config = config;
    this.name = config.name ?? null;
    this.#prefix = config.prefix;
    const host = config.endpoint ? new URL(config.endpoint).host : `s3.${config.region}.amazonaws.com`;
    this.id = `s3:${host}/${config.bucket}/${config.prefix}`;
    this.#place = {
      target: this.id,
      bucket: config.bucket,
      endpoint: config.endpoint ?? `https://${host}`,
      objectLock: config.objectLock !== null,
      ...(config.caFile ? { caFile: config.caFile } : {}),
    };
    this.#options = options;
  }

  /** The object key of `name`. */
  key(name: string): string {
    checkArtifactName(name);
    return `${this.#prefix}${name}`;
  }

  location(name: string): string {
    return `s3://${this.config.bucket}/${this.key(name)}`;
  }

  async write<T>(
    name: string,
    produce: (out: ByteSink) => Promise<T>,
  ): Promise<StoredObject & { produced: T }> {
    const key = this.key(name);
    const { client, lib } = await this.#open();
    await this.abortUnfinished(name);
    const body = new PassThrough({ highWaterMark: 1 << 20 });
    const hash = createHash('sha256');
    let bytes = 0;
    const lock = this.#lockParams(name);
    const upload = new lib.Upload({
      client,
      params: {
        Bucket: this.config.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/octet-stream',
        ...(this.config.storageClass ? { StorageClass: this.config.storageClass as StorageClass } : {}),
        ...this.#encryptionParams(),
        ...lock,
      },
      partSize: PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    const uploaded = upload.done();
    // a failed upload must stop the producer: every write races the upload's outcome
    const failed = uploaded.then(
      () => new Promise<never>(() => undefined),
      (err: unknown) => Promise.reject(err),
    );
    failed.catch(() => undefined);
    const sink: ByteSink = {
      async write(chunk) {
        hash.update(chunk);
        bytes += chunk.length;
        if (!body.write(chunk)) {
          await Promise.race([new Promise((resolve) => body.once('drain', resolve)), failed]);
        }
      },
    };
    let produced: T;
    try {
      produced = await produce(sink);
      body.end();
      await uploaded;
    } catch (err) {
      // ends the part feeder with an error: lib-storage aborts the multipart upload before `done` settles
      body.destroy(err instanceof Error ? err : new Error(String(err)));
      await uploaded.catch(() => undefined);
      await this.abortUnfinished(name).catch(() => undefined);
      throw uploadedBefore(err) ? err : describeS3Error(err, this.#place, `uploading ${key}`);
    }
    return { location: this.location(name), sha256: hash.digest('hex'), bytes, produced };
  }

  async put(name: string, sourcePath: string): Promise<StoredObject> {
    const { location, sha256, bytes } = await this.write(name, async (out) => {
      for await (const chunk of createReadStream(sourcePath, { highWaterMark: 1 << 20 }))
        await out.write(chunk as Buffer);
    });
    return { location, sha256, bytes };
  }

  async get(name: string, destPath: string): Promise<void> {
    const key = this.key(name);
    const { client, sdk } = await this.#open();
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.config.bucket, Key: key }));
      await pipeline(res.Body as Readable, createWriteStream(destPath, { mode: 0o600 }));
    } catch (err) {
      await unlink(destPath).catch(() => undefined);
      if (isNotFound(err)) throw missing(this.location(name));
      throw describeS3Error(err, this.#place, `reading ${key}`);
    }
  }

  /** The stored size of `name` (HEAD), or null when it does not exist. */
  async size(name: string): Promise<number | null> {
    return (await this.#head(name))?.ContentLength ?? null;
  }

  async exists(name: string): Promise<boolean> {
    return (await this.#head(name)) !== null;
  }

  /**
   * The Object Lock date of `name`: as the store reports it, else (a store that does not say) computed from
   * the name's time with a day's margin; null without `objectLock`, or when the object is gone.
   */
  async lockedUntil(name: string): Promise<Date | null> {
    if (!this.config.objectLock) return null;
    const head = await this.#head(name);
    if (!head) return null;
    if (head.ObjectLockRetainUntilDate) return head.ObjectLockRetainUntilDate;
    const at = artifactNameTime(name);
    const until = at ? this.#options.retainUntil?.(name, at) : null;
    return until ? new Date(until.getTime() + LOCK_ESTIMATE_MARGIN_MS) : null;
  }

  async delete(name: string): Promise<void> {
    const key = this.key(name);
    const { client, sdk } = await this.#open();
    try {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
    } catch (err) {
      if (isNotFound(err)) return;
      throw describeS3Error(err, this.#place, `deleting ${key}`);
    }
  }

  async list(): Promise<string[]> {
    const { client, sdk } = await this.#open();
    const names: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: this.config.bucket,
            Prefix: this.#prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const o of page.Contents ?? []) {
          const rest = (o.Key ?? '').slice(this.#prefix.length);
          if (rest.endsWith(ARTIFACT_EXTENSION) && !rest.includes('/')) names.push(rest);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (err) {
      throw describeS3Error(err, this.#place, `listing ${this.#prefix || 'the bucket'}`);
    }
    return names.sort();
  }

  /** The bucket answers HeadBucket with these credentials (no object is read or written). */
  async probe(): Promise<void> {
    const { client, sdk } = await this.#open();
    try {
      await client.send(new sdk.HeadBucketCommand({ Bucket: this.config.bucket }));
    } catch (err) {
      // HeadBucket has no body: a missing bucket is a bare 404
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      const missingBucket = e?.$metadata?.httpStatusCode === 404 || e?.name === 'NotFound';
      throw describeS3Error(
        missingBucket ? Object.assign(err as object, { name: 'NoSuchBucket' }) : err,
        this.#place,
        'checking the bucket',
      );
    }
  }

  /** Multipart uploads of `name` that were started and never completed (ids). */
  async unfinishedUploads(name?: string): Promise<{ key: string; uploadId: string }[]> {
    const { client, sdk } = await this.#open();
    const prefix = name === undefined ? this.#prefix : this.key(name);
    const found: { key: string; uploadId: string }[] = [];
    let keyMarker: string | undefined;
    let idMarker: string | undefined;
    try {
      for (;;) {
        const page = await client.send(
          new sdk.ListMultipartUploadsCommand({
            Bucket: this.config.bucket,
            Prefix: prefix,
            ...(keyMarker ? { KeyMarker: keyMarker } : {}),
            ...(idMarker ? { UploadIdMarker: idMarker } : {}),
          }),
        );
        for (const u of page.Uploads ?? []) {
          if (u.Key && u.UploadId && (name === undefined || u.Key === prefix))
            found.push({ key: u.Key, uploadId: u.UploadId });
        }
        if (!page.IsTruncated) return found;
        keyMarker = page.NextKeyMarker;
        idMarker = page.NextUploadIdMarker;
      }
    } catch (err) {
      throw describeS3Error(err, this.#place, 'listing unfinished uploads');
    }
  }

  /** Aborts every unfinished multipart upload of `name` (all under the prefix without a name). */
  async abortUnfinished(name?: string): Promise<number> {
    const { client, sdk } = await this.#open();
    const uploads = await this.unfinishedUploads(name);
    for (const u of uploads) {
      try {
        await client.send(
          new sdk.AbortMultipartUploadCommand({
            Bucket: this.config.bucket,
            Key: u.key,
            UploadId: u.uploadId,
          }),
        );
      } catch (err) {
        if (!isNotFound(err)) throw describeS3Error(err, this.#place, `aborting the upload of ${u.key}`);
      }
    }
    return uploads.length;
  }

  async #head(name: string) {
    const key = this.key(name);
    const { client, sdk } = await this.#open();
    try {
      return await client.send(new sdk.HeadObjectCommand({ Bucket: this.config.bucket, Key: key }));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw describeS3Error(err, this.#place, `reading the size of ${key}`);
    }
  }

  #encryptionParams() {
    const sse = this.config.serverSideEncryption;
    if (!sse) return {};
    if (sse.algorithm === 'AES256') return { ServerSideEncryption: 'AES256' as const };
    return {
      ServerSideEncryption: 'aws:kms' as const,
      ...(sse.kmsKeyId ? { SSEKMSKeyId: sse.kmsKeyId } : {}),
    };
  }

  #lockParams(name: string) {
    const lock = this.config.objectLock;
    const until = lock
      ? this.#options.retainUntil?.(name, (this.#options.now ?? (() => new Date()))())
      : null;
    if (!lock || !until) return {};
    return {
      ObjectLockMode: lock.mode === 'compliance' ? ('COMPLIANCE' as const) : ('GOVERNANCE' as const),
      ObjectLockRetainUntilDate: until,
    };
  }

  #open() {
    this.#client ??= (async () => {
      const [sdk, lib] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]);
      const c = this.config;
      const ca = c.caFile ? await readCaFile(this.id, c.caFile) : undefined;
      const client = new sdk.S3Client({
        region: c.region,
        ...(c.endpoint ? { endpoint: c.endpoint } : {}),
        forcePathStyle: c.forcePathStyle,
        ...(c.credentials
          ? {
              credentials: {
                accessKeyId: c.credentials.accessKeyId.reveal(),
                secretAccessKey: c.credentials.secretAccessKey.reveal(),
                ...(c.credentials.sessionToken ? { sessionToken: c.credentials.sessionToken.reveal() } : {}),
              },
            }
          : {}),
        maxAttempts: this.#options.maxAttempts ?? 5,
        // we hash every object ourselves (SHA-256, read back); the SDK's extra checksums are not understood
        // by every S3-compatible store
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        // the SDK builds its Node http handler from these options
        requestHandler: {
          connectionTimeout: 10_000,
          ...(ca ? { httpsAgent: new HttpsAgent({ ca, keepAlive: true }) } : {}),
        },
      });
      return { client, sdk, lib };
    })();
    // a caFile that could not be read is tried again on the next call (it may have been put in place)
    this.#client.catch(() => {
      this.#client = undefined;
    });
    return this.#client;
  }

  /** Closes the client's sockets. */
  async close(): Promise<void> {
    if (this.#client) (await this.#client).client.destroy();
    this.#client = undefined;
  }
}

async function readCaFile(target: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new StorageTargetError(
      'tls',
      `S3 target ${target}: cannot read its caFile ${path} (${code}); check the path in the storage section of the config and that snapgate may read it`,
      false,
      { cause: err },
    );
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.Code === 'NoSuchUpload' ||
    e?.name === 'NoSuchUpload' ||
    (e?.$metadata?.httpStatusCode === 404 && e?.name !== 'NoSuchBucket')
  );
}

function missing(location: string): Error {
  return Object.assign(new StorageTargetError('missing', `missing: ${location}`, false), { code: 'ENOENT' });
}

/** The producer's own error (not the store's): passed on unchanged. */
function uploadedBefore(err: unknown): boolean {
  return (
    !(err as { $metadata?: unknown })?.$metadata &&
    !(err instanceof StorageTargetError) &&
    !isSdkNetwork(err) &&
    untrustedCertCode(err) === null
  );
}

function isSdkNetwork(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && code !== 'ENOENT';
}
