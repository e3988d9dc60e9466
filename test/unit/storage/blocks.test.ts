/**
 * Format version 2's `brotli-blocks` body: independent brotli blocks, each framed `u32 length | brotli`,
 * compressed ahead by the backup's StreamingSerializer or by the writer, read back in order.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type Entity, type EntityKind, type Snapshot, stripServerFields } from '../../../src/core/index.ts';
import { BLOCK_BYTES, blocksOf, compressBlock } from '../../../src/storage/data-stream.ts';
import { wrapDataKey } from '../../../src/storage/envelope.ts';
import { type BoundHeader, encodeBound, encodeKeyBlock } from '../../../src/storage/format.ts';
import {
  ArtifactError,
  ArtifactIntegrityError,
  DEFAULT_COMPRESSION,
  DirectoryCopyTarget,
  openArtifact,
  readArtifactHeader,
  StreamingSerializer,
  serializeSnapshot,
  verifyArtifactFile,
  writeArtifact,
} from '../../../src/storage/index.ts';
import { checkWritten } from '../../../src/storage/write.ts';
import { ringA, sampleSnapshot, sampleWriter, withTempDir } from './helpers.ts';

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
};
/** the blocks the writer makes of these chunks (deterministic: same input, same brotli output) */
const serializedBlocks = (chunks: Buffer[]) => Promise.all(blocksOf(chunks).map(compressBlock));

const base = {
  backupId: '7c1d2e3f-0000-4000-8000-000000000002',
  connection: 'prod-eu',
  environment: 'prod',
  type: 'manual' as const,
  createdAt: '2026-11-22T08:00:00.000Z',
};
const writeSample = sampleWriter(base);

/** The sample snapshot with `count` consumers more, made by `consumer` from each one's id and index. */
function withConsumers(count: number, consumer: (id: string, i: number) => object): Snapshot {
  const s = sampleSnapshot();
  const consumers: Record<string, Entity> = {};
  for (let i = 0; i < count; i++) {
    const id = `c-${String(i).padStart(6, '0')}`;
    consumers[id] = consumer(id, i) as Entity;
  }
  return {
    ...s,
    entities: { ...s.entities, consumers },
    meta: { ...s.meta, counts: { ...s.meta.counts, consumers: count } },
  };
}

/** ~9.5 MB of plaintext: more than two blocks. */
function bigSnapshot(): Snapshot {
  return withConsumers(45_000, (id, i) => ({
    id,
    username: `user-${i}`,
    custom_id: randomBytes(60).toString('hex'),
    tags: ['team-a', `n${i % 97}`],
  }));
}

