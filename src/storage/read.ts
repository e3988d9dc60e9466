/**
 * Reading artifacts: the header without a key (`readArtifactHeader`), the snapshot with the key ring
 * (`openArtifact`), and a full check that never throws (`verifyArtifactFile`).
 */
import { stat } from 'node:fs/promises';
import { type Snapshot, snapshotSchema } from '../core/snapshot.ts';
import { decryptBody } from './data-stream.ts';
import { unwrapDataKey } from './envelope.ts';
import { ArtifactIntegrityError, ArtifactKeyError } from './errors.ts';
import { type ArtifactFrame, type ArtifactHeader, readFrame } from './format.ts';
import { sha256File } from './fs-util.ts';
import type { KeyRing } from './keyring.ts';

export async function readArtifactHeader(path: string): Promise<ArtifactHeader> {
  return (await readFrame(path)).header;
}

/** The artifact's data key, or a key error naming the key id, or an integrity error for a tampered envelope. */
export function unlockDataKey(path: string, frame: ArtifactFrame, keyRing: KeyRing): Buffer {
  const keyId = frame.header.keyId;
  const kek = keyRing.get(keyId);
  if (!kek) {
    throw new ArtifactKeyError(
      `artifact ${path} is encrypted with key "${keyId}", which is not in the key ring (have: ${keyRing.ids().join(', ')})`,
      path,
      keyId,
    );
  }
  const result = unwrapDataKey(frame.header.key, kek, frame.bound);
  if (result.ok) return result.dataKey;
  if (result.reason === 'wrong-key') {
    throw new ArtifactKeyError(
      `the key ring's key "${keyId}" is not the key artifact ${path} was encrypted with (different key material)`,
      path,
      keyId,
    );
  }
  throw new ArtifactIntegrityError(`the wrapped data key of ${path} was changed or damaged`, path);
}

/**
 * The plaintext as a Snapshot. Format version 2 writes each kind as an array of entities in id order
 * (serialize.ts); version 1 as an object keyed by id, which is the Snapshot's own shape.
 */
function parsePlaintext(plaintext: Buffer, formatVersion: number): unknown {
  const parsed = JSON.parse(plaintext.toString('utf8')) as { entities?: unknown } | null;
  const entities = parsed?.entities;
  if (formatVersion < 2 || typeof entities !== 'object' || entities === null) return parsed;
  const byKind: Record<string, unknown> = {};
  for (const [kind, list] of Object.entries(entities)) {
    // anything but a list of entities with ids is left as it is, for the schema to reject
    byKind[kind] = (Array.isArray(list) && keyedById(list)) || list;
  }
  return { ...parsed, entities: byKind };
}

/**
 * The entities keyed by id, or null when one has no id. A plain loop: `Object.fromEntries` of mapped
 * pairs allocated a pair per entity (~0.1 s more on 146k). An id `__proto__` stays an own key.
 */
function keyedById(list: unknown[]): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const e of list) {
    if (!hasId(e)) return null;
    if (e.id === '__proto__') {
      Object.defineProperty(out, e.id, { value: e, enumerable: true, writable: true, configurable: true });
    } else out[e.id] = e;
  }
  return out;
}

const hasId = (e: unknown): e is { id: string } => typeof (e as { id?: unknown } | null)?.id === 'string';

/**
 * The plaintext, copied once into a buffer of the header's `plaintextBytes` as it is decrypted (fresh
 * memory is what copies cost here: one 43 MB concatenation at the end was ~0.2 s). The header is
 * authenticated only when the GCM tag checks, so a body longer than it says goes on in a list; the sha256
 * proves the bytes either way.
 */
async function decryptToBuffer(path: string, frame: ArtifactFrame, dataKey: Buffer): Promise<Buffer> {
  const declared = frame.header.plaintextBytes;
  let into: Buffer | null = declared > 0 ? Buffer.allocUnsafe(declared) : null;
  let filled = 0;
  const overflow: Buffer[] = [];
  const { sha256 } = await decryptBody(path, frame, dataKey, (c) => {
    if (into && filled + c.length <= into.length) {
      c.copy(into, filled);
      filled += c.length;
    } else {
      if (into) overflow.push(into.subarray(0, filled));
      into = null;
      overflow.push(c);
    }
  });
  if (sha256 !== frame.header.plaintextSha256) {
    throw new ArtifactIntegrityError(`artifact ${path}: snapshot sha256 does not match the header`, path);
  }
  return into ? into.subarray(0, filled) : Buffer.concat(overflow);
}

/**
 * Decrypts and parses the snapshot. The GCM tag and the plaintext sha256 prove these are the bytes snapgate
 * wrote, so the snapshot is not re-validated here (verifyArtifactFile does that).
 */
export async function openArtifact(
  path: string,
  keyRing: KeyRing,
): Promise<{ header: ArtifactHeader; snapshot: Snapshot }> {
  const frame = await readFrame(path);
  const plaintext = await decryptToBuffer(path, frame, unlockDataKey(path, frame, keyRing));
  return {
    header: frame.header,
    snapshot: parsePlaintext(plaintext, frame.header.formatVersion) as Snapshot,
  };
}

export interface VerifyResult {
  ok: boolean;
  problems: string[];
  /**
   * the only problem is the key ring: the file is intact (sha256 as recorded) but no key of the ring opens
   * it (the key id is missing, or that id holds other key material) — a wrong key, not a bad copy
   */
  keyProblem?: boolean;
  header?: ArtifactHeader;
  /** sha256 of the file as found. */
  sha256?: string;
}

/** Present, sha256 as expected, decrypts, parses with snapshotSchema. Collects problems instead of throwing. */
export async function verifyArtifactFile(
  path: string,
  keyRing: KeyRing,
  expectedSha256?: string,
): Promise<VerifyResult> {
  const problems: string[] = [];
  try {
    await stat(path);
  } catch (err) {
    return {
      ok: false,
      problems: [`missing: ${path} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`],
    };
  }
  const sha256 = await sha256File(path);
  if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
    problems.push(`sha256 mismatch: expected ${expectedSha256}, found ${sha256}`);
  }
  let header: ArtifactHeader | undefined;
  try {
    const frame = await readFrame(path);
    header = frame.header;
    const plaintext = await decryptToBuffer(path, frame, unlockDataKey(path, frame, keyRing));
    const parsed = snapshotSchema.safeParse(parsePlaintext(plaintext, frame.header.formatVersion));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      problems.push(`snapshot does not parse: ${issue.path.join('.')}: ${issue.message}`);
    }
  } catch (err) {
    problems.push((err as Error).message);
    if (err instanceof ArtifactKeyError && problems.length === 1) {
      return { ok: false, problems, sha256, keyProblem: true, ...(header ? { header } : {}) };
    }
  }
  return { ok: problems.length === 0, problems, sha256, ...(header ? { header } : {}) };
}
