/**
 * End to end with an S3 primary (a real s3rver) and a directory copy: the backup job streams the artifact
 * into the bucket and copies it to the directory; with the primary object deleted, verify names it and a
 * restore still succeeds from the directory copy, saying which copy it read.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveRestore, requestRestore, verifyBackup } from '../../../src/app/index.ts';
import { S3CopyTarget } from '../../../src/storage/index.ts';
import { S3_ACCESS_KEY, S3_SECRET_KEY, type S3Server, startS3Server } from '../../support/s3-server.ts';
import {
  APPROVER,
  authorize,
  awaitingApproval,
  breakGateway,
  createRestoreEnv,
  driftFrom,
  FINAL,
  REQUESTER,
  type RestoreEnv,
  waitForRestore,
} from '../restore/harness.ts';

let server: S3Server;
let t: RestoreEnv;
const bucket = `sg-e2e-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  server = await startS3Server();
  await server.createBucket(bucket);
  t = await createRestoreEnv({
    primary: `{ type: s3, endpoint: "${server.endpoint}", region: us-east-1, bucket: ${bucket}, prefix: prod, forcePathStyle: true, credentials: { accessKeyIdEnv: S3_KEY_ID, secretAccessKeyEnv: S3_SECRET } }`,
    env: { S3_KEY_ID: S3_ACCESS_KEY, S3_SECRET: S3_SECRET_KEY },
  });
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
  await server?.close();
});

describe('a backup with an S3 primary and a directory copy', () => {
  it('is stored in the bucket and the directory, verified per copy', async () => {
    const copies = await t.services.repos.backups.listCopies(t.backup.id);
    expect(copies.map((c) => c.target).sort()).toEqual([
      expect.stringMatching(/^directory:.*offsite$/),
      'primary',
    ]);
    expect(copies.find((c) => c.target === 'primary')!.location).toBe(
      `s3://${bucket}/prod/${t.backup.artifactName}`,
    );
    expect(copies.every((c) => c.sha256 === t.backup.sha256)).toBe(true);
    expect(t.services.primary).toBeInstanceOf(S3CopyTarget);
    expect(await t.services.primary.list()).toEqual([t.backup.artifactName]);
    const report = await verifyBackup(t.services, t.backup.id);
    expect(report.ok).toBe(true);
    expect(report.copies.map((c) => c.target).sort()).toEqual(copies.map((c) => c.target).sort());
  });

  it('with the primary object deleted, verify names it and a restore succeeds from the copy', async () => {
    await t.services.primary.delete(t.backup.artifactName!);
    const report = await verifyBackup(t.services, t.backup.id);
    expect(report.ok).toBe(false);
    expect(report.copies.find((c) => c.target === 'primary')).toMatchObject({
      ok: false,
      problem: `missing: s3://${bucket}/prod/${t.backup.artifactName}`,
    });
    expect(report.copies.find((c) => c.target !== 'primary')!.ok).toBe(true);

    await breakGateway(t);
    const { restore } = await requestRestore(t.services, {
      connection: 'prod',
      backup: { kind: 'id', id: t.backup.id },
      reason: 'primary bucket lost an object',
      requestedBy: REQUESTER,
    });
    const planned = await awaitingApproval(t.services, restore);
    const offsite = (await t.services.repos.backups.listCopies(t.backup.id)).find(
      (c) => c.target !== 'primary',
    )!;
    expect(planned.planSummary).toMatchObject({
      readFrom: {
        target: offsite.target,
        problems: ['primary: missing (s3://' + `${bucket}/prod/${t.backup.artifactName})`],
      },
    });
    const decided = await approveRestore(t.services, {
      restoreId: restore.id,
      approver: APPROVER,
      authorize,
    });
    expect(decided.ok).toBe(true);
    const done = await waitForRestore(t.services, restore.id, FINAL, 60_000);
    expect(done.status).toBe('completed');
    expect((await driftFrom(t.services, t.backup)).steps).toEqual([]);
  });
});
