/**
 * The conformance suite every CopyTarget implementation runs (restic runs one suite against every backend,
 * `internal/backend/test`); the primary is a CopyTarget too, so this is the contract of every store. Call `copyTargetConformance(name, setup)` from the implementation's test file;
 * `setup` returns a fresh, empty target and a cleanup function.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ByteSink, CopyTarget } from '../../../src/storage/index.ts';
import { withTempDir } from './helpers.ts';

const NAME = 'kong-prod-20261121-1000-manual-abcd1234.sgb';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function copyTargetConformance(
  implementation: string,
  setup: () => Promise<{ target: CopyTarget; cleanup: () => Promise<void> }>,
): void {
  describe(`CopyTarget conformance: ${implementation}`, () => {
    const run = (fn: (target: CopyTarget, dir: string) => Promise<void>) => async () => {
      const { target, cleanup } = await setup();
      try {
        await withTempDir((dir) => fn(target, dir));
      } finally {
        await cleanup();
      }
    };

    it(
      'put stores the bytes and reports their sha256; get returns the same bytes',
      run(async (target, dir) => {
        const content = Buffer.from('artifact bytes \u0000\u00ff', 'binary');
        await writeFile(join(dir, 'src'), content);
        const put = await target.put(NAME, join(dir, 'src'));
        expect(put.sha256).toBe(sha(content));
        expect(put.location).toContain(NAME);
        await target.get(NAME, join(dir, 'back'));
        expect(await readFile(join(dir, 'back'))).toEqual(content);
      }),
    );

    it(
      'write stores what the producer writes, in order, and reports its sha256, size and result',
      run(async (target, dir) => {
        const parts = [Buffer.from('SNAPGATE'), Buffer.alloc(300_000, 7), Buffer.from([0, 255])];
        const stored = await target.write(NAME, async (out) => {
          for (const p of parts) await out.write(p);
          return 'produced';
        });
        const whole = Buffer.concat(parts);
        expect(stored).toEqual({
          location: target.location(NAME),
          sha256: sha(whole),
          bytes: whole.length,
          produced: 'produced',
        });
        expect(stored.location).toContain(NAME);
        await target.get(NAME, join(dir, 'back'));
        expect(await readFile(join(dir, 'back'))).toEqual(whole);
      }),
    );

    it(
      'a write whose producer fails leaves nothing new under the name, and an older object whole',
      run(async (target, dir) => {
        const failing = (out: ByteSink) =>
          out.write(Buffer.alloc(100_000, 1)).then(() => {
            throw new Error('dump failed half-way');
          });
        await expect(target.write(NAME, failing)).rejects.toThrow('dump failed half-way');
        expect(await target.exists(NAME)).toBe(false);
        expect(await target.list()).toEqual([]);

        await writeFile(join(dir, 'src'), 'older');
        await target.put(NAME, join(dir, 'src'));
        await expect(target.write(NAME, failing)).rejects.toThrow('dump failed half-way');
        await target.get(NAME, join(dir, 'back'));
        expect(await readFile(join(dir, 'back'), 'utf8')).toBe('older');
        expect(await target.list()).toEqual([NAME]);
      }),
    );

    it(
      'exists and list see stored objects only',
      run(async (target, dir) => {
        expect(await target.exists(NAME)).toBe(false);
        expect(await target.list()).toEqual([]);
        await writeFile(join(dir, 'src'), 'x');
        await target.put(NAME, join(dir, 'src'));
        expect(await target.exists(NAME)).toBe(true);
        expect(await target.list()).toEqual([NAME]);
      }),
    );

    it(
      'put over an existing object replaces it',
      run(async (target, dir) => {
        await writeFile(join(dir, 'one'), 'first');
        await writeFile(join(dir, 'two'), 'second');
        await target.put(NAME, join(dir, 'one'));
        const put = await target.put(NAME, join(dir, 'two'));
        expect(put.sha256).toBe(sha(Buffer.from('second')));
        await target.get(NAME, join(dir, 'back'));
        expect(await readFile(join(dir, 'back'), 'utf8')).toBe('second');
        expect(await target.list()).toEqual([NAME]);
      }),
    );

    it(
      'delete removes the object and is idempotent',
      run(async (target, dir) => {
        await writeFile(join(dir, 'src'), 'x');
        await target.put(NAME, join(dir, 'src'));
        await target.delete(NAME);
        expect(await target.exists(NAME)).toBe(false);
        await target.delete(NAME);
        expect(await target.list()).toEqual([]);
      }),
    );

    it(
      'get of a missing object fails',
      run(async (target, dir) => {
        await expect(target.get(NAME, join(dir, 'back'))).rejects.toThrow();
      }),
    );

    it(
      'refuses names that would leave the target',
      run(async (target, dir) => {
        await writeFile(join(dir, 'src'), 'x');
        for (const bad of ['../escape.sgb', 'a/b.sgb', '..', '']) {
          await expect(target.put(bad, join(dir, 'src'))).rejects.toThrow(/not a valid artifact name/);
          await expect(target.write(bad, async () => undefined)).rejects.toThrow(/not a valid artifact name/);
        }
      }),
    );

    it(
      'probe answers while the store is usable, before and after a write',
      run(async (target) => {
        await target.probe();
        await target.write(NAME, async (out) => out.write(Buffer.from('x')));
        await target.probe();
      }),
    );

    it(
      'has a stable, secret-free id',
      run(async (target) => {
        expect(target.id).toMatch(/^[a-z0-9-]+:/);
      }),
    );
  });
}
