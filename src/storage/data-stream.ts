/**
 * The artifact body: compress then encrypt on write, decrypt then decompress on read, both streaming.
 * Plaintext that comes out of decryption is not authenticated until the GCM tag checks at the very end
 * (Node crypto docs), so readers only hash or buffer it; nothing is parsed before `decryptBody` resolves.
 *
 * Compressions:
 * - `brotli-blocks` (format version 2, the default): the plaintext in independent brotli blocks of up to
 *   BLOCK_BYTES, each framed as `u32 length | brotli stream`. Blocks compress side by side on libuv's
 *   thread pool, and a backup compresses each kind while the dump is still listing others
 *   (`StreamingSerializer`), so little compression is left once the dump ends. Reading decompresses up to
 *   BLOCKS_IN_FLIGHT blocks at once and emits them in order.
 * - `brotli`, `gzip` (format version 1): one stream over the whole plaintext; still read, and written on
 *   request.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import {
  brotliCompress,
  brotliCompressSync,
  brotliDecompress,
  brotliDecompressSync,
  constants,
  createBrotliCompress,
  createBrotliDecompress,
  createGunzip,
  createGzip,
} from 'node:zlib';
import { ArtifactIntegrityError } from './errors.ts';
import type { ArtifactFrame, Compression } from './format.ts';
import type { ByteSink } from './fs-util.ts';
import { TAG_BYTES } from './layout.ts';

// Speed over the last few percent of size: an artifact must be written well within the dump's time.
// Measured on the ~40 MB JSON of a 146k-entity gateway: brotli quality 1 ≈ 0.2 s CPU → 8.5 MB; gzip
// level 2 ≈ 0.3–0.5 s → 8.8 MB; gzip 6 ≈ 0.7 s → 8.3 MB; brotli 4 ≈ 2 s → 7.7 MB.
const GZIP_LEVEL = 2;
const BROTLI_QUALITY = 1;

/** Plaintext bytes per `brotli-blocks` block (blocks end on chunk boundaries, so a few are a little longer). */
export const BLOCK_BYTES = 4 << 20;
/** A frame longer than this is damage, not data (a block compresses to well under its plaintext size). */
const MAX_FRAME_BYTES = 64 << 20;
/** …and no block decompresses to more than this (a decompression bomb stops here). */
const MAX_BLOCK_PLAINTEXT = 256 << 20;
const BLOCKS_IN_FLIGHT = 4;
/** one-shot zlib calls hand output back in chunkSize pieces: 16 KiB by default, 1 MiB here */
const ONE_SHOT_CHUNK = 1 << 20;
/**
 * …and a decompressed block in one piece: with every block's plaintext inside one output buffer, zlib
 * returns that buffer instead of concatenating 1 MiB pieces into a new one. Untouched pages of the
 * buffer cost nothing; touching fresh memory is what costs (~3.7 ms per MB on the benchmark VMs, where
 * every extra copy of a 146k-entity plaintext added ~0.15–0.2 s to opening it).
 */
const BLOCK_OUTPUT_CHUNK = 2 * BLOCK_BYTES;

const brotliCompressAsync = promisify(brotliCompress);
const brotliDecompressAsync = promisify(brotliDecompress);

function brotliParams(bytes: number) {
  return {
    [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_SIZE_HINT]: bytes,
  };
}

/** the smallest output buffer asked of zlib */
const SMALL_OUTPUT_CHUNK = 1 << 10;
/** a frame at least this long holds a large block (brotli's quality 1 packs JSON ~5–10×) */
const LARGE_FRAME_BYTES = 256 << 10;

/**
 * Decompression options for one block. zlib allocates a whole `chunkSize` output buffer for every call,
 * so an 8 MiB buffer for a few hundred bytes of separator cost ~1 ms a call (the meta and every kind's
 * empty list are blocks of their own: ~0.15 s in the backup of an empty gateway). A block whose plaintext
 * size is known (the writer's round-trip proof) gets a buffer just past it, so it comes back in one
 * piece; a block being read gets room for a whole block when its frame is large and 1 MiB when it is
 * small (a rare small frame of a large block comes back in pieces, which zlib joins).
 */
