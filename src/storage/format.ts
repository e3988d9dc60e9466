/**
 * The artifact file format (versions 1 and 2). One self-contained file:
 *
 *   MAGIC "SNAPGATE" | u16 format version | u32 H | header JSON (H bytes)      ← bound: the GCM additional data
 *   u32 K | key block JSON (K bytes)                                           ← key envelope (re-wrappable)
 *   ciphertext: AES-256-GCM(data key, data nonce, compressed snapshot JSON)
 *   tag (16 bytes)
 *
 * The versions differ only in how the snapshot JSON is compressed (header `compression`, data-stream.ts):
 * version 1 has one gzip or brotli stream; version 2 adds `brotli-blocks`, independent brotli blocks each
 * framed as `u32 length | brotli stream`, which can be compressed in parallel and while a dump runs.
 * Version 2 is written; both are read. A version 1 reader refuses a version 2 file by its version number.
 *
 * The header is plaintext so `artifact inspect` needs no key. Its exact bytes (with magic, version and
 * length) are the data's additional authenticated data, so editing any header byte fails decryption.
 * The key envelope sits outside those bytes on purpose: key rotation rewrites only the envelope and never
 * touches the ciphertext; the envelope's own GCM wrap is bound to the header bytes (see envelope.ts).
 * Integers are big-endian.
 */
import { open } from 'node:fs/promises';
import { z } from 'zod';
import { CONFIG_NAME_PATTERN, CONFIG_NAME_RULE, KEY_ID_PATTERN, KEY_ID_RULE } from '../config/index.ts';
import { printable } from '../core/printable.ts';
import type { KeyEnvelope } from './envelope.ts';
import { ArtifactError, ArtifactIntegrityError } from './errors.ts';
import {
  BACKUP_TYPES,
  FORMAT_VERSION,
  MAGIC,
  MAX_BLOCK_BYTES,
  PREFIX_FIXED_BYTES,
  READABLE_FORMAT_VERSIONS,
  TAG_BYTES,
} from './layout.ts';

export const COMPRESSIONS = ['gzip', 'brotli', 'brotli-blocks'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
/**
 * Header fields are plaintext anyone can edit, printed by `artifact inspect` and used in messages, so they
 * are held to what snapgate writes (the config's name rules; ids as snapgate makes them): a crafted
 * header (`connection: ../../etc/passwd`, terminal escape sequences) is refused as damaged, never shown.
 */
const BACKUP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const KIND = /^[a-z][a-z0-9_]{0,63}$/;
const PRINTABLE = /^[\x20-\x7e]{0,100}$/;

export const boundHeaderSchema = z
  .strictObject({
    formatVersion: z.union([z.literal(1), z.literal(FORMAT_VERSION)]),
    backupId: z.string().regex(BACKUP_ID, 'must be 1-128 letters, digits, ".", "_" or "-"'),
    connection: z.string().regex(CONFIG_NAME_PATTERN, `must be a connection name: ${CONFIG_NAME_RULE}`),
    environment: z.string().regex(CONFIG_NAME_PATTERN, `must be an environment name: ${CONFIG_NAME_RULE}`),
    type: z.enum(BACKUP_TYPES),
    createdAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }),
    kongVersion: z.string().regex(PRINTABLE, 'must be at most 100 printable ASCII characters'),
    counts: z.record(
      z.string().regex(KIND, 'must be an entity kind (lowercase letters, digits and "_")'),
      z.number().int().nonnegative(),
    ),
    cipher: z.literal('aes-256-gcm'),
    dataNonce: base64,
    compression: z.enum(COMPRESSIONS),
    /** sha256 (hex) of the canonical snapshot JSON before compression. */
    plaintextSha256: z.string().regex(/^[0-9a-f]{64}$/),
    plaintextBytes: z.number().int().nonnegative(),
    /** sha256 (hex) of the canonical JSON of the entities alone: equal for backups of unchanged config. */
    contentSha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** what the connection's backup profile left out (sections named, kinds left out whole, kinds filtered) */
    excluded: z
      .strictObject({
        sections: z.array(z.string().regex(KIND)),
        kinds: z.array(z.string().regex(KIND)),
        scoped: z.array(z.string().regex(KIND)),
      })
      .optional(),
    /** set on an artifact rewritten to erase personal data (`gdpr erase`): the how-many-th rewrite, when */
    rewrite: z.number().int().positive().optional(),
    rewrittenAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional(),
  })
  .refine((h) => h.formatVersion >= 2 || h.compression !== 'brotli-blocks', {
    message: 'brotli-blocks needs format version 2',
    path: ['compression'],
  });
