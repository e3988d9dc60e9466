import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Entity, Snapshot } from '../../../src/core/index.ts';
import {
  ArtifactIntegrityError,
  ArtifactKeyError,
  type CopyTarget,
  DirectoryCopyTarget,
  KeyRing,
  openArtifact,
  parseArtifactName,
  readArtifactHeader,
  verifyArtifactFile,
  writeArtifact,
} from '../../../src/storage/index.ts';
import { KEY_A, KNOWN_KEY_AUTH_KEY, ringA, sampleSnapshot, sampleWriter, withTempDir } from './helpers.ts';

const base = {
  backupId: '3F2A9C1D-7B44-4E0A-9C1D-000000000001',
  connection: 'prod-eu',
  environment: 'prod',
  type: 'manual' as const,
  createdAt: '2026-11-21T10:07:33.000Z',
};
const write = sampleWriter(base);

function frameOffsets(bytes: Buffer) {
  const headerLength = bytes.readUInt32BE(10);
  const keyStart = 14 + headerLength;
  const dataStart = keyStart + 4 + bytes.readUInt32BE(keyStart);
  return { headerStart: 14, headerLength, keyStart, dataStart, tagStart: bytes.length - 16 };
}

describe('writeArtifact / openArtifact', () => {
  it.each(['brotli-blocks', 'brotli', 'gzip'] as const)(
    'round-trips a snapshot (%s) and names the file by the layout',
    async (compression) => {
      await withTempDir(async (dir) => {
        const snapshot = sampleSnapshot();
        const written = await writeArtifact({
          ...base,
          snapshot,
          keyRing: ringA(),
          primary: new DirectoryCopyTarget(dir),
          compression,
        });
        expect(written.name).toBe('kong-prod-eu-20261121-1007-manual-3f2a9c1d.sgb');
        expect(parseArtifactName(written.name)).toEqual({
          gateway: 'kong',
          connection: 'prod-eu',
          stamp: '20261121-1007',
          type: 'manual',
          shortId: '3f2a9c1d',
          rewrite: 0,
        });
        // a rewrite (gdpr erase) of the same backup: the same name with `-r<n>`
        const rewritten = 'kong-prod-eu-20261121-1007-manual-3f2a9c1d-r2.sgb';
        expect(parseArtifactName(rewritten)).toMatchObject({ shortId: '3f2a9c1d', rewrite: 2 });
        expect(written.path).toBe(join(dir, written.name));
        expect(written.keyId).toBe('key-a');
        expect(written.bytes).toBe((await readFile(written.path)).length);

        const opened = await openArtifact(written.path, ringA());
        expect(opened.snapshot).toEqual(snapshot);
        expect(opened.header).toMatchObject({
          formatVersion: 2,
          backupId: base.backupId,
          connection: 'prod-eu',
          environment: 'prod',
          type: 'manual',
          createdAt: base.createdAt,
          kongVersion: '3.9.1',
          counts: snapshot.meta.counts,
          keyId: 'key-a',
          compression,
          plaintextSha256: written.plaintextSha256,
        });
      });
    },
  );

  it('takes createdAt from the injected clock when not given', async () => {
    await withTempDir(async (dir) => {
      const { createdAt: _omit, ...rest } = base;
      const written = await writeArtifact({
        ...rest,
        type: 'scheduled',
        snapshot: sampleSnapshot(),
        keyRing: ringA(),
        primary: new DirectoryCopyTarget(dir),
        clock: () => new Date('2027-01-02T03:04:05Z'),
      });
      expect(written.name).toBe('kong-prod-eu-20270102-0304-scheduled-3f2a9c1d.sgb');
      expect((await readArtifactHeader(written.path)).createdAt).toBe('2027-01-02T03:04:05.000Z');
    });
  });

  it('keys entities by id when reading, an id `__proto__` as an own key (not the map prototype)', async () => {
    await withTempDir(async (dir) => {
      const snapshot = sampleSnapshot();
      const odd = { id: '__proto__', username: 'proto', custom_id: null };
      Object.defineProperty(snapshot.entities.consumers!, '__proto__', {
        value: odd,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      const written = await writeArtifact({
        ...base,
        snapshot,
        keyRing: ringA(),
        primary: new DirectoryCopyTarget(dir),
      });
      const consumers = (await openArtifact(written.path, ringA())).snapshot.entities.consumers!;
      expect(Object.getPrototypeOf(consumers)).toBe(Object.prototype);
      expect(Object.keys(consumers).sort()).toEqual(['__proto__', 'c-1']);
      expect(Object.getOwnPropertyDescriptor(consumers, '__proto__')?.value).toEqual(odd);
      expect(consumers['c-1']).toEqual(snapshot.entities.consumers!['c-1']);
    });
  });

  it('gives equal content the same plaintext sha256 whatever order kinds and ids were dumped in', async () => {
    await withTempDir(async (dir) => {
      const a = sampleSnapshot();
      const b = sampleSnapshot();
      // the same entities, inserted in reverse order at both levels
      b.entities = Object.fromEntries(
        Object.entries(a.entities)
          .reverse()
          .map(([k, m]) => [k, Object.fromEntries(Object.entries(m ?? {}).reverse())]),
      ) as typeof b.entities;
      const wa = await writeArtifact({
        ...base,
        snapshot: a,
        keyRing: ringA(),
        primary: new DirectoryCopyTarget(dir),
      });
      const wb = await writeArtifact({
        ...base,
        backupId: 'second-1',
        snapshot: b,
        keyRing: ringA(),
        primary: new DirectoryCopyTarget(dir),
      });
      expect(wa.plaintextSha256).toBe(wb.plaintextSha256);
      expect(wa.sha256).not.toBe(wb.sha256); // fresh data key and nonces
    });
  });

  it('gives backups of unchanged config the same contentSha256 even when taken at different times', async () => {
    await withTempDir(async (dir) => {
      const later = sampleSnapshot();
      later.meta.takenAt = '2026-11-22T10:00:00.000Z';
      const changed = sampleSnapshot();
      changed.entities.services!['s-1']!.port = 9090;
      const [a, b, c] = await Promise.all(
        [sampleSnapshot(), later, changed].map((snapshot, i) =>
          writeArtifact({
            ...base,
            backupId: `b${i}`,
            snapshot,
            keyRing: ringA(),
            primary: new DirectoryCopyTarget(dir),
          }),
        ),
      );
      expect(a!.plaintextSha256).not.toBe(b!.plaintextSha256);
      expect(a!.contentSha256).toBe(b!.contentSha256);
      expect(c!.contentSha256).not.toBe(a!.contentSha256);
      expect((await readArtifactHeader(b!.path)).contentSha256).toBe(a!.contentSha256);
    });
  });

  it('reads the header without any key', async () => {
    await withTempDir(async (dir) => {
      const written = await write(dir);
      const header = await readArtifactHeader(written.path);
      expect(header.backupId).toBe(base.backupId);
      expect(header.key.keyId).toBe('key-a');
      expect(Buffer.from(header.key.wrappedKey, 'base64').length).toBe(32);
      expect(Buffer.from(header.dataNonce, 'base64').length).toBe(12);
    });
  });

  it('leaves no plaintext secret, key or entity name in the file', async () => {
    await withTempDir(async (dir) => {
      const written = await write(dir);
      const bytes = await readFile(written.path);
      const needles = [
        KNOWN_KEY_AUTH_KEY,
        'BEGIN PRIVATE KEY',
        'orders.internal',
        'alice',
        KEY_A.toString('hex'),
        KEY_A.toString('base64'),
      ];
      for (const needle of needles) expect(bytes.includes(Buffer.from(needle)), needle).toBe(false);
      expect(bytes.includes(KEY_A)).toBe(false);
    });
  });

  it('leaves exactly one file (no temp files) in the primary directory', async () => {
    await withTempDir(async (dir) => {
      const written = await write(dir);
      expect(await readdir(dir)).toEqual([basename(written.path)]);
    });
  });
});

describe('tampering and keys', () => {
  type Region = 'header' | 'key block' | 'data' | 'tag';
  const flip = async (path: string, region: Region) => {
    const bytes = await readFile(path);
    const o = frameOffsets(bytes);
    const at = {
      // a character inside the connection name value, so the header still parses as JSON
      header: bytes.indexOf(Buffer.from('prod-eu')) + 2,
      'key block': bytes.indexOf(Buffer.from('"wrappedKey":"'), o.keyStart) + 16,
      data: o.dataStart + Math.floor((o.tagStart - o.dataStart) / 2),
      tag: o.tagStart + 3,
    }[region];
    bytes[at] = bytes[at]! ^ (region === 'header' || region === 'key block' ? 0x01 : 0x40);
    await writeFile(path, bytes);
  };

  it.each<Region>(['header', 'key block', 'data', 'tag'])(
    'a flipped %s byte → ArtifactIntegrityError',
    async (region) => {
      await withTempDir(async (dir) => {
        const written = await write(dir);
        await flip(written.path, region);
        const err = await openArtifact(written.path, ringA()).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ArtifactIntegrityError);
        expect((err as Error).message).toContain(written.path);
        const verified = await verifyArtifactFile(written.path, ringA(), written.sha256);
        expect(verified.ok).toBe(false);
        expect(verified.problems[0]).toMatch(/^sha256 mismatch/);
        expect(verified.problems.length).toBe(2);
      });
    },
  );

  it('a truncated file → ArtifactIntegrityError', async () => {
    await withTempDir(async (dir) => {
      const written = await write(dir);
      const bytes = await readFile(written.path);
      await writeFile(written.path, bytes.subarray(0, frameOffsets(bytes).dataStart + 5));
      await expect(openArtifact(written.path, ringA())).rejects.toBeInstanceOf(ArtifactIntegrityError);
    });
  });

  it('a file that is not an artifact → ArtifactIntegrityError', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'x.sgb'), 'just some text that is long enough to have a header');
      await expect(readArtifactHeader(join(dir, 'x.sgb'))).rejects.toThrow(/not a snapgate artifact/);
    });
  });

  it.each([
    [
      'the key id is missing from the ring',
      KeyRing.of([{ id: 'other', key: KEY_A, current: true }]),
      /key "key-a", which is not in the key ring \(have: other\)/,
    ],
    [
      'the ring has different key material under that id',
      KeyRing.of([{ id: 'key-a', key: Buffer.alloc(32, 9), current: true }]),
      /key "key-a" is not the key/,
    ],
  ])('%s → ArtifactKeyError naming the key id', async (_name, ring, message) => {
    await withTempDir(async (dir) => {
      const written = await write(dir);
      const err = await openArtifact(written.path, ring).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ArtifactKeyError);
      expect((err as ArtifactKeyError).keyId).toBe('key-a');
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain(KEY_A.toString('hex'));
    });
  });
});

