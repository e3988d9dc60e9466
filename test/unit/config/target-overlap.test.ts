/**
 * Issue 18 §5: a copy in the same place as the primary (the same directory, inside it, around it, the same
 * bucket and prefix or an overlapping prefix) is one copy, not two; the config refuses it with the reason.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.ts';

const KEY_HEX = 'a'.repeat(64);

function yaml(primary: string, copies: string[]): string {
  return `connections:
  - name: prod
    kongUrl: http://kong:8001
    tokenEnv: KONG_TOKEN
    environment: prod
storage:
  primary: ${primary}
  copies:
${copies.map((c) => `    - ${c}`).join('\n')}
keys:
  - { id: k1, env: KEY_1, current: true }
database: { path: snap.db }
`;
}

async function problemsOf(text: string): Promise<string[]> {
  const err = await loadConfig({
    path: '/etc/snapgate/snapgate.yml',
    env: { KONG_TOKEN: 't', KEY_1: KEY_HEX },
    readFile: async () => text,
  }).catch((e: unknown) => e);
  if (!(err instanceof ConfigError)) return [];
  return err.problems.map((p) => `${p.path}: ${p.message}`);
}

const dir = (path: string) => `{ type: directory, path: ${path} }`;
const s3 = (bucket: string, prefix: string, endpoint = '') =>
  `{ type: s3, region: eu-west-1, bucket: ${bucket}, prefix: '${prefix}'${endpoint ? `, endpoint: ${endpoint}` : ''} }`;

describe('storage targets that share a place are refused', () => {
  it.each([
    [
      'the primary itself',
      '/data/backups',
      [dir('/data/backups/')],
      /^storage\.copies\[0\]\.path: "\/data\/backups" is the same place as storage\.primary \("\/data\/backups"\); two targets in one place are one copy/,
    ],
    [
      'the primary, written relatively',
      '/etc/snapgate/artifacts',
      [dir('./artifacts/../artifacts')],
      /^storage\.copies\[0\]\.path: .* is the same place as storage\.primary/,
    ],
    [
      'inside the primary',
      '/data/backups',
      [dir('/data/backups/offsite')],
      /^storage\.copies\[0\]\.path: "\/data\/backups\/offsite" is inside storage\.primary/,
    ],
    [
      'around the primary',
      '/data/backups',
      [dir('/data')],
      /^storage\.copies\[0\]\.path: "\/data" contains storage\.primary/,
    ],
    [
      'inside another copy',
      '/data/backups',
      [dir('/mnt/a'), dir('/mnt/a/b')],
      /^storage\.copies\[1\]\.path: "\/mnt\/a\/b" is inside storage\.copies\[0\]/,
    ],
    [
      'the same bucket and prefix',
      s3('backups', 'snapgate'),
      [s3('backups', 'snapgate/')],
      /^storage\.copies\[0\]\.prefix: s3 bucket "backups" prefix "snapgate\/" is the same place as storage\.primary/,
    ],
    [
      'a prefix inside the primary prefix',
      s3('backups', 'snapgate/'),
      [s3('backups', 'snapgate/copy/')],
      /^storage\.copies\[0\]\.prefix: .* is inside storage\.primary/,
    ],
    [
      'the whole bucket around a prefix',
      s3('backups', 'snapgate/'),
      [s3('backups', '')],
      /^storage\.copies\[0\]\.prefix: .* contains storage\.primary/,
    ],
    [
      'the same bucket on the same endpoint',
      s3('backups', 'a/', 'https://MINIO.example:9000/'),
      [s3('backups', 'a/', 'https://minio.example:9000')],
      /is the same place as storage\.primary/,
    ],
  ])('%s', async (_name, primary, copies, expected) => {
    expect(await problemsOf(yaml(primary, copies))).toEqual([expect.stringMatching(expected)]);
  });

  it.each([
    ['a sibling directory with a common name start', '/data/backups', [dir('/data/backups-offsite')]],
    ['another prefix in the same bucket', s3('backups', 'primary/'), [s3('backups', 'copy/')]],
    [
      'the same bucket name on another endpoint',
      s3('backups', 'a/', 'https://one.example'),
      [s3('backups', 'a/', 'https://two.example')],
    ],
    ['a directory and a bucket', '/data/backups', [s3('backups', '')]],
  ])('accepts %s', async (_name, primary, copies) => {
    expect(await problemsOf(yaml(primary, copies))).toEqual([]);
  });

  it('follows symlinks: a copy reached through a link into the primary is refused', async () => {
    const root = mkdtempSync(join(tmpdir(), 'snapgate-overlap-'));
    try {
      mkdirSync(join(root, 'primary'));
      symlinkSync(join(root, 'primary'), join(root, 'link'));
      const path = join(root, 'snapgate.yml');
      writeFileSync(path, yaml(join(root, 'primary'), [dir(join(root, 'link', 'copy'))]));
      const err = await loadConfig({ path, env: { KONG_TOKEN: 't', KEY_1: KEY_HEX } }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toMatch(
        /storage\.copies\[0\]\.path: .*link\/copy" is inside storage\.primary/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
