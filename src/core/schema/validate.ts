/**
 * Local validation of the entities a plan writes, against the schemas fetched from the gateway, with
 * Kong's own messages (kong/db/schema/init.lua `validation_errors`, `Schema:validate_field`,
 * `validate_fields`): field types, `required`, unknown fields, `eq`/`ne` null, `one_of`, `not_one_of`,
 * `gt`, `between`, `len_*`, `uuid`, and the elements, keys and values of arrays, sets and maps (an
 * abstract record without its subschema, a vault's `config`, only by type). Kong's
 * Lua-only checks (`match` patterns, custom validators, entity checks) cannot be carried by a schema
 * answer and are left to the gateway. Cheap enough for every entity of a 146k-entity plan: one walk per
 * body, no request (the `/schemas/{entity}/validate` endpoints would be one POST per entity).
 */
import { CATALOGUE, type Entity, type EntityKind } from '../catalogue/index.ts';
import { isPlainObject } from '../deck/defaults.ts';
import { SERVER_MANAGED_FIELDS } from '../snapshot.ts';
import { type FieldList, fieldEntries, type GatewaySchemas, type SchemaField } from './types.ts';

export interface FieldProblem {
  /** dotted path inside the entity, `[i]` for list items: `paths`, `config.redis.port`, `hosts[0]`. */
  path: string;
  message: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VAULT_REF_RE = /^\{vault:\/\/.+\}$/;

const TYPE_ERRORS: Record<string, string> = {
  array: 'expected an array',
  set: 'expected a set',
  map: 'expected a map',
  record: 'expected a record',
  string: 'expected a string',
  number: 'expected a number',
  boolean: 'expected a boolean',
  integer: 'expected an integer',
};

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function typeOk(field: SchemaField, value: unknown): boolean {
  switch (field.type) {
    case 'array':
    case 'set':
      return Array.isArray(value);
    case 'map':
    case 'record':
      return isPlainObject(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    default:
      // foreign, json, any, function: not checked here
      return true;
  }
}

function lengthOf(value: unknown): number | null {
  if (typeof value === 'string') return codePoints(value);
  if (Array.isArray(value)) return value.length;
  return null;
}

/**
 * A string's length in code points, as `[...s].length` counts it (a lone surrogate counts one), without
 * building that array: preflight measures every string field of every entity in the plan.
 */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Kong's validators, in its `validators_order`; the first failing one is reported. */
function validatorError(field: SchemaField, value: unknown): string | null {
  if (field.one_of && !field.one_of.includes(value as never)) {
    return `expected one of: ${field.one_of.map(show).join(', ')}`;
  }
  if (field.not_one_of?.includes(value as never)) {
    return `must not be one of: ${field.not_one_of.map(show).join(', ')}`;
  }
  if (typeof value === 'number') {
    if (typeof field.gt === 'number' && !(value > field.gt)) return `value must be greater than ${field.gt}`;
    if (Array.isArray(field.between)) {
      const [lo, hi] = field.between;
      if (value < lo || value > hi) return `value should be between ${lo} and ${hi}`;
    }
  }
  if (field.uuid && typeof value === 'string' && !UUID_RE.test(value)) return 'expected a valid UUID';
  const len = lengthOf(value);
  if (len !== null) {
    if (typeof field.len_eq === 'number' && len !== field.len_eq) return `length must be ${field.len_eq}`;
    // strings without len_min must not be empty (Schema:validate_field sets len_min = 1)
    const min = field.len_min ?? (field.type === 'string' ? 1 : undefined);
    if (typeof min === 'number' && len < min) return `length must be at least ${min}`;
    if (typeof field.len_max === 'number' && len > field.len_max)
      return `length must be at most ${field.len_max}`;
  }
  return null;
}

const REQUIRED = new WeakMap<SchemaField, SchemaField>();

/** Elements, keys and values are required (`validate_elements` sets it): one copy per schema field. */
function required(field: SchemaField): SchemaField {
  let out = REQUIRED.get(field);
  if (!out) {
    out = { ...field, required: true };
    REQUIRED.set(field, out);
  }
  return out;
}

const EMPTY: FieldList = [];
const NO_IGNORED: ReadonlySet<string> = new Set();
const BY_NAME = new WeakMap<FieldList, ReadonlyMap<string, SchemaField>>();

function byName(list: FieldList | undefined): ReadonlyMap<string, SchemaField> {
  const key = list ?? EMPTY;
  let map = BY_NAME.get(key);
  if (!map) {
    map = new Map(fieldEntries(key));
    BY_NAME.set(key, map);
  }
  return map;
}

function validateValue(field: SchemaField, value: unknown, path: string, out: FieldProblem[]): void {
  if (value === null || value === undefined) {
    if (field.ne === null) out.push({ path, message: 'value must not be null' });
    else if (field.eq !== undefined && field.eq !== null)
      out.push({ path, message: `value must be ${show(field.eq)}` });
    else if (field.required) out.push({ path, message: 'required field missing' });
    return;
  }
  if (field.eq === null) {
    out.push({ path, message: 'value must be null' });
    return;
  }
  if (!typeOk(field, value)) {
    out.push({ path, message: TYPE_ERRORS[field.type as string] ?? `expected a ${field.type}` });
    return;
  }
  if (field.type === 'string' && field.referenceable && VAULT_REF_RE.test(value as string)) return;
  if (field.type === 'array' || field.type === 'set') {
    const elements = field.elements;
    if (elements) {
      const list = value as unknown[];
      for (let i = 0; i < list.length; i++) {
        validateValue(required(elements), list[i], `${path}[${i}]`, out);
      }
    }
  } else if (field.type === 'map') {
    const map = value as Record<string, unknown>;
    for (const key of Object.keys(map)) {
      if (field.keys) validateValue(required(field.keys), key, `${path}.${key}`, out);
      if (field.values) validateValue(required(field.values), map[key], `${path}.${key}`, out);
    }
  } else if (field.type === 'record') {
    // an abstract record (a vault's `config`) takes its fields from a subschema picked by the entity's
    // type (kong/db/schema/entities/vaults.lua `subschema_key = "name"`); without it the gateway validates
    if (field.abstract && !field.fields) return;
    validateRecord(value as Record<string, unknown>, field.fields, field.shorthand_fields, path, out);
    return;
  }
  const err = validatorError(field, value);
  if (err) out.push({ path, message: err });
}

/** A record's fields: unknown keys (shorthands allowed), each known field, required fields missing. */
function validateRecord(
  value: Record<string, unknown>,
  fields: FieldList | undefined,
  shorthands: FieldList | undefined,
  prefix: string,
  out: FieldProblem[],
  ignore: ReadonlySet<string> = NO_IGNORED,
): void {
  const known = byName(fields);
  const short = byName(shorthands);
  for (const key of Object.keys(value)) {
    if (ignore.has(key)) continue;
    const field = known.get(key);
    const path = join(prefix, key);
    if (field) validateValue(field, value[key], path, out);
    else if (short.has(key)) validateValue(short.get(key) as SchemaField, value[key], path, out);
    else out.push({ path, message: 'unknown field' });
  }
  for (const [name, field] of known) {
    if (ignore.has(name) || field.auto) continue;
    if (value[name] === undefined && field.required)
      out.push({ path: join(prefix, name), message: 'required field missing' });
  }
}

/** Fields a snapshot carries that are not the entity's own (write options, read-only, server-managed). */
function ignoredFields(kind: EntityKind): ReadonlySet<string> {
  const def = CATALOGUE[kind];
  return new Set([
    ...SERVER_MANAGED_FIELDS,
    ...def.readOnlyFields,
    ...(def.writeOptionFields ?? []),
    'ws_id',
  ]);
}

const IGNORED = new Map<EntityKind, ReadonlySet<string>>();

const MERGED = new WeakMap<FieldList, WeakMap<FieldList, FieldList>>();

/** Plugin fields: the subschema's, then the plugin entity's own for names the subschema leaves out. */
function pluginFields(name: unknown, schemas: GatewaySchemas): FieldList | null {
  const sub = typeof name === 'string' ? schemas.plugins.get(name) : undefined;
  const base = schemas.entities.get('plugins');
  if (!sub || !base) return null;
  let byBase = MERGED.get(sub.fields);
  if (!byBase) {
    byBase = new WeakMap();
    MERGED.set(sub.fields, byBase);
  }
  let merged = byBase.get(base.fields);
  if (!merged) {
    const own = new Set(fieldEntries(sub.fields).map(([n]) => n));
    merged = [...sub.fields, ...base.fields.filter((item) => !own.has(Object.keys(item)[0] as string))];
    byBase.set(base.fields, merged);
  }
  return merged;
}

/**
 * The problems Kong would report for writing `entity` as a `kind`, or [] when the schemas fetched do not
 * cover it. Plugins need both their subschema and the plugin entity schema; without the latter only
 * `config` and `protocols` are checked.
 */
export function validateEntity(kind: EntityKind, entity: Entity, schemas: GatewaySchemas): FieldProblem[] {
  if (kind === 'consumer_group_members') return [];
  let ignore = IGNORED.get(kind);
  if (!ignore) {
    ignore = ignoredFields(kind);
    IGNORED.set(kind, ignore);
  }
  const out: FieldProblem[] = [];
  if (kind === 'plugins') {
    const fields = pluginFields(entity.name, schemas);
    if (fields) {
      validateRecord(entity, fields, undefined, '', out, ignore);
      return out;
    }
    const sub = typeof entity.name === 'string' ? schemas.plugins.get(entity.name) : undefined;
    if (!sub) return out;
    for (const [name, field] of fieldEntries(sub.fields)) {
      if (name === 'config' || name === 'protocols') validateValue(field, entity[name], name, out);
    }
    return out;
  }
  const schema = schemas.entities.get(kind);
  if (!schema) return out;
  validateRecord(entity, schema.fields, undefined, '', out, ignore);
  return out;
}
