/**
 * The S3 target against a real S3-compatible server (s3rver, started by the test in its own process; no
 * mock of the SDK): the copy-target conformance suite, then faults — wrong credentials, a missing bucket,
 * 503 SlowDown (a proxy in front of the server), the server killed mid-upload — each with a clear error,
 * no half object and no unfinished multipart upload left behind.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/index.ts';
import { type ByteSink, S3CopyTarget, StorageTargetError } from '../../../src/storage/index.ts';
import {
  type FaultProxy,
  type S3Server,
  s3Config,
  startFaultProxy,
  startS3Server,
} from '../../support/s3-server.ts';
import { copyTargetConformance } from '../../unit/storage/copy-target-conformance.ts';

const NAME = 'kong-prod-20261121-1000-manual-abcd1234.sgb';
let server: S3Server;

beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.close();
});

function bucketName(): string {
  return `sg-${randomBytes(5).toString('hex')}`;
}

copyTargetConformance('s3 (s3rver)', async () => {
  const bucket = bucketName();
  await server.createBucket(bucket);
  const target = new S3CopyTarget(s3Config(server.endpoint, bucket));
  return {
    target,
    async cleanup() {
      expect(await target.unfinishedUploads()).toEqual([]);
      await target.close();
    },
  };
});

/** Writes `mib` MiB in 1 MiB chunks, calling `between(i)` before chunk i. */
function producer(mib: number, between?: (i: number) => Promise<void>) {
  return async (out: ByteSink) => {
    for (let i = 0; i < mib; i++) {
      await between?.(i);
      await out.write(Buffer.alloc(1 << 20, i));
    }
  };
}

describe('S3 target faults', () => {
  it('a multipart upload whose producer fails is aborted: no object, no parts left on the server', async () => {
    const bucket = bucketName();
    await server.createBucket(bucket);
    const target = new S3CopyTarget(s3Config(server.endpoint, bucket));
    await expect(
      target.write(
        NAME,
        producer(20, async (i) => {
          if (i === 18) throw new Error('dump failed half-way');
        }),
      ),
    ).rejects.toThrow('dump failed half-way');
    expect(await target.exists(NAME)).toBe(false);
    expect(await target.unfinishedUploads()).toEqual([]);
    expect(await server.uploadsOnDisk(bucket)).toEqual([]);
    await target.close();
  });

  it('wrong credentials are named as such, and nothing is stored', async () => {
    const bucket = bucketName();
    await server.createBucket(bucket);
    const target = new S3CopyTarget(
      s3Config(server.endpoint, bucket, {
        credentials: {
          accessKeyId: new Secret('AKIAWRONGKEY'),
          secretAccessKey: new Secret('wrong-secret-xyz'),
        },
      }),
    );
    const err = await target.write(NAME, producer(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageTargetError);
    expect((err as StorageTargetError).kind).toBe('credentials');
    expect((err as StorageTargetError).retryable).toBe(false);
    expect((err as Error).message).toMatch(/credentials were refused .*InvalidAccessKeyId.*accessKeyIdEnv/);
    expect((err as Error).message).not.toContain('wrong-secret-xyz');
    const good = new S3CopyTarget(s3Config(server.endpoint, bucket));
    expect(await good.list()).toEqual([]);
    await Promise.all([target.close(), good.close()]);
  });

  it('a missing bucket is named, with what to do', async () => {
    const target = new S3CopyTarget(s3Config(server.endpoint, 'sg-no-such-bucket'));
    const err = await target.put(NAME, import.meta.filename).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageTargetError);
    expect((err as StorageTargetError).kind).toBe('bucket');
    expect((err as Error).message).toMatch(
      /bucket "sg-no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+; create it/,
    );
    // /readyz's probe says the same
    const probed = await target.probe().catch((e: unknown) => e);
    expect(probed).toMatchObject({ kind: 'bucket' });
    expect((probed as Error).message).toMatch(
      /while checking the bucket|bucket "sg-no-such-bucket" does not exist/,
    );
    await target.close();
  });

  describe('behind a proxy answering 503 SlowDown', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy(server.port);
    });
    afterAll(async () => {
      await proxy?.close();
    });

    it('a few SlowDowns are retried with backoff and the upload completes', async () => {
      const bucket = bucketName();
      await server.createBucket(bucket);
      const target = new S3CopyTarget(s3Config(proxy.endpoint, bucket), { maxAttempts: 4 });
      proxy.requests.length = 0;
      proxy.slowDown(2, (r) => r.method === 'PUT' && r.query.includes('partNumber'));
      const stored = await target.write(NAME, producer(12));
      expect(stored.bytes).toBe(12 << 20);
      const parts = proxy.requests.filter((r) => r.method === 'PUT' && r.query.includes('partNumber'));
      expect(parts.length).toBe(2 + 2); // two parts of 8 MiB + 4 MiB, two of the attempts refused
      expect(await target.size(NAME)).toBe(12 << 20);
      expect(await server.uploadsOnDisk(bucket)).toEqual([]);
      await target.close();
    });

    it('SlowDown that does not stop fails the upload in words, retryable, and aborts it', async () => {
      const bucket = bucketName();
      await server.createBucket(bucket);
      const target = new S3CopyTarget(s3Config(proxy.endpoint, bucket), { maxAttempts: 2 });
      proxy.slowDown(1000, (r) => r.method === 'PUT' && r.query.includes('partNumber'));
      const err = await target.write(NAME, producer(12)).catch((e: unknown) => e);
      proxy.slowDown(0);
      expect(err).toBeInstanceOf(StorageTargetError);
      expect((err as StorageTargetError).kind).toBe('throttled');
      expect((err as StorageTargetError).retryable).toBe(true);
      expect((err as Error).message).toMatch(/503 SlowDown .*overloaded or rate-limiting/);
      expect(await target.exists(NAME)).toBe(false);
      expect(await server.uploadsOnDisk(bucket)).toEqual([]);
      await target.close();
    });
  });

  it('the server killed mid-upload: unreachable in words, no object; the next write of the name aborts the leftover upload', async () => {
    const bucket = bucketName();
    await server.createBucket(bucket);
    const target = new S3CopyTarget(s3Config(server.endpoint, bucket), { maxAttempts: 2 });
    const err = await target
      .write(
        NAME,
        producer(24, async (i) => {
          if (i !== 17) return;
          // the first part (8 MiB) is on the server before it dies
          for (let n = 0; n < 200 && (await server.uploadsOnDisk(bucket)).length === 0; n++)
            await new Promise((r) => setTimeout(r, 25));
          await new Promise((r) => setTimeout(r, 300));
          await server.kill();
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageTargetError);
    expect((err as StorageTargetError).kind).toBe('unreachable');
    expect((err as StorageTargetError).retryable).toBe(true);
    expect((err as Error).message).toMatch(
      /cannot reach the endpoint http:\/\/127\.0\.0\.1:\d+ .*ECONNREFUSED/,
    );

    await server.restart();
    expect(await target.exists(NAME)).toBe(false);
    // the abort could not reach a dead server: the upload is still there …
    expect(await target.unfinishedUploads(NAME)).toHaveLength(1);
    // … until the retry of the same name, which aborts it first
    const stored = await target.write(NAME, producer(2));
    expect(stored.bytes).toBe(2 << 20);
    expect(await target.unfinishedUploads()).toEqual([]);
    expect(await server.uploadsOnDisk(bucket)).toEqual([]);
    await target.close();
  });
});
