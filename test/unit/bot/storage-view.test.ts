/**
 * `/kong show <connection>`'s storage view: each target's place — a directory's path, an S3 target's
 * `s3://bucket/prefix` and endpoint host — and the newest verification per target, never the credentials.
 */
import { describe, expect, it } from 'vitest';
import { storageOverview } from '../../../src/app/index.ts';
import type { BackupCopy } from '../../../src/app/ports/records.ts';
import { storageMessage } from '../../../src/bot/views/storage.ts';
import { Secret } from '../../../src/config/index.ts';
import type { StorageConfig } from '../../../src/config/types.ts';

const storage: StorageConfig = {
  primary: {
    type: 's3',
    name: 'main-bucket',
    endpoint: 'https://minio.internal:9000',
    region: 'eu-west-1',
    bucket: 'snapgate-prod',
    prefix: 'kong/',
    forcePathStyle: true,
    credentials: {
      accessKeyId: new Secret('AKIA-ID-DO-NOT-LEAK'),
      secretAccessKey: new Secret('secret-key-do-not-leak'),
    },
    objectLock: null,
  },
  copies: [
    { type: 'directory', path: '/mnt/offsite/snapgate' },
    {
      type: 's3',
      region: 'us-east-2',
      bucket: 'snapgate-dr',
      prefix: '',
      forcePathStyle: false,
      credentials: null,
      objectLock: { mode: 'compliance' },
    },
  ],
  allowSingleCopy: false,
};

const checked = (target: string, ok: boolean, problem: string | null = null): BackupCopy => ({
  backupId: 'b-1',
  target,
  location: `${target}/x.sgb`,
  sha256: 'a'.repeat(64),
  createdAt: new Date('2026-12-01T10:00:00Z'),
  verifiedAt: new Date('2026-12-02T03:00:00Z'),
  verifyOk: ok,
  verifyProblem: problem,
});

describe('storage overview and its Slack view', () => {
  it('names every target with its place and last check, and a recorded target the config dropped', async () => {
    const views = await storageOverview(
      {
        storage,
        copyTargetIds: ['directory:/mnt/offsite/snapgate', 's3:s3.us-east-2.amazonaws.com/snapgate-dr/'],
        backups: {
          latestCopyChecks: async () => [
            checked('primary', true),
            checked('directory:/mnt/offsite/snapgate', false, 'missing: /mnt/offsite/snapgate/x.sgb'),
            checked('directory:/mnt/old', true),
          ],
        },
      },
      'prod',
    );
    expect(views.map((v) => [v.recordName, v.place?.location ?? null, v.place?.host ?? null])).toEqual([
      ['primary', 's3://snapgate-prod/kong/', 'minio.internal:9000'],
      ['directory:/mnt/offsite/snapgate', '/mnt/offsite/snapgate', 'this machine'],
      ['s3:s3.us-east-2.amazonaws.com/snapgate-dr/', 's3://snapgate-dr/', 's3.us-east-2.amazonaws.com'],
      ['directory:/mnt/old', null, null],
    ]);
    expect(views.map((v) => v.lastCheck?.ok ?? null)).toEqual([true, false, null, true]);

    const message = storageMessage('prod', views);
    const text = JSON.stringify(message);
    expect(text).toContain('*primary* (main-bucket)');
    expect(text).toContain('`s3://snapgate-prod/kong/` at `minio.internal:9000`');
    expect(text).toContain('`s3://snapgate-dr/` at `s3.us-east-2.amazonaws.com`');
    expect(text).toContain('verify failed');
    expect(text).toContain('missing: /mnt/offsite/snapgate/x.sgb');
    expect(text).toContain('not verified yet');
    expect(text).toContain('no longer in the config');
    expect(text).toContain('3 targets');
    for (const secret of ['AKIA-ID-DO-NOT-LEAK', 'secret-key-do-not-leak'])
      expect(text).not.toContain(secret);
  });
});
