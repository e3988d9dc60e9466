import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCopyTarget, DirectoryCopyTarget } from '../../../src/storage/index.ts';
import { copyTargetConformance } from './copy-target-conformance.ts';
import { withTempDir } from './helpers.ts';

copyTargetConformance('directory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'snapgate-copy-'));
  // A subdirectory that does not exist yet: put must create it.
  return {
    target: new DirectoryCopyTarget(join(dir, 'copies')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('DirectoryCopyTarget', () => {
  it('is built from config and named by its absolute path', () => {
    expect(createCopyTarget({ type: 'directory', path: '/mnt/offsite' }).id).toBe('directory:/mnt/offsite');
  });

  it('leaves no temp file behind and ignores stray temp files when listing', async () => {
    await withTempDir(async (dir) => {
      const target = new DirectoryCopyTarget(join(dir, 'copy'));
      await writeFile(join(dir, 'src'), 'x');
      await target.put('kong-a-20261121-1000-manual-1.sgb', join(dir, 'src'));
      await writeFile(join(dir, 'copy', '.kong-a-20261121-1000-manual-2.sgb.123-abc.tmp'), 'half');
      expect(await target.list()).toEqual(['kong-a-20261121-1000-manual-1.sgb']);
      expect((await readdir(join(dir, 'copy'))).length).toBe(2);
    });
  });
});
