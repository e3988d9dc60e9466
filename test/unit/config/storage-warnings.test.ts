import { describe, expect, it } from 'vitest';
import { storageWarnings } from '../../../src/config/index.ts';
import type { CopyTargetConfig } from '../../../src/config/types.ts';

const dir = (path: string): CopyTargetConfig => ({ type: 'directory', path });
const s3 = (bucket: string, endpoint?: string, prefix = ''): CopyTargetConfig => ({
  type: 's3',
  region: 'eu-west-1',
  bucket,
  prefix,
  forcePathStyle: false,
  credentials: null,
  objectLock: null,
  ...(endpoint ? { endpoint } : {}),
});
const warn = (primary: CopyTargetConfig, ...copies: CopyTargetConfig[]) =>
  storageWarnings({ storage: { primary, copies, allowSingleCopy: false } });

describe('config check storage warnings', () => {
  it.each([
    [
      'one bucket, two prefixes',
      [s3('b', undefined, 'a/'), s3('b', undefined, 'c/')],
      /every copy is in bucket "b" on s3\.eu-west-1\.amazonaws\.com/,
    ],
    [
      'two buckets on one MinIO',
      [s3('b1', 'https://minio:9000'), s3('b2', 'https://minio:9000')],
      /every copy is on one host \(minio:9000\)/,
    ],
    ['directories only', [dir('/a'), dir('/b')], /every copy is a directory on this machine/],
  ])('warns: %s', (_name, [primary, ...copies], expected) => {
    expect(warn(primary!, ...copies)).toEqual([expect.stringMatching(expected)]);
  });

  it.each([
    ['a directory and a bucket', [dir('/a'), s3('b')]],
    ['two hosts', [s3('b', 'https://minio-a:9000'), s3('b', 'https://minio-b:9000')]],
    ['a single target (allowSingleCopy)', [dir('/a')]],
  ])('stays quiet: %s', (_name, [primary, ...copies]) => {
    expect(warn(primary!, ...copies)).toEqual([]);
  });
});
