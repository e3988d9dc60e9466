/**
 * Structural equality and field-level differences of JSON values. Kept separate from diff so the
 * planner and apply can share it. Both walk plain JSON (objects, arrays, primitives) only.
 */
import type { FieldChange } from './model.ts';

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  // for-in with counting: no key arrays allocated (this runs once per entity of two gateways)
  let count = 0;
  for (const key in ao) {
    if (!Object.hasOwn(bo, key) || !deepEqual(ao[key], bo[key])) return false;
    count++;
  }
  for (const _ in bo) count--;
  return count === 0;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The changed leaves between two normalized values, as dotted paths. Objects are walked; arrays and
 * `leafKeys` at the top level (foreign keys, `{ id }`) are compared whole. Paths come out sorted.
 */
export function fieldChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  leafKeys: ReadonlySet<string> = new Set(),
): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, '', leafKeys, out);
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

function walk(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix: string,
  leafKeys: ReadonlySet<string>,
  out: FieldChange[],
): void {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const b = before[key];
    const a = after[key];
    if (deepEqual(b, a)) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(b) && isPlainObject(a) && !(prefix === '' && leafKeys.has(key))) {
      walk(b, a, path, leafKeys, out);
    } else {
      out.push({ path, before: b ?? null, after: a ?? null });
    }
  }
}
