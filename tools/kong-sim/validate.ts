import { randomBytes, randomUUID } from 'node:crypto';
import { mergeErrors } from './schema/checks.ts';
import type { EntitySchema, FieldDef, FieldErrors } from './schema/types.ts';

/**
 * Turns a request body into a full entity and validates it the way Kong's schema library does
 * (kong/db/schema/init.lua): defaults and auto fields first (process_auto_fields), then type checks,
 * required fields, unknown fields and entity checks. Every schema field ends up present; unset ones `null`.
 */

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID_RE.test(v);

type Row = Record<string, unknown>;

export const isObject = (v: unknown): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v);

export function clone<T>(v: T): T {
  return v === undefined ? v : (structuredClone(v) as T);
}

/** Kong's `random_string()`: 32 hex characters. */
export const randomKey = () => randomBytes(16).toString('hex');

export interface Clock {
  nowSeconds(): number;
}

/** Fills defaults of a record's sub-fields (upstream healthchecks) when the record is given partially. */
function fillRecord(def: FieldDef, value: unknown): unknown {
  if (!def.fields) return value;
  if (value === undefined) value = clone(def.default) ?? null;
  if (!isObject(value)) return value;
  const out: Row = {};
  for (const [name, sub] of Object.entries(def.fields)) {
    const given = value[name];
    if (given === undefined) {
      out[name] = sub.fields ? fillRecord(sub, undefined) : (clone(sub.default) ?? null);
    } else {
      out[name] = sub.fields ? fillRecord(sub, given) : given;
    }
  }
  for (const [k, v] of Object.entries(value)) if (!(k in out)) out[k] = v;
  return out;
}

function autoValue(def: FieldDef, clock: Clock): unknown {
  switch (def.auto) {
    case 'uuid':
      return randomUUID();
    case 'ts_s':
      return Math.floor(clock.nowSeconds());
    case 'ts_ms':
      return Math.floor(clock.nowSeconds() * 1000) / 1000;
    case 'random':
      return randomKey();
    default:
      return null;
  }
}

/** insert/upsert: a brand-new full entity from the body (PUT replaces the whole entity). */
export function completeNew(schema: EntitySchema, input: Row, clock: Clock): Row {
  const out: Row = {};
  for (const [name, def] of Object.entries(schema.fields)) {
    if (def.transient) continue;
    const given = input[name];
    if (given === undefined || (given === null && def.auto)) {
      out[name] = def.auto
        ? autoValue(def, clock)
        : def.fields
          ? fillRecord(def, undefined)
          : (clone(def.default) ?? null);
    } else {
      // request bodies are freshly parsed JSON owned by this request: no copy needed
      out[name] = def.fields ? fillRecord(def, given) : given;
    }
  }
  return out;
}

function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return clone(patch);
  const out: Row = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = deepMerge(base[k], v);
  return out;
}

/** update (PATCH): the stored entity with the body merged in; records merge key by key (merge_values). */
export function completeUpdate(schema: EntitySchema, existing: Row, input: Row, clock: Clock): Row {
  const out: Row = { ...existing };
  for (const [name, def] of Object.entries(schema.fields)) {
    if (def.transient || !(name in input)) continue;
    const given = input[name];
    out[name] = def.type === 'record' && given !== null ? deepMerge(existing[name], given) : clone(given);
  }
  if ('updated_at' in schema.fields && !('updated_at' in input))
    out.updated_at = autoValue(schema.fields.updated_at!, clock);
  return out;
}

function typeError(def: FieldDef, v: unknown): string | undefined {
  switch (def.type) {
    case 'string':
      return typeof v === 'string' ? undefined : 'expected a string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) ? undefined : 'expected an integer';
    case 'number':
      return typeof v === 'number' ? undefined : 'expected a number';
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'expected a boolean';
    case 'array':
      return Array.isArray(v) ? undefined : 'expected an array';
    case 'set':
      return Array.isArray(v) ? undefined : 'expected a set';
    case 'record':
    case 'foreign':
      return isObject(v) ? undefined : 'expected a record';
    case 'map':
      return isObject(v) ? undefined : 'expected a map';
    default:
      return undefined;
  }
}