export type BoundHeader = z.infer<typeof boundHeaderSchema>;

const keyEnvelopeSchema = z.strictObject({
  keyId: z.string().regex(KEY_ID_PATTERN, `must be a key id: ${KEY_ID_RULE}`),
  keyCheck: base64,
  nonce: base64,
  wrappedKey: base64,
  tag: base64,
});

/** What `readArtifactHeader` returns: the bound header plus the key envelope. */
export interface ArtifactHeader extends BoundHeader {
  keyId: string;
  key: KeyEnvelope;
}

export interface ArtifactFrame {
  header: ArtifactHeader;
  /** The exact bound bytes (magic … header JSON): the data's additional authenticated data. */
  bound: Buffer;
  /** Offset of the first ciphertext byte. */
  dataStart: number;
  fileBytes: number;
}

export function encodeBound(header: BoundHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const fixed = Buffer.alloc(PREFIX_FIXED_BYTES);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt16BE(header.formatVersion, MAGIC.length);
  fixed.writeUInt32BE(json.length, MAGIC.length + 2);
  return Buffer.concat([fixed, json]);
}

export function encodeKeyBlock(envelope: KeyEnvelope): Buffer {
  const json = Buffer.from(JSON.stringify(envelope), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length, 0);
  return Buffer.concat([len, json]);
}

function parseJson<T>(bytes: Buffer, schema: z.ZodType<T>, what: string, path: string): T {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ArtifactIntegrityError(`${what} of ${path} is damaged (not JSON)`, path, { cause: err });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    // the field path and zod's message may quote the crafted text (an unknown key): printable only
    const where = printable(`${first.path.join('.')}: ${first.message}`);
    throw new ArtifactIntegrityError(`${what} of ${path} is damaged (${where})`, path);
  }
  return parsed.data;
}

/** Reads magic, header and key block; no key needed. Throws ArtifactError when the file is missing. */
export async function readFrame(path: string): Promise<ArtifactFrame> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ArtifactError(`cannot open artifact ${path} (${code ?? (err as Error).message})`, path, {
      cause: err,
    });
  }
  try {
    const fileBytes = (await fh.stat()).size;
    const read = async (position: number, length: number): Promise<Buffer> => {
      if (position + length > fileBytes)
        throw new ArtifactIntegrityError(`artifact ${path} is truncated`, path);
      const buf = Buffer.alloc(length);
      await fh.read(buf, 0, length, position);
      return buf;
    };
    const fixed = await read(0, PREFIX_FIXED_BYTES);
    if (!fixed.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new ArtifactIntegrityError(`${path} is not a snapgate artifact (bad magic)`, path);
    }
    const version = fixed.readUInt16BE(MAGIC.length);
    if (!READABLE_FORMAT_VERSIONS.includes(version)) {
      throw new ArtifactError(
        `${path} has format version ${version}; this snapgate reads ${READABLE_FORMAT_VERSIONS.join(' and ')}`,
        path,
      );
    }
    const headerLength = fixed.readUInt32BE(MAGIC.length + 2);
    if (headerLength > MAX_BLOCK_BYTES)
      throw new ArtifactIntegrityError(`header of ${path} is damaged (length)`, path);
    const headerJson = await read(PREFIX_FIXED_BYTES, headerLength);
    const keyStart = PREFIX_FIXED_BYTES + headerLength;
    const keyLength = (await read(keyStart, 4)).readUInt32BE(0);
    if (keyLength > MAX_BLOCK_BYTES)
      throw new ArtifactIntegrityError(`key block of ${path} is damaged (length)`, path);
    const keyJson = await read(keyStart + 4, keyLength);
    const dataStart = keyStart + 4 + keyLength;
    if (fileBytes < dataStart + TAG_BYTES)
      throw new ArtifactIntegrityError(`artifact ${path} is truncated`, path);
    const bound = parseJson(headerJson, boundHeaderSchema, 'header', path);
    if (bound.formatVersion !== version)
      throw new ArtifactIntegrityError(`header of ${path} is damaged (format version)`, path);
    const key = parseJson(keyJson, keyEnvelopeSchema, 'key block', path);
    return {
      header: { ...bound, keyId: key.keyId, key },
      bound: Buffer.concat([fixed, headerJson]),
      dataStart,
      fileBytes,
    };
  } finally {
    await fh.close();
  }
}
