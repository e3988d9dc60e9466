import { randomBytes, randomUUID } from 'node:crypto';
import {
  type Compiled,
  entityChecks,
  fillValue,
  isRow,
  mergeValues,
  recordFieldErrors,
} from './kong-schema.ts';
import { mergeErrors } from './schema/checks.ts';
import type { EntitySchema, FieldDef, FieldErrors } from './schema/types.ts';

/**
 * Turns a request body into a full entity and validates it the way Kong's schema library does
 * (kong/db/schema/init.lua), over the generated schema data (kong-schema.ts, the same code plugins go
 * through): auto fields and defaults first (process_auto_fields), then field validation, unknown fields
 * and the entity checks. Every schema field ends up present; unset ones `null`.
 */

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID_RE.test(v);

type Row = Record<string, unknown>;

export const isObject = isRow;

export function clone<T>(v: T): T {
  return v === undefined ? v : (structuredClone(v) as T);
}

/** Kong's `random_string()`: 32 hex characters. */
export const randomKey = () => randomBytes(16).toString('hex');

export interface Clock {
  nowSeconds(): number;
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

function compiledField(schema: EntitySchema, name: string): Compiled {
  return schema.compiled.byName!.get(name)!;
}

/** insert/upsert: a brand-new full entity from the body (PUT replaces the whole entity). */
export function completeNew(schema: EntitySchema, input: Row, clock: Clock): Row {
  const out: Row = {};
  for (const [name, def] of Object.entries(schema.fields)) {
    if (def.transient) continue;
    const given = input[name];
    if (def.auto && (given === undefined || given === null)) {
      out[name] = autoValue(def, clock);
      continue;
    }
    // request bodies are freshly parsed JSON owned by this request: no copy needed
    const v = fillValue(compiledField(schema, name), given);
    // a required field without a default stays absent (validation reports it missing); an optional
    // abstract record without its subschema (a vault's config) is null, as Kong's reads show it
    if (v !== undefined) out[name] = v;
    else if (!def.required) out[name] = null;
  }
  return out;
}

/** update (PATCH): the stored entity with the body merged in; records merge key by key (merge_values). */
export function completeUpdate(schema: EntitySchema, existing: Row, input: Row, clock: Clock): Row {
  const out: Row = { ...existing };
  for (const [name, def] of Object.entries(schema.fields)) {
    if (def.transient || !(name in input)) continue;
    const given = input[name];
    const c = compiledField(schema, name);
    out[name] =
      def.type === 'record' && isRow(given) && !c.def.abstract
        ? mergeValues(c, given, existing[name])
        : clone(given);
  }
  if (schema.fields.updated_at && !('updated_at' in input))
    out.updated_at = autoValue(schema.fields.updated_at, clock);
  return out;
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

/** Field errors (the body's unknown keys included); only a valid entity goes through its entity checks. */
export function validateEntity(
  schema: EntitySchema,
  candidate: Row,
  input: Row,
  allowed: readonly string[] = [],
): FieldErrors | undefined {
  const fieldErrors = mergeErrors(
    unknownFields(schema, input, allowed),
    recordFieldErrors(schema.compiled, candidate),
  );
  if (fieldErrors) return fieldErrors;
  return mergeErrors(
    entityChecks(schema.json.entity_checks ?? [], candidate),
    schema.luaEntityCheck?.(candidate),
  );
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