/** Validates one present (non-null) value; returns a message, a nested error table, or undefined. */
export function checkValue(def: FieldDef, v: unknown): unknown {
  const te = typeError(def, v);
  if (te) return te;
  if (def.uuid && !isUuid(v)) return 'expected a valid UUID';
  if (def.oneOf && !def.oneOf.includes(v as string | number))
    return `expected one of: ${def.oneOf.join(', ')}`;
  if (def.between && ((v as number) < def.between[0] || (v as number) > def.between[1]))
    return `value should be between ${def.between[0]} and ${def.between[1]}`;
  if (def.startsWith && !String(v).startsWith(def.startsWith)) return `should start with: ${def.startsWith}`;
  if (def.lenMin !== undefined && typeof v === 'string' && v.length < def.lenMin)
    return `length must be at least ${def.lenMin}`;
  if (def.lenMin !== undefined && Array.isArray(v) && v.length < def.lenMin)
    return `length must be at least ${def.lenMin}`;
  if (def.type === 'foreign') {
    const fk = v as Row;
    if (fk.id === undefined || fk.id === null) return { id: 'required field missing' };
    if (!isUuid(fk.id)) return { id: 'expected a valid UUID' };
    return undefined;
  }
  if ((def.type === 'array' || def.type === 'set') && def.elements) {
    const errs: unknown[] = [];
    let bad = false;
    (v as unknown[]).forEach((el, i) => {
      const e = el === null ? 'required field missing' : checkValue(def.elements!, el);
      if (e !== undefined) bad = true;
      errs[i] = e ?? null;
    });
    if (bad) return errs;
  }
  if (def.type === 'record' && def.fields) {
    const sub = validateFields(def.fields, v as Row, true);
    if (sub) return sub;
  }
  return def.validate ? def.validate(v) : undefined;
}

function validateFields(
  fields: Readonly<Record<string, FieldDef>>,
  row: Row,
  rejectUnknown: boolean,
): FieldErrors | undefined {
  const errors: FieldErrors = {};
  for (const [name, def] of Object.entries(fields)) {
    if (def.transient) continue;
    const v = row[name];
    if (v === null || v === undefined) {
      if (def.required) errors[name] = 'required field missing';
      continue;
    }
    const e = checkValue(def, v);
    if (e !== undefined) errors[name] = e;
  }
  if (rejectUnknown) for (const k of Object.keys(row)) if (!(k in fields)) errors[k] = 'unknown field';
  return Object.keys(errors).length ? errors : undefined;
}

/** Unknown fields in the request body (Kong rejects them: "unknown field"). */
export function unknownFields(
  schema: EntitySchema,
  input: Row,
  allowed: readonly string[] = [],
): FieldErrors | undefined {
  const errors: FieldErrors = {};
  for (const k of Object.keys(input))
    if (!(k in schema.fields) && !allowed.includes(k)) errors[k] = 'unknown field';
  return Object.keys(errors).length ? errors : undefined;
}

export function validateEntity(
  schema: EntitySchema,
  candidate: Row,
  input: Row,
  allowed: readonly string[] = [],
): FieldErrors | undefined {
  const fieldErrors = mergeErrors(
    unknownFields(schema, input, allowed),
    validateFields(schema.fields, candidate, false),
  );
  if (fieldErrors) return fieldErrors;
  return schema.entityChecks?.(candidate);
}

/** Sets are deduplicated; foreign keys keep only `{id}` as Kong returns them. */
export function normalize(schema: EntitySchema, e: Row): Row {
  for (const [name, def] of Object.entries(schema.fields)) {
    const v = e[name];
    if (v === null || v === undefined) continue;
    if (def.type === 'set' && Array.isArray(v)) e[name] = [...new Set(v)];
    if (def.type === 'foreign' && isObject(v)) e[name] = { id: v.id };
  }
  return e;
}