describe('verifyArtifactFile', () => {
  it('passes a good artifact and reports its sha256', async () => {
    await withTempDir(async (dir) => {
      const written = await write(dir);
      expect(await verifyArtifactFile(written.path, ringA(), written.sha256)).toMatchObject({
        ok: true,
        problems: [],
        sha256: written.sha256,
      });
    });
  });

  it('reports a missing file', async () => {
    const result = await verifyArtifactFile('/nonexistent/kong-x.sgb', ringA());
    expect(result).toEqual({ ok: false, problems: ['missing: /nonexistent/kong-x.sgb (ENOENT)'] });
  });

  it('reports content that decrypts but is not a snapshot', async () => {
    await withTempDir(async (dir) => {
      const notASnapshot = { meta: { format: 99 }, entities: {} } as unknown as ReturnType<
        typeof sampleSnapshot
      >;
      notASnapshot.meta.kongVersion = '3.9.1';
      notASnapshot.meta.counts = {};
      const written = await writeArtifact({
        ...base,
        snapshot: notASnapshot,
        keyRing: ringA(),
        primary: new DirectoryCopyTarget(dir),
      });
      const result = await verifyArtifactFile(written.path, ringA(), written.sha256);
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([expect.stringMatching(/^snapshot does not parse: meta\.format: /)]);
    });
  });
});