function decompressOptions(block: { plaintextBytes: number } | { frameBytes: number }) {
  const chunkSize =
    'plaintextBytes' in block
      ? Math.min(BLOCK_OUTPUT_CHUNK, Math.max(SMALL_OUTPUT_CHUNK, block.plaintextBytes + 1))
      : block.frameBytes >= LARGE_FRAME_BYTES
        ? BLOCK_OUTPUT_CHUNK
        : ONE_SHOT_CHUNK;
  return { chunkSize, maxOutputLength: MAX_BLOCK_PLAINTEXT };
}

function roundTripped(plain: Buffer, back: Buffer): void {
  if (!back.equals(plain)) throw new Error('a compressed block does not decompress to its plaintext');
}

/**
 * One `brotli-blocks` block, compressed on the thread pool and decompressed again to prove it gives back
 * exactly `plain`. With every block proven here, the writer's read-back check only has to show that the
 * file decrypts to the blocks it wrote (write.ts), and the decompression happens during the dump.
 */
export async function compressBlock(plain: Buffer): Promise<Buffer> {
  const packed = await brotliCompressAsync(plain, {
    chunkSize: ONE_SHOT_CHUNK,
    params: brotliParams(plain.length),
  });
  roundTripped(
    plain,
    await brotliDecompressAsync(packed, decompressOptions({ plaintextBytes: plain.length })),
  );
  return packed;
}

/** A small block (separators, the meta), compressed and proven in place. */
export function compressBlockNow(plain: Buffer): Buffer {
  const packed = brotliCompressSync(plain, { params: brotliParams(plain.length) });
  roundTripped(plain, brotliDecompressSync(packed, decompressOptions({ plaintextBytes: plain.length })));
  return packed;
}

/** Consecutive chunks grouped into blocks of up to BLOCK_BYTES (a chunk is never split). */
export function blocksOf(chunks: readonly Buffer[]): Buffer[] {
  const blocks: Buffer[] = [];
  let group: Buffer[] = [];
  let bytes = 0;
  const close = () => {
    if (group.length > 0)
      blocks.push(group.length === 1 ? (group[0] as Buffer) : Buffer.concat(group, bytes));
    group = [];
    bytes = 0;
  };
  for (const chunk of chunks) {
    if (bytes > 0 && bytes + chunk.length > BLOCK_BYTES) close();
    group.push(chunk);
    bytes += chunk.length;
  }
  close();
  return blocks;
}

/**
 * `brotli-blocks` body → plaintext, in order. Frames are parsed from the decrypted stream; up to
 * BLOCKS_IN_FLIGHT decompress at once on the thread pool. Each block leaves as its own chunk (object
 * mode on the readable side: a byte-mode reader concatenates whatever is buffered into a new buffer).
 */
class BlockDecoder extends Transform {
  constructor() {
    super({ readableObjectMode: true });
  }

