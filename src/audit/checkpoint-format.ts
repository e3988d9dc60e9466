/**
 * A signed audit checkpoint: the chain head (seq + hash), how many rows the chain held and when, signed
 * with Ed25519 by a key that is not in the database. Published outside the database (a small object next
 * to the artifacts, a post in the audit channel), it is what `audit verify` checks the chain against:
 * whoever can write the database can rewrite or cut the chain, but cannot sign a new head. Like the hash
 * chain, the signed bytes are a file format: `format` names its version, never change what it covers.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { canonicalJson } from '../core/canonical.ts';

export const CHECKPOINT_FORMAT = 'snapgate-audit-checkpoint/1';

export interface AuditCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  /** the head row's seq; 0 for an empty log */
  seq: number;
  /** the head row's hash; 64 zeros for an empty log */
  hash: string;
  /** rows in the chain at `time` (equals `seq` for an unbroken chain: kept so a reader need not know that) */
  count: number;
  /** ISO time of signing */
  time: string;
  /** which key signed: `ring:<key id>` (derived from a key-ring key) or `file:<fingerprint>` */
  keyId: string;
  /** Ed25519 signature (base64) over the canonical JSON of every other field */
  signature: string;
}

export class CheckpointFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointFormatError';
  }
}

/** A signing key and the id checkpoints name it by. The private key never leaves this object's holder. */
export interface CheckpointKey {
  readonly id: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

// PKCS#8 DER prefix of an Ed25519 private key (RFC 8410): the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The checkpoint key derived from a key-ring key (HKDF-SHA256, its own salt and info, so the signing key
 * says nothing about the key-encryption key). A process that holds the key ring can sign and verify.
 */
export function checkpointKeyFromRingKey(ringKeyId: string, kek: Buffer): CheckpointKey {
  const seed = Buffer.from(
    hkdfSync('sha256', kek, 'snapgate audit checkpoint', 'ed25519 signing key v1', 32),
  );
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { id: `ring:${ringKeyId}`, privateKey, publicKey: createPublicKey(privateKey) };
}

/** A checkpoint key of its own: an Ed25519 private key in PEM (`openssl genpkey -algorithm ed25519`). */
export function checkpointKeyFromPem(pem: string): CheckpointKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new CheckpointFormatError('the checkpoint key is not a PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new CheckpointFormatError(
      `the checkpoint key must be an Ed25519 key (got ${privateKey.asymmetricKeyType ?? 'a secret key'})`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: 'der', type: 'spki' });
  const fingerprint = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  return { id: `file:${fingerprint}`, privateKey, publicKey };
}

/** The keys a process signs with (the first) and accepts signatures from (all of them). */
export interface CheckpointKeys {
  signing: CheckpointKey;
  verifying: readonly CheckpointKey[];
}

type Unsigned = Omit<AuditCheckpoint, 'signature'>;

function signedBytes(c: Unsigned): Buffer {
  return Buffer.from(
    canonicalJson({
      format: c.format,
      seq: c.seq,
      hash: c.hash,
      count: c.count,
      time: c.time,
      keyId: c.keyId,
    }),
    'utf8',
  );
}

export function signCheckpoint(
  head: { seq: number; hash: string; count: number; time: Date },
  key: CheckpointKey,
): AuditCheckpoint {
  const unsigned: Unsigned = {
    format: CHECKPOINT_FORMAT,
    seq: head.seq,
    hash: head.hash,
    count: head.count,
    time: head.time.toISOString(),
    keyId: key.id,
  };
  return { ...unsigned, signature: sign(null, signedBytes(unsigned), key.privateKey).toString('base64') };
}

/** null when the signature holds; else why not (unknown key, bad signature). */
export function checkSignature(c: AuditCheckpoint, keys: readonly CheckpointKey[]): string | null {
  const key = keys.find((k) => k.id === c.keyId);
  if (!key) {
    return `it is signed by ${c.keyId}, which is not among this process's checkpoint keys (${keys.map((k) => k.id).join(', ') || 'none'})`;
  }
  const ok = verify(null, signedBytes(c), key.publicKey, Buffer.from(c.signature, 'base64'));
  return ok ? null : `its signature does not verify with ${c.keyId} (forged or altered)`;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Parses a published checkpoint (the file's JSON, or the JSON block of the Slack post). */
export function parseCheckpoint(text: string): AuditCheckpoint {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new CheckpointFormatError('the checkpoint is not JSON');
  }
  const c = v as Record<string, unknown>;
  const problems: string[] = [];
  if (c === null || typeof c !== 'object') throw new CheckpointFormatError('the checkpoint is not an object');
  if (c.format !== CHECKPOINT_FORMAT) problems.push(`format must be "${CHECKPOINT_FORMAT}"`);
  for (const f of ['seq', 'count'] as const) {
    if (!Number.isSafeInteger(c[f]) || (c[f] as number) < 0) problems.push(`${f} must be a whole number`);
  }
  if (typeof c.hash !== 'string' || !HEX64.test(c.hash)) problems.push('hash must be 64 hex digits');
  if (typeof c.time !== 'string' || Number.isNaN(Date.parse(c.time)))
    problems.push('time must be an ISO time');
  if (typeof c.keyId !== 'string' || c.keyId === '') problems.push('keyId is missing');
  if (typeof c.signature !== 'string' || c.signature === '') problems.push('signature is missing');
  if (problems.length > 0) throw new CheckpointFormatError(`not a valid checkpoint: ${problems.join('; ')}`);
  return {
    format: CHECKPOINT_FORMAT,
    seq: c.seq as number,
    hash: c.hash as string,
    count: c.count as number,
    time: c.time as string,
    keyId: c.keyId as string,
    signature: c.signature as string,
  };
}

export function serializeCheckpoint(c: AuditCheckpoint): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

/** `<YYYYMMDDTHHMMSSmmmZ>-<seq>.json`: names sort by signing time, then seq. */
export function checkpointName(c: AuditCheckpoint): string {
  const t = c.time.replace(/[-:.]/g, '');
  return `${t}-${String(c.seq).padStart(12, '0')}.json`;
}

export const CHECKPOINT_NAME = /^\d{8}T\d{9}Z-\d{12}\.json$/;
