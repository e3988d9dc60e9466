/**
 * An S3 target behind HTTPS signed by a private CA (made by `openssl` in the test; a TLS proxy in front of
 * a real s3rver): with `caFile` naming that CA the copy-target conformance suite passes; without it, with
 * another CA, or with a caFile that cannot be read, every call fails with a StorageTargetError that says
 * what to fix — and nothing is written.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../../src/app/index.ts';
import { S3CopyTarget, StorageTargetError } from '../../../src/storage/index.ts';
import { type S3Server, s3Config, startS3Server } from '../../support/s3-server.ts';
import { makeTestCa, startTlsProxy, type TestCa, type TlsProxy } from '../../support/tls-ca.ts';
import { copyTargetConformance } from '../../unit/storage/copy-target-conformance.ts';

const NAME = 'kong-prod-20261121-1000-manual-abcd1234.sgb';
let server: S3Server;
let ca: TestCa;
let otherCa: TestCa;
let proxy: TlsProxy;

beforeAll(async () => {
  server = await startS3Server();
  ca = makeTestCa('snapgate test CA');
  otherCa = makeTestCa('some other CA');
  proxy = await startTlsProxy(server.port, ca);
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await server?.close();
  ca?.cleanup();
  otherCa?.cleanup();
});

async function freshBucket(): Promise<string> {
  const bucket = `sg-${randomBytes(5).toString('hex')}`;
  await server.createBucket(bucket);
  return bucket;
}

copyTargetConformance('s3 over HTTPS with a custom CA (caFile)', async () => {
  const target = new S3CopyTarget(s3Config(proxy.endpoint, await freshBucket(), { caFile: ca.caFile }));
  return {
    target,
    async cleanup() {
      expect(await target.unfinishedUploads()).toEqual([]);
      await target.close();
    },
  };
});

describe('an HTTPS endpoint the target does not trust', () => {
  const attempt = async (caFile: string | undefined) => {
    const bucket = await freshBucket();
    const target = new S3CopyTarget(s3Config(proxy.endpoint, bucket, caFile ? { caFile } : {}), {
      maxAttempts: 1,
    });
    try {
      const err = await target
        .write(NAME, async (out) => out.write(Buffer.from('artifact bytes')))
        .catch((e: unknown) => e);
      const listed = await target.list().catch((e: unknown) => e);
      return { err, listed, bucket };
    } finally {
      await target.close();
    }
  };

  it('without caFile: says the certificate is not trusted and to set caFile; nothing is stored', async () => {
    const { err, listed, bucket } = await attempt(undefined);
    expect(err).toBeInstanceOf(StorageTargetError);
    expect(err).toMatchObject({ kind: 'tls', retryable: false });
    expect((err as Error).message).toMatch(
      /endpoint https:\/\/127\.0\.0\.1:\d+ was not trusted .*\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\).*set the target's caFile/,
    );
    expect(listed).toMatchObject({ kind: 'tls' });
    // the store itself holds nothing: read over plain HTTP behind the proxy
    const plain = new S3CopyTarget(s3Config(server.endpoint, bucket));
    expect(await plain.list()).toEqual([]);
    await plain.close();
  });

  it('with the wrong CA: names the caFile in use; the job failure keeps those words', async () => {
    const { err } = await attempt(otherCa.caFile);
    expect(err).toMatchObject({ kind: 'tls', retryable: false });
    expect((err as Error).message).toContain(`not signed by a CA in caFile ${otherCa.caFile}`);
    const failure = describeFailure(err, { connection: 'prod' });
    expect(failure).toMatchObject({ code: 'storage', retryable: false });
    expect(failure.reason).toContain(`caFile ${otherCa.caFile}`);
  });

  it('with a caFile that cannot be read: says which file and why', async () => {
    const missing = join(ca.dir, 'no-such-ca.pem');
    const { err } = await attempt(missing);
    expect(err).toMatchObject({ kind: 'tls', retryable: false });
    expect((err as Error).message).toContain(`cannot read its caFile ${missing} (ENOENT)`);
  });
});
