/**
 * `storage sync`: an S3 copy target added to the config after backups were taken gets every live artifact,
 * recorded on each backup; a second run copies nothing; verify then checks the new copy too.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncProgress, syncStorage, UnknownTargetError, verifyBackup } from '../../../src/app/index.ts';
import { S3_ACCESS_KEY, S3_SECRET_KEY, type S3Server, startS3Server } from '../../support/s3-server.ts';
import { createRestoreEnv, type RestoreEnv, takeBackup } from '../restore/harness.ts';

let server: S3Server;
let t: RestoreEnv;
const bucket = `sg-sync-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  server = await startS3Server();
  await server.createBucket(bucket);
  t = await createRestoreEnv({ env: { S3_KEY_ID: S3_ACCESS_KEY, S3_SECRET: S3_SECRET_KEY } });
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
  await server?.close();
});

describe('storage sync to a newly added S3 target', () => {
  it('copies what the target lacks, records it, and is idempotent', async () => {
    await t.kong('PATCH', '/services/orders', { port: 8282 });
    const second = await takeBackup(t.services);
    await t.env.reload((yaml) =>
      yaml.replace(
        '  copies:\n',
        `  copies:\n    - { type: s3, name: offsite-s3, endpoint: "${server.endpoint}", region: us-east-1, bucket: ${bucket}, forcePathStyle: true, credentials: { accessKeyIdEnv: S3_KEY_ID, secretAccessKeyEnv: S3_SECRET } }\n`,
      ),
    );
    const services = await t.env.open();
    await expect(syncStorage(services, { target: 'nowhere' })).rejects.toBeInstanceOf(UnknownTargetError);

    const progress: SyncProgress[] = [];
    const [report] = await syncStorage(services, {
      target: 'offsite-s3',
      onProgress: (p) => progress.push(p),
    });
    expect(report).toMatchObject({ copied: 2, recorded: 0, present: 0, failed: [] });
    expect(progress.map((p) => [p.index, p.total, p.outcome])).toEqual([
      [1, 2, 'copied'],
      [2, 2, 'copied'],
    ]);
    const s3 = services.copyTargets[0]!;
    expect(await s3.list()).toEqual([t.backup.artifactName, second.artifactName].sort());

    for (const b of [t.backup, second]) {
      const copies = await services.repos.backups.listCopies(b.id);
      expect(copies.find((c) => c.target === s3.id)).toMatchObject({
        location: `s3://${bucket}/${b.artifactName}`,
        sha256: b.sha256,
      });
      const verified = await verifyBackup(services, b.id);
      expect(verified.copies.map((c) => [c.target, c.ok]).sort()).toEqual(
        [
          ['primary', true],
          [s3.id, true],
          [expect.stringMatching(/^directory:.*offsite$/), true],
        ].sort(),
      );
    }

    const [again] = await syncStorage(services);
    expect(again).toMatchObject({ target: s3.id, copied: 0, recorded: 0, present: 2, failed: [] });
  });
});
