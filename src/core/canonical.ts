/**
 * Canonical JSON: one byte sequence per value, whatever the key order of its objects, so hashes over it
 * (planHash, backup content fingerprints, the artifact body) are stable. Object keys are sorted by UTF-16
 * code unit order, arrays keep their order, `undefined`/function/symbol members are left out and such
 * array items become `null` (as JSON.stringify does). Strings and numbers are encoded exactly as
 * JSON.stringify encodes them. This is the only canonical serializer in snapgate: storage and jobs use it.
 *
 * Hot path of planHash (every step body of a 146k-entity plan, ~59 MB): strings are built by concatenation
 * (V8 ropes), plain strings skip JSON.stringify, quoted keys are cached (entities share a small key set)
 * and so is the sorted order of each key order met (rows of one kind come with the same keys in the same
 * order: comparing a row's keys with a known order is cheaper than sorting them: planHash 10–16 % faster).
 * Measured alternatives on that plan (Node 20), all slower: a sorted-key clone handed to JSON.stringify
 * (~1.5x: the clone costs more than the native writer saves), JSON.stringify with a per-value sorted
 * key-list replacer (~1.5x: V8 leaves its fast path), an array of parts joined per chunk (~1.1x),
 * a char-code loop instead of the escape regex (same).
 */
import { createHash } from 'node:crypto';
import type { Plan, PlanStep } from './model.ts';

/** Characters JSON.stringify escapes: quote, backslash, control characters and lone surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

const QUOTED_KEYS = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = `${quote(key)}:`;
    // bounded: keys come from entity schemas, but a hostile document must not grow the cache forever
    if (QUOTED_KEYS.size < 10_000) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

interface KeyOrder {
  keys: readonly string[];
  sorted: readonly string[];
}

/** Key orders met, by first key; bounded, like QUOTED_KEYS, so a hostile document cannot grow them. */
const KEY_ORDERS = new Map<string, KeyOrder[]>();
const MAX_FIRST_KEYS = 1000;
const MAX_ORDERS_PER_FIRST_KEY = 16;

/** The same keys in the same order, given that the first keys are equal (the map's key). */
function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 1; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `keys` in canonical (sorted) order: looked up when this exact order was met before, else sorted. */
function sortedKeys(keys: string[]): readonly string[] {
  if (keys.length < 2) return keys;
  const first = keys[0] as string;
  let orders = KEY_ORDERS.get(first);
  if (orders) {
    for (const order of orders) if (sameOrder(order.keys, keys)) return order.sorted;
  } else if (KEY_ORDERS.size < MAX_FIRST_KEYS) {
    orders = [];
    KEY_ORDERS.set(first, orders);
  }
  const sorted = [...keys].sort();
  if (orders && orders.length < MAX_ORDERS_PER_FIRST_KEY) orders.push({ keys, sorted });
  return sorted;
}

function isAbsent(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

export function canonicalJson(value: unknown): string {
  return isAbsent(value) ? 'null' : encode(value);
}

function encode(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: bigint values have no JSON form');
    case 'object':
      break;
    default:
      return 'null';
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (i > 0) out += ',';
      out += isAbsent(item) ? 'null' : encode(item);
    }
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = sortedKeys(Object.keys(obj));
  let out = '{';
  for (const key of keys) {
    const v = obj[key];
    if (isAbsent(v)) continue;
    out += out.length === 1 ? quoteKey(key) + encode(v) : `,${quoteKey(key)}${encode(v)}`;
  }
  return `${out}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Text is handed to the hash in chunks of about this many characters (fewer native calls). */
const CHUNK = 1 << 16;

/**
 * planHash = SHA-256 of canonicalJson({ options, steps }): approvals bind to it, so it must not depend on
 * object key order or on the order of the input maps (steps are already in a deterministic order).
 * Fed to the hash in chunks so a 146k-step plan never becomes one giant string.
 */
export function planHash(options: Plan['options'], steps: readonly PlanStep[]): string {
  const hash = createHash('sha256');
  // canonical key order: "options" < "steps"
  let chunk = `{"options":${canonicalJson(options)},"steps":[`;
  for (let i = 0; i < steps.length; i++) {
    chunk += i === 0 ? canonicalJson(steps[i]) : `,${canonicalJson(steps[i])}`;
    if (chunk.length >= CHUNK) {
      hash.update(chunk, 'utf8');
      chunk = '';
    }
  }
  hash.update(`${chunk}]}`, 'utf8');
  return hash.digest('hex');
}