describe('copies', () => {
  it('copies to every target and records each copy with its sha256', async () => {
    await withTempDir(async (dir) => {
      const targets = [
        new DirectoryCopyTarget(join(dir, 'copy-1')),
        new DirectoryCopyTarget(join(dir, 'copy-2')),
      ];
      const written = await writeArtifact({
        ...base,
        snapshot: sampleSnapshot(),
        keyRing: ringA(),
        primary: new DirectoryCopyTarget(join(dir, 'primary')),
        copyTargets: targets,
      });
      expect(written.copies).toEqual([
        {
          target: `directory:${join(dir, 'copy-1')}`,
          path: join(dir, 'copy-1', written.name),
          sha256: written.sha256,
        },
        {
          target: `directory:${join(dir, 'copy-2')}`,
          path: join(dir, 'copy-2', written.name),
          sha256: written.sha256,
        },
      ]);
      for (const copy of written.copies)
        expect(await readFile(copy.path)).toEqual(await readFile(written.path));
    });
  });
});

describe('copy failure', () => {
  it('removes the primary file and earlier copies when a copy target fails, then throws', async () => {
    await withTempDir(async (dir) => {
      const good = new DirectoryCopyTarget(join(dir, 'good'));
      const failing: CopyTarget = {
        id: 'directory:/unwritable',
        location: (name) => `/unwritable/${name}`,
        write: async () => {
          throw new Error('EACCES: permission denied');
        },
        put: async () => {
          throw new Error('EACCES: permission denied');
        },
        get: async () => undefined,
        exists: async () => false,
        delete: async () => undefined,
        list: async () => [],
        probe: async () => {
          throw new Error('EACCES: permission denied');
        },
      };
      const primaryDir = join(dir, 'primary');
      await expect(write(primaryDir, { copyTargets: [good, failing] })).rejects.toThrow('EACCES');
      expect(await readdir(primaryDir)).toEqual([]);
      expect(await good.list()).toEqual([]);
    });
  });
});