describe('brotli-blocks bodies (format version 2)', () => {
  it('is what new artifacts are written with', async () => {
    expect(DEFAULT_COMPRESSION).toBe('brotli-blocks');
    await withTempDir(async (dir) => {
      const written = await writeSample(dir);
      expect(await readArtifactHeader(written.path)).toMatchObject({
        formatVersion: 2,
        compression: 'brotli-blocks',
      });
    });
  });

  it('blocksOf groups chunks into blocks of up to BLOCK_BYTES without splitting a chunk or losing a byte', () => {
    const chunks = [3, BLOCK_BYTES - 5, 4, 7, BLOCK_BYTES + 1, 1].map((n, i) => Buffer.alloc(n, i));
    const blocks = blocksOf(chunks);
    expect(blocks.map((b) => b.length)).toEqual([3 + BLOCK_BYTES - 5, 4 + 7, BLOCK_BYTES + 1, 1]);
    expect(Buffer.concat(blocks).equals(Buffer.concat(chunks))).toBe(true);
    expect(blocksOf([])).toEqual([]);
  });

  it('a snapshot of several blocks round-trips, whether the writer or the streaming serializer compressed it', async () => {
    // as a dump leaves it: without server-managed and read-only fields
    const big = bigSnapshot();
    const snapshot: Snapshot = {
      meta: big.meta,
      entities: Object.fromEntries(
        Object.entries(big.entities).map(([kind, map]) => [
          kind,
          Object.fromEntries(
            Object.entries(map ?? {}).map(([id, e]) => [id, stripServerFields(kind as EntityKind, e)]),
          ),
        ]),
      ),
    };
    const whole = serializeSnapshot(snapshot);
    expect(whole.bytes).toBeGreaterThan(2 * BLOCK_BYTES);
    // the backup job's way: pages as a dump delivers them, blocks compressed as each kind closes
    const streaming = new StreamingSerializer();
    const kinds = Object.keys(snapshot.entities) as EntityKind[];
    for (const kind of kinds) {
      const list = Object.values(snapshot.entities[kind] ?? {});
      for (let i = 0; i < list.length; i += 1000)
        streaming.add(kind, structuredClone(list.slice(i, i + 1000)));
    }
    for (const kind of kinds) streaming.close(kind);
    const streamed = streaming.finish(snapshot.meta);
    expect(streamed.sha256).toBe(whole.sha256);
    expect((await streamed.blocks)?.length).toBeGreaterThan(3);

    await withTempDir(async (dir) => {
      const byWriter = await writeArtifact({
        ...base,
        snapshot,
        keyRing: ringA(),
        primary: new DirectoryCopyTarget(join(dir, 'w')),
      });
      const ahead = await writeArtifact({
        ...base,
        serialized: streamed,
        keyRing: ringA(),
        primary: new DirectoryCopyTarget(join(dir, 's')),
      });
      for (const written of [byWriter, ahead]) {
        expect(written.plaintextSha256).toBe(whole.sha256);
        const opened = await openArtifact(written.path, ringA());
        expect(opened.snapshot).toEqual(snapshot);
        expect(await verifyArtifactFile(written.path, ringA(), written.sha256)).toMatchObject({ ok: true });
      }
    });
  });

  /**
   * A body that authenticates but is not well-formed blocks (only a writer holding the data key could make
   * one): the reader fails with an integrity error instead of allocating what a length field claims.
   */
  async function craft(dir: string, body: Buffer, plaintext = Buffer.from('{}')): Promise<string> {
    const header: BoundHeader = {
      formatVersion: 2,
      backupId: base.backupId,
      connection: 'prod-eu',
      environment: 'prod',
      type: 'manual',
      createdAt: base.createdAt,
      kongVersion: '3.9.1',
      counts: {},
      cipher: 'aes-256-gcm',
      dataNonce: randomBytes(12).toString('base64'),
      compression: 'brotli-blocks',
      plaintextSha256: createHash('sha256').update(plaintext).digest('hex'),
      plaintextBytes: plaintext.length,
      contentSha256: '0'.repeat(64),
    };
    const bound = encodeBound(header);
    const dataKey = randomBytes(32);
    const keyBlock = encodeKeyBlock(wrapDataKey(dataKey, ringA().current(), bound));
    const cipher = createCipheriv('aes-256-gcm', dataKey, Buffer.from(header.dataNonce, 'base64'), {
      authTagLength: 16,
    });
    cipher.setAAD(bound);
    const ciphertext = Buffer.concat([cipher.update(body), cipher.final()]);
    const path = join(dir, 'crafted.sgb');
    await writeFile(path, Buffer.concat([bound, keyBlock, ciphertext, cipher.getAuthTag()]));
    return path;
  }
  const frame = (payload: Buffer, claimed = payload.length) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(claimed, 0);
    return Buffer.concat([length, payload]);
  };

  it.each([
    ['a length field of 4 GiB', frame(brotliCompressSync(Buffer.from('{}')), 0xffffffff)],
    ['a zero-length block', frame(Buffer.alloc(0))],
    ['a body that ends inside a block', frame(brotliCompressSync(Buffer.from('{}'))).subarray(0, 6)],
    [
      'a block whose brotli stream is cut short',
      frame(brotliCompressSync(randomBytes(4096)).subarray(0, 2000)),
    ],
  ])('%s is an integrity error, in openArtifact and in verify', async (_name, body) => {
    await withTempDir(async (dir) => {
      const path = await craft(dir, body);
      await expect(openArtifact(path, ringA())).rejects.toBeInstanceOf(ArtifactIntegrityError);
      const verified = await verifyArtifactFile(path, ringA());
      expect(verified.ok).toBe(false);
      expect(verified.problems.join('\n')).toMatch(/damaged/);
    });
  });

  it('version 2 plaintext lists each kind as an array; an entity without an id is a schema problem, not a crash', async () => {
    await withTempDir(async (dir) => {
      const meta = sampleSnapshot().meta;
      const good = Buffer.from(
        JSON.stringify({
          entities: {
            services: [
              { id: 's1', name: 'a' },
              { id: 's2', name: 'b' },
            ],
          },
          meta,
        }),
      );
      const goodPath = await craft(dir, frame(brotliCompressSync(good)), good);
      const { snapshot } = await openArtifact(goodPath, ringA());
      expect(snapshot.entities.services).toEqual({
        s1: { id: 's1', name: 'a' },
        s2: { id: 's2', name: 'b' },
      });
      const bad = Buffer.from(JSON.stringify({ entities: { services: [{ name: 'no id' }] }, meta }));
      const badPath = join(dir, 'bad.sgb');
      await rename(await craft(dir, frame(brotliCompressSync(bad)), bad), badPath);
      const verified = await verifyArtifactFile(badPath, ringA());
      expect(verified.ok).toBe(false);
      expect(verified.problems.join('\n')).toMatch(/snapshot does not parse: entities\.services/);
    });
  });

  it('compressBlock gives brotli that decompresses to exactly its input', async () => {
    const plain = Buffer.from(JSON.stringify(bigSnapshot().entities.consumers).slice(0, 1 << 20));
    const packed = await compressBlock(plain);
    expect(packed.length).toBeLessThan(plain.length / 2);
    expect(brotliDecompressSync(packed).equals(plain)).toBe(true);
  });

  it('blocks that pack small (a small frame holding MiBs of plaintext) open whole', async () => {
    // the reader sizes zlib's output buffer by the frame: a small frame gets 1 MiB and its plaintext
    // comes back in pieces, which must be joined in order
    const snapshot = withConsumers(60_000, (id) => ({ id, username: `user-${id}`, tags: ['team-a'] }));
    await withTempDir(async (dir) => {
      const written = await writeSample(join(dir, 'p'), { snapshot });
      expect((await readArtifactHeader(written.path)).plaintextBytes).toBeGreaterThan(3 << 20);
      expect(written.bytes).toBeLessThan(256 << 10);
      const opened = await openArtifact(written.path, ringA());
      expect(opened.snapshot).toEqual(snapshot);
    });
  });

  it('the read-back check refuses a file that changed after writing, or that decrypts to other blocks', async () => {
    await withTempDir(async (dir) => {
      const serialized = serializeSnapshot(sampleSnapshot());
      // what the writer will encrypt (computed first: the writer lets the plaintext chunks go)
      const framed = (await serializedBlocks(serialized.chunks)).flatMap((b) => [u32(b.length), b]);
      const bodySha256 = createHash('sha256').update(Buffer.concat(framed)).digest('hex');
      const written = await writeArtifact({
        ...base,
        serialized,
        keyRing: ringA(),
        primary: new DirectoryCopyTarget(dir),
      });
      const expected = { sha256: written.sha256, plaintextSha256: written.plaintextSha256, bodySha256 };
      await expect(checkWritten(written.path, ringA(), expected)).resolves.toBeUndefined();
      await expect(
        checkWritten(written.path, ringA(), { ...expected, bodySha256: '0'.repeat(64) }),
      ).rejects.toThrow(/decrypts to different content than was written/);
      const bytes = await readFile(written.path);
      bytes[bytes.length - 20] = (bytes[bytes.length - 20] as number) ^ 1;
      await writeFile(written.path, bytes);
      await expect(checkWritten(written.path, ringA(), expected)).rejects.toThrow(
        /reads back with a different sha256 than was written/,
      );
    });
  });

  it('a file of a format version this snapgate does not know is refused by number', async () => {
    await withTempDir(async (dir) => {
      const written = await writeSample(dir);
      const bytes = await readFile(written.path);
      bytes.writeUInt16BE(3, 8);
      await writeFile(written.path, bytes);
      const err = await readArtifactHeader(written.path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ArtifactError);
      expect((err as Error).message).toContain('has format version 3; this snapgate reads 1 and 2');
    });
  });

  it('a version 1 header claiming brotli-blocks, or a prefix and header that disagree on the version, are damage', async () => {
    await withTempDir(async (dir) => {
      const written = await writeSample(dir);
      const bytes = await readFile(written.path);
      bytes.writeUInt16BE(1, 8); // prefix says 1, header JSON says 2
      await writeFile(written.path, bytes);
      await expect(readArtifactHeader(written.path)).rejects.toThrow(/header of .* is damaged/);
      const text = bytes.toString('latin1').replace('"formatVersion":2', '"formatVersion":1');
      await writeFile(written.path, Buffer.from(text, 'latin1'));
      await expect(readArtifactHeader(written.path)).rejects.toThrow(/brotli-blocks needs format version 2/);
    });
  });
});
