/**
 * The artifact body: compress then encrypt on write, decrypt then decompress on read, both streaming.
 * Plaintext that comes out of decryption is not authenticated until the GCM tag checks at the very end
 * (Node crypto docs), so readers only hash or buffer it; nothing is parsed before `decryptBody` resolves.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createBrotliCompress, createBrotliDecompress, createGunzip, createGzip } from 'node:zlib';
import { ArtifactIntegrityError } from './errors.ts';
import type { ArtifactFrame, Compression } from './format.ts';
import type { HashingWriter } from './fs-util.ts';
import { TAG_BYTES } from './layout.ts';

// Speed over the last few percent of size: an artifact must be written well within the dump's time.
// Measured on the ~40 MB JSON of a 146k-entity gateway: brotli quality 1 ≈ 0.2 s CPU → 8.5 MB; gzip
// level 2 ≈ 0.3–0.5 s → 8.8 MB; gzip 6 ≈ 0.7 s → 8.3 MB; brotli 4 ≈ 2 s → 7.7 MB.
const GZIP_LEVEL = 2;
const BROTLI_QUALITY = 1;

function compressor(compression: Compression, sizeHint: number) {
  return compression === 'gzip'
    ? createGzip({ level: GZIP_LEVEL, chunkSize: 1 << 18 })
    : createBrotliCompress({
        chunkSize: 1 << 18,
        params: {
          [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: sizeHint,
        },
      });
}

function decompressor(compression: Compression) {
  return compression === 'gzip'
    ? createGunzip({ chunkSize: 1 << 18 })
    : createBrotliDecompress({ chunkSize: 1 << 18 });
}

/** Compresses and encrypts `chunks` into `out`; returns the GCM tag (the caller appends it). */
export async function encryptBody(opts: {
  chunks: Buffer[];
  plaintextBytes: number;
  compression: Compression;
  dataKey: Buffer;
  nonce: Buffer;
  aad: Buffer;
  out: HashingWriter;
}): Promise<Buffer> {
  const cipher = createCipheriv('aes-256-gcm', opts.dataKey, opts.nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(opts.aad);
  await pipeline(
    Readable.from(opts.chunks),
    compressor(opts.compression, opts.plaintextBytes),
    cipher,
    async (source) => {
      for await (const chunk of source) await opts.out.write(chunk as Buffer);
    },
  );
  return cipher.getAuthTag();
}

/**
 * Decrypts and decompresses the body of `path`, handing each plaintext chunk to `onChunk`, and returns the
 * plaintext sha256. Any failure (tag mismatch, corrupt compression) is an ArtifactIntegrityError.
 */
export async function decryptBody(
  path: string,
  frame: ArtifactFrame,
  dataKey: Buffer,
  onChunk?: (chunk: Buffer) => void,
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
    await pipeline(body, decipher, decompressor(frame.header.compression), async (source) => {
      for await (const chunk of source) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
        onChunk?.(chunk as Buffer);
      }
    });
  } catch (err) {
    throw new ArtifactIntegrityError(
      `artifact ${path} failed authentication: the header or data was changed or damaged`,
      path,
      { cause: err },
    );
  }
  return { sha256: hash.digest('hex'), bytes };
}