/** A target that can only be reached through its interface (no local path), like a remote store. */
function fetchOnly(inner: DirectoryCopyTarget, log: string[]): CopyTarget {
  return {
    id: `fetch-only:${inner.dir}`,
    location: (name) => `fetch-only://${name}`,
    async write(name, produce) {
      log.push(`write ${name}`);
      return { ...(await inner.write(name, produce)), location: `fetch-only://${name}` };
    },
    put: (name, path) => inner.put(name, path),
    probe: () => inner.probe(),
    get(name, dest) {
      log.push(`get ${name}`);
      return inner.get(name, dest);
    },
    exists: (name) => inner.exists(name),
    delete(name) {
      log.push(`delete ${name}`);
      return inner.delete(name);
    },
    list: () => inner.list(),
  };
}

describe('a primary that is not a directory', () => {
  it('is written through its target, read back through it, and the copies are made from what was read', async () => {
    await withTempDir(async (dir) => {
      const log: string[] = [];
      const store = new DirectoryCopyTarget(join(dir, 'store'));
      const copy = new DirectoryCopyTarget(join(dir, 'copy'));
      const primary = fetchOnly(store, log);
      const written = await writeArtifact({
        ...base,
        snapshot: sampleSnapshot(),
        keyRing: ringA(),
        primary,
        copyTargets: [copy],
      });
      expect(log).toEqual([`write ${written.name}`, `get ${written.name}`]);
      expect(written.path).toBe(`fetch-only://${written.name}`);
      expect(written.copies).toEqual([
        { target: copy.id, path: join(dir, 'copy', written.name), sha256: written.sha256 },
      ]);
      expect(await readFile(join(dir, 'copy', written.name))).toEqual(
        await readFile(join(dir, 'store', written.name)),
      );
      expect((await openArtifact(join(dir, 'copy', written.name), ringA())).snapshot).toEqual(
        (await openArtifact(join(dir, 'store', written.name), ringA())).snapshot,
      );
      // the fetched temp file is gone again
      expect((await readdir(dir)).sort()).toEqual(['copy', 'store']);
    });
  });

  it('is removed through its target when a copy fails', async () => {
    await withTempDir(async (dir) => {
      const log: string[] = [];
      const primary = fetchOnly(new DirectoryCopyTarget(join(dir, 'store')), log);
      const failing = new DirectoryCopyTarget(join(dir, 'copy'));
      failing.put = async () => {
        throw new Error('ENOSPC: no space left on device');
      };
      await expect(
        writeArtifact({
          ...base,
          snapshot: sampleSnapshot(),
          keyRing: ringA(),
          primary,
          copyTargets: [failing],
        }),
      ).rejects.toThrow('ENOSPC');
      expect(log.filter((l) => l.startsWith('delete'))).toHaveLength(1);
      expect(await primary.list()).toEqual([]);
    });
  });
});

