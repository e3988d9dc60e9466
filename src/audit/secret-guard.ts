/**
 * Audit details are kept forever and shown in Slack, so they must never carry a secret. The guard
 * refuses (rather than redacts) because a secret reaching it is a bug in the caller that a test should
 * catch. Names are matched after lower-casing and dropping `_`/`-`, so `api_key`, `apiKey` and `API-KEY`
 * are one name; ids of keys (`keyId`) and hashes (`planHash`, `sha256`) are fine. Kong entity kinds and
 * sections (`jwt_secrets`, `keyauth_credentials`, `credentials`) are names of buckets — counts per kind —
 * not secrets, so they pass.
 *
 * Logs use the same rules (`redactSecrets`, `redactSecretText`), redacting instead of refusing: a log line
 * must still be written, without the secret.
 */
import { ALL_KINDS, ALL_SECTIONS } from '../core/catalogue/index.ts';

const KIND_AND_SECTION_NAMES = new Set<string>([...ALL_KINDS, ...ALL_SECTIONS]);

/** Parts of a field name that mark secret material. */
const SECRET_NAME_PARTS = [
  'token',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'privatekey',
  'apikey',
  'credential',
  'authorization',
  'cookie',
  'masterkey',
  'datakey',
  'wrappedkey',
  'signingkey',
];
/** Whole names that are secrets (a key-auth credential's `key`, a certificate's `key`). */
const SECRET_NAMES = new Set(['key', 'pwd', 'pass', 'jwk', 'kek', 'dek']);

/** Values that are secrets whatever they are called. */
const SECRET_VALUES: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a PEM private key'],
  [/\bxox[abposr]-[A-Za-z0-9-]{8,}/, 'a Slack token'],
  [/\bxapp-[A-Za-z0-9-]{8,}/, 'a Slack app token'],
  [/\bBearer\s+[A-Za-z0-9._~+/-]{8,}/i, 'a bearer token'],
];

/** Details larger than this are a diff or a snapshot that belongs in an artifact, not the log. */
export const MAX_DETAILS_BYTES = 64 * 1024;

export class AuditInputError extends Error {
  constructor(
    message: string,
    /** dotted path of the offending field, e.g. `details.gateway.token` */
    readonly path: string,
  ) {
    super(message);
    this.name = 'AuditInputError';
  }
}

export function isSecretFieldName(name: string): boolean {
  if (KIND_AND_SECTION_NAMES.has(name)) return false;
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_NAMES.has(n) || SECRET_NAME_PARTS.some((part) => n.includes(part));
}

/** Throws AuditInputError naming the first secret-looking field or value; returns the JSON size. */
export function assertNoSecrets(details: Record<string, unknown>): number {
  walk(details, 'details');
  const size = Buffer.byteLength(JSON.stringify(details), 'utf8');
  if (size > MAX_DETAILS_BYTES) {
    throw new AuditInputError(`audit details are ${size} bytes (limit ${MAX_DETAILS_BYTES})`, 'details');
  }
  return size;
}

function walk(value: unknown, path: string): void {
  if (typeof value === 'string') {
    for (const [pattern, what] of SECRET_VALUES) {
      if (pattern.test(value)) throw new AuditInputError(`audit ${path} looks like ${what}`, path);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      walk(item, `${path}[${i}]`);
    });
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const child = `${path}.${k}`;
      if (isSecretFieldName(k)) {
        throw new AuditInputError(`audit details must not carry secrets: ${child} is named like one`, child);
      }
      walk(v, child);
    }
  }
}

export const REDACTED_TEXT = '[redacted]';

/** The guard's secret values as patterns that match them whole (a PEM key up to its END line), every occurrence. */
const SECRET_VALUE_SPANS: RegExp[] = SECRET_VALUES.map(([pattern]) =>
  pattern.source.includes('PRIVATE KEY')
    ? /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g
    : new RegExp(pattern.source, `${pattern.flags}g`),
);

/** `text` with every value the guard recognises as a secret (PEM private keys, Slack tokens, bearer tokens) replaced. */
export function redactSecretText(text: string): string {
  return SECRET_VALUE_SPANS.reduce((out, span) => out.replace(span, REDACTED_TEXT), text);
}

/**
 * A copy of `value` for a log line: fields named like secrets (the guard's rule) have their value
 * replaced, strings have secret-looking values replaced, depth and cycles bounded.
 */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactSecretText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    return { type: value.name, message: redactSecretText(value.message) };
  }
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1, seen));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return redactSecrets((value as { toJSON(): unknown }).toJSON(), depth + 1, seen);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretFieldName(k) ? REDACTED_TEXT : redactSecrets(v, depth + 1, seen);
  }
  return out;
}
