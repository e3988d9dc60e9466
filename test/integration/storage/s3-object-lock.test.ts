/**
 * S3 Object Lock, server-side encryption and storage class.
 *
 * NOTE — what is and is not proven here: s3rver (the locally runnable S3-compatible server these tests
 * use; Debian bookworm packages no MinIO, and no other server from npm or Debian that runs here implements
 * Object Lock) accepts the Object Lock, SSE and storage-class headers and ignores them. So the first tests
 * check the REQUEST PARAMETERS snapgate sends (recorded by a proxy in front of the server), not a store
 * enforcing them; the prune tests check that snapgate itself never deletes before the lock date, using the
 * date it computes when the store does not report one.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneConnection } from '../../../src/app/index.ts';
import { S3CopyTarget } from '../../../src/storage/index.ts';
import {
  type FaultProxy,
  S3_ACCESS_KEY,
  S3_SECRET_KEY,
  type S3Server,
  s3Config,
  startFaultProxy,
  startS3Server,
} from '../../support/s3-server.ts';
import { createRestoreEnv, type RestoreEnv, takeBackup } from '../restore/harness.ts';

const NAME = 'kong-prod-20261121-1000-manual-abcd1234.sgb';
let server: S3Server;
let proxy: FaultProxy;

beforeAll(async () => {
  server = await startS3Server();
  proxy = await startFaultProxy(server.port);
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

describe('request parameters sent (s3rver does not enforce them)', () => {
  it.each([
    ['governance', 'GOVERNANCE'],
    ['compliance', 'COMPLIANCE'],
  ] as const)(
    'objectLock mode %s: the upload carries the mode and the retention date',
    async (mode, header) => {
      const bucket = `sg-${randomBytes(5).toString('hex')}`;
      await server.createBucket(bucket);
      const until = new Date('2027-01-05T10:00:00.000Z');
      const target = new S3CopyTarget(
        s3Config(proxy.endpoint, bucket, {
          objectLock: { mode, retain: '30d' },
          storageClass: 'STANDARD_IA',
          serverSideEncryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/snapgate' },
        }),
        { retainUntil: (name) => (name === NAME ? until : null) },
      );
      proxy.requests.length = 0;
      await target.write(NAME, async (out) => {
        for (let i = 0; i < 10; i++) await out.write(Buffer.alloc(1 << 20, i)); // multipart: 8 + 2 MiB
      });
      const create = proxy.requests.find((r) => r.method === 'POST' && r.query.includes('uploads'));
      expect(create?.amz).toMatchObject({
        'x-amz-object-lock-mode': header,
        'x-amz-object-lock-retain-until-date': '2027-01-05T10:00:00Z',
        'x-amz-storage-class': 'STANDARD_IA',
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': 'alias/snapgate',
      });
      await target.close();
    },
  );

  it('SSE-S3 (AES256) on a small object (one PUT)', async () => {
    const bucket = `sg-${randomBytes(5).toString('hex')}`;
    await server.createBucket(bucket);
    const target = new S3CopyTarget(
      s3Config(proxy.endpoint, bucket, { serverSideEncryption: { algorithm: 'AES256' } }),
    );
    proxy.requests.length = 0;
    await target.write(NAME, (out) => out.write(Buffer.from('small')));
    const put = proxy.requests.find((r) => r.method === 'PUT');
    expect(put?.amz).toMatchObject({ 'x-amz-server-side-encryption': 'AES256' });
    expect(put?.amz['x-amz-object-lock-mode']).toBeUndefined();
    await target.close();
  });
});

describe('prune and Object Lock (the lock date computed by snapgate: s3rver reports none)', () => {
  let t: RestoreEnv;
  const bucket = `sg-lock-${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    await server.createBucket(bucket);
    t = await createRestoreEnv({
      primary: `{ type: s3, endpoint: "${server.endpoint}", region: us-east-1, bucket: ${bucket}, forcePathStyle: true, objectLock: { mode: governance, retain: 30d }, credentials: { accessKeyIdEnv: S3_KEY_ID, secretAccessKeyEnv: S3_SECRET } }`,
      env: { S3_KEY_ID: S3_ACCESS_KEY, S3_SECRET: S3_SECRET_KEY },
      connectionExtra: 'retention: { keepWithin: 1h }',
    });
  }, 60_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it('keeps a locked backup with the date (dry run too), and removes it on the first prune after the date', async () => {
    const first = t.backup;
    await t.kong('PATCH', '/services/orders', { port: 8181 });
    t.clock.advance(3 * 3_600_000);
    await takeBackup(t.services);

    const dry = await pruneConnection(t.services, 'prod', { dryRun: true });
    const kept = dry.decisions.find((d) => d.backupId === first.id)!;
    expect(kept.action).toBe('keep');
    expect(kept.reasons[0]).toMatch(/^object lock until 20\d\d-\d\d-\d\dT.*Z \(primary\)$/);
    const until = new Date(kept.reasons[0]!.slice('object lock until '.length, -' (primary)'.length));
    expect(until.getTime()).toBeGreaterThan(t.services.now().getTime() + 29 * 86_400_000);

    const real = await pruneConnection(t.services, 'prod');
    expect(real.deletedArtifacts).toEqual([]);
    expect(await t.services.primary.exists(first.artifactName!)).toBe(true);

    t.clock.advance(40 * 86_400_000);
    const after = await pruneConnection(t.services, 'prod');
    expect(after.decisions.find((d) => d.backupId === first.id)?.action).toBe('remove');
    expect(after.deletedArtifacts).toEqual([first.artifactName]);
    expect(await t.services.primary.exists(first.artifactName!)).toBe(false);
  });
});
