/**
 * Canonical JSON: one byte sequence per value, whatever the key order of its objects, so hashes over it
 * (planHash, snapshot fingerprints) are stable. Object keys are sorted by UTF-16 code unit order, arrays
 * keep their order, `undefined` members are left out (as JSON.stringify does). Strings and numbers are
 * encoded exactly as JSON.stringify encodes them.
 */
import { createHash, type Hash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  writeCanonical(value, parts);
  return parts.join('');
}

/** Appends the canonical encoding of `value` to `out` (a parts buffer: cheaper than string concatenation). */
export function writeCanonical(value: unknown, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      out.push(Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      throw new TypeError('canonicalJson: bigint values have no JSON form');
    case 'object':
      break;
    default:
      // functions, symbols, undefined at the top level: JSON has no form for them
      out.push('null');
      return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      const item = value[i];
      writeCanonical(item === undefined || typeof item === 'function' ? null : item, out);
    }
    out.push(']');
    return;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  out.push('{');
  let first = true;
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    writeCanonical(v, out);
  }
  out.push('}');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Feeds canonical JSON into a hash piece by piece, so hashing a 146k-entity plan never builds one giant
 * string. `hashCanonical(h, v)` adds exactly the bytes `canonicalJson(v)` would produce.
 */
export function hashCanonical(hash: Hash, value: unknown): void {
  const parts: string[] = [];
  writeCanonical(value, parts);
  hash.update(parts.join(''), 'utf8');
}