  #pending: Buffer[] = [];
  #pendingBytes = 0;
  readonly #inFlight: Promise<Buffer>[] = [];

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    this.#drain(false).then(() => cb(), cb);
  }

  override _flush(cb: TransformCallback): void {
    this.#drain(true).then(() => cb(), cb);
  }

  async #drain(final: boolean): Promise<void> {
    for (let frame = this.#nextFrame(); frame; frame = this.#nextFrame()) {
      const started = brotliDecompressAsync(frame, decompressOptions({ frameBytes: frame.length }));
      started.catch(() => undefined); // awaited below, in order; never left unhandled
      this.#inFlight.push(started);
      while (this.#inFlight.length > BLOCKS_IN_FLIGHT) this.push(await this.#inFlight.shift());
    }
    if (!final) return;
    if (this.#pendingBytes > 0) throw new Error('the body ends inside a compressed block');
    while (this.#inFlight.length > 0) this.push(await this.#inFlight.shift());
  }

  /** The next whole frame's payload, or undefined until it has all arrived (copies only then). */
  #nextFrame(): Buffer | undefined {
    if (this.#pendingBytes < 4) return undefined;
    if ((this.#pending[0] as Buffer).length < 4) this.#pending = [Buffer.concat(this.#pending)];
    const length = (this.#pending[0] as Buffer).readUInt32BE(0);
    if (length === 0 || length > MAX_FRAME_BYTES)
      throw new Error(`a compressed block claims ${length} bytes`);
    if (this.#pendingBytes < 4 + length) return undefined;
    const head = this.#pending.length === 1 ? (this.#pending[0] as Buffer) : Buffer.concat(this.#pending);
    const rest = head.subarray(4 + length);
    this.#pending = rest.length > 0 ? [rest] : [];
    this.#pendingBytes = rest.length;
    return head.subarray(4, 4 + length);
  }
}

function compressor(compression: Exclude<Compression, 'brotli-blocks'>, sizeHint: number) {
  return compression === 'gzip'
    ? createGzip({ level: GZIP_LEVEL, chunkSize: 1 << 18 })
    : createBrotliCompress({ chunkSize: 1 << 18, params: brotliParams(sizeHint) });
}

function decompressor(compression: Compression) {
  if (compression === 'brotli-blocks') return new BlockDecoder();
  return compression === 'gzip'
    ? createGunzip({ chunkSize: 1 << 18 })
    : createBrotliDecompress({ chunkSize: 1 << 18 });
}

/**
 * Compresses and encrypts `chunks` into `out`; returns the GCM tag (the caller appends it). For
 * `brotli-blocks`, `blocks` are the chunks' blocks already compressed (in order) when the caller has them,
 * and `bodySha256` is the sha256 of the framed blocks that were encrypted (what the read-back check
 * decrypts the file to).
 */
export async function encryptBody(opts: {
  chunks: Buffer[];
  plaintextBytes: number;
  compression: Compression;
  blocks?: Promise<Buffer[]> | undefined;
  dataKey: Buffer;
  nonce: Buffer;
  aad: Buffer;
  out: ByteSink;
}): Promise<{ tag: Buffer; bodySha256?: string }> {
  const cipher = createCipheriv('aes-256-gcm', opts.dataKey, opts.nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(opts.aad);
  if (opts.compression === 'brotli-blocks') {
    const blocks = await (opts.blocks ?? Promise.all(blocksOf(opts.chunks).map(compressBlock)));
    const body = createHash('sha256');
    for (const block of blocks) {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(block.length, 0);
      body.update(length).update(block);
      await opts.out.write(cipher.update(length));
      await opts.out.write(cipher.update(block));
    }
    const last = cipher.final();
    if (last.length > 0) await opts.out.write(last);
    return { tag: cipher.getAuthTag(), bodySha256: body.digest('hex') };
  }
  const compression = opts.compression;
  await pipeline(
    Readable.from(opts.chunks),
    compressor(compression, opts.plaintextBytes),
    cipher,
    async (source) => {
      for await (const chunk of source) await opts.out.write(chunk as Buffer);
    },
  );
  return { tag: cipher.getAuthTag() };
}

/**
 * Decrypts and decompresses the body of `path`, handing each plaintext chunk to `onChunk`, and returns the
 * plaintext sha256. With `decompress: false` it stops after decryption: the chunks and the sha256 are then
 * those of the compressed body. Any failure (tag mismatch, corrupt compression) is an
 * ArtifactIntegrityError.
 */
export async function decryptBody(
  path: string,
  frame: ArtifactFrame,
  dataKey: Buffer,
  onChunk?: (chunk: Buffer) => void,
  opts: { decompress?: boolean } = {},
): Promise<{ sha256: string; bytes: number }> {
  const tagStart = frame.fileBytes - TAG_BYTES;
  const tagChunks: Buffer[] = [];
  for await (const c of createReadStream(path, { start: tagStart, end: frame.fileBytes - 1 }))
    tagChunks.push(c as Buffer);
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(frame.header.dataNonce, 'base64'), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(frame.bound);
  decipher.setAuthTag(Buffer.concat(tagChunks));
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    // An empty range throws here (inside the try): a real body is never empty (compression adds a header).
    const body = createReadStream(path, {
      start: frame.dataStart,
      end: tagStart - 1,
      highWaterMark: 1 << 20,
    });
    const sink = async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        hash.update(chunk);
        bytes += chunk.length;
        onChunk?.(chunk);
      }
    };
    if (opts.decompress === false) await pipeline(body, decipher, sink);
    else await pipeline(body, decipher, decompressor(frame.header.compression), sink);
  } catch (err) {
    throw new ArtifactIntegrityError(
      `artifact ${path} failed authentication: the header or data was changed or damaged`,
      path,
      { cause: err },
    );
  }
  return { sha256: hash.digest('hex'), bytes };
}