describe('artifact serialization', () => {
  const many = (): Snapshot => {
    const s = sampleSnapshot();
    // more entities than one chunk holds (2000), so chunk boundaries are crossed
    const consumers: Record<string, Entity> = {};
    for (let i = 0; i < 4500; i++) {
      const id = `c-${String(i).padStart(5, '0')}`;
      consumers[id] = { username: `user ${i} "ü"`, id, tags: i % 2 ? ['b', 'a'] : null } as unknown as Entity;
    }
    return { ...s, entities: { ...s.entities, consumers } };
  };
  /** format version 2's plaintext entities: kinds sorted, each kind an array in id order */
  const sortedEntities = (entities: Snapshot['entities']) =>
    Object.fromEntries(
      Object.keys(entities)
        .sort()
        .map((kind) => {
          const map = (entities as Record<string, Record<string, unknown>>)[kind] ?? {};
          return [
            kind,
            Object.keys(map)
              .sort()
              .map((id) => map[id]),
          ];
        }),
    );
  /** the same maps built in reverse insertion order */
  const reversed = (snapshot: Snapshot): Snapshot => {
    const byKind = snapshot.entities as Record<string, Record<string, unknown>>;
    const entities = Object.fromEntries(
      Object.keys(byKind)
        .reverse()
        .map((k) => [k, Object.fromEntries(Object.entries(byKind[k] ?? {}).reverse())]),
    );
    return { ...snapshot, entities: entities as Snapshot['entities'] };
  };
  it.each([
    ['sample snapshot', sampleSnapshot],
    ['snapshot spanning several chunks', many],
  ])(
    'serializeSnapshot: sorted kinds and ids, native entity JSON, canonical meta: %s',
    async (_name, make) => {
      const { canonicalJson, sha256Hex } = await import('../../../src/core/canonical.ts');
      const { serializeSnapshot, entitiesSha256 } = await import('../../../src/storage/serialize.ts');
      const snapshot = make();
      const serialized = serializeSnapshot(snapshot);
      const text = Buffer.concat(serialized.chunks).toString('utf8');
      const entitiesJson = JSON.stringify(sortedEntities(snapshot.entities));
      expect(text).toBe(`{"entities":${entitiesJson},"meta":${canonicalJson(snapshot.meta)}}`);
      expect(JSON.parse(text)).toEqual(
        JSON.parse(JSON.stringify({ entities: sortedEntities(snapshot.entities), meta: snapshot.meta })),
      );
      expect(serialized.bytes).toBe(Buffer.byteLength(text));
      expect(serialized.sha256).toBe(sha256Hex(text));
      expect(serialized.contentSha256).toBe(sha256Hex(entitiesJson));
      expect(entitiesSha256(snapshot.entities)).toBe(serialized.contentSha256);
      // insertion order of kinds and ids does not matter
      expect(serializeSnapshot(reversed(snapshot)).sha256).toBe(serialized.sha256);
    },
  );
});
