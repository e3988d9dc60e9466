/**
 * Default filling, as Kong does on a write and decK does before it compares (kong/db/schema/init.lua
 * `process_auto_fields`, `adjust_field_for_context`, `handle_missing_field` in the "insert" context;
 * go-kong `FillPluginsDefaults`). Given the gateway's own schema, an entity read from a file or an old
 * backup becomes what Kong would store for it, so comparing it with a dump is comparing like with like:
 * - an absent field with a `default` gets a copy of it; `default = null` and no default leave it unset
 *   (null ≡ absent when comparing, and Kong stores null);
 * - an absent record that is `required` (every record of a plugin subschema is, `make_records_required`)
 *   is expanded with its nested defaults; an absent optional record gets its default or stays unset;
 * - present records are filled recursively, so are the record elements of arrays and sets and the
 *   record values of maps; an explicit null is a value and is kept, as Kong keeps it;
 * - sets lose duplicate scalars (`make_set`, first seen kept); `auto` fields are never filled;
 * - a deprecated shorthand (`shorthand_fields` with `deprecation.replaced_with`, rate-limiting's
 *   `redis_host`) is moved to the field it replaces unless that field is set (the real field wins), and
 *   the shorthand key is dropped. Kong echoes such shorthands on reads, so the live side is passed
 *   through the same function (`stripShorthands`) and neither side compares them.
 * Copy on write: an entity that needs nothing is returned as it is.
 */
import { CATALOGUE, type Entity, type EntityKind } from '../catalogue/index.ts';
import { cloneJson, isPlainObject } from '../deck/defaults.ts';
import { type EntityMap, SERVER_MANAGED_FIELDS, type Snapshot } from '../snapshot.ts';
import { type FieldList, fieldEntries, type GatewaySchemas, type SchemaField } from './types.ts';

type Json = Record<string, unknown>;

/** A field's default as a fresh value; cjson writes an empty record or map default as `[]`. */
function defaultOf(field: SchemaField): unknown {
  const d = field.default;
  if ((field.type === 'record' || field.type === 'map') && Array.isArray(d) && d.length === 0) return {};
  return cloneJson(d);
}

function hasDefault(field: SchemaField): boolean {
  return field.default !== undefined && field.default !== null;
}

function fillField(field: SchemaField, value: unknown): unknown {
  if (value === undefined) {
    if (field.type === 'record') {
      if (field.required === true) {
        const start = hasDefault(field) ? (defaultOf(field) as Json) : {};
        return fillRecord(isPlainObject(start) ? start : {}, field.fields, field.shorthand_fields);
      }
      return hasDefault(field) ? defaultOf(field) : undefined;
    }
    return hasDefault(field) ? defaultOf(field) : undefined;
  }
  if (value === null) return null;
  switch (field.type) {
    case 'record':
      return isPlainObject(value) ? fillRecord(value, field.fields, field.shorthand_fields) : value;
    case 'array':
    case 'set':
      return Array.isArray(value) ? fillElements(field, value) : value;
    case 'map':
      return isPlainObject(value) && field.values?.type === 'record'
        ? fillMapValues(field.values, value)
        : value;
    default:
      return value;
  }
}

function fillElements(field: SchemaField, list: unknown[]): unknown[] {
  let out = list;
  const elements = field.elements;
  if (elements?.type === 'record') {
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      const filled = isPlainObject(item)
        ? fillRecord(item, elements.fields, elements.shorthand_fields)
        : item;
      if (filled !== item) {
        if (out === list) out = [...list];
        out[i] = filled;
      }
    }
  }
  if (field.type === 'set') {
    const seen = new Set<unknown>();
    let dup = false;
    for (const item of out) {
      if (item !== null && typeof item === 'object') continue;
      if (seen.has(item)) dup = true;
      seen.add(item);
    }
    if (dup) {
      const kept = new Set<unknown>();
      out = out.filter((item) => {
        if (item !== null && typeof item === 'object') return true;
        if (kept.has(item)) return false;
        kept.add(item);
        return true;
      });
    }
  }
  return out;
}

function fillMapValues(values: SchemaField, map: Json): Json {
  let out = map;
  for (const key of Object.keys(map)) {
    const v = map[key];
    const filled = isPlainObject(v) ? fillRecord(v, values.fields, values.shorthand_fields) : v;
    if (filled !== v) {
      if (out === map) out = { ...map };
      out[key] = filled;
    }
  }
  return out;
}

/** Sets `path` (relative to `record`, which is owned by the caller) to `value` unless already set. */
function setUnlessSet(record: Json, path: readonly string[], value: unknown): void {
  let at = record;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = at[key];
    // copy what we descend into: the nested record may be shared with the caller's entity
    const own = isPlainObject(next) ? { ...next } : {};
    at[key] = own;
    at = own;
  }
  const last = path[path.length - 1] as string;
  if (at[last] === undefined || at[last] === null) at[last] = cloneJson(value);
}

/** Deprecated shorthands moved to the fields they replace (see the file comment). */
function translateShorthands(value: Json, shorthands: FieldList | undefined): Json {
  let out = value;
  for (const [name, def] of fieldEntries(shorthands)) {
    if (!(name in value)) continue;
    const paths = (def.deprecation?.replaced_with ?? [])
      .map((r) => r.path)
      .filter((p): p is string[] => Array.isArray(p) && p.length > 0);
    // without `replaced_with` the translation is Kong Lua code the schema does not carry
    if (paths.length === 0) continue;
    if (out === value) out = { ...value };
    const v = out[name];
    delete out[name];
    if (v === null || v === undefined) continue;
    for (const path of paths) setUnlessSet(out, path, v);
  }
  return out;
}

/** One record filled from its field list (and shorthands); the same object when nothing changes. */
export function fillRecord(value: Json, fields: FieldList | undefined, shorthands?: FieldList): Json {
  let out = translateShorthands(value, shorthands);
  const copied = out !== value;
  let own = copied;
  for (const [name, field] of fieldEntries(fields)) {
    if (field.auto) continue;
    const current = out[name];
    const next = fillField(field, current);
    if (next === current) continue;
    if (next === undefined && !(name in out)) continue;
    if (!own) {
      out = { ...out };
      own = true;
    }
    out[name] = next;
  }
  return out;
}

const SKIPPED = new Map<EntityKind, ReadonlySet<string>>();

/** Fields an entity schema lists that a snapshot never fills: server-managed, read-only, foreign keys. */
function skippedFields(kind: EntityKind): ReadonlySet<string> {
  let set = SKIPPED.get(kind);
  if (!set) {
    const def = CATALOGUE[kind];
    set = new Set([
      ...SERVER_MANAGED_FIELDS,
      ...def.readOnlyFields,
      ...def.foreignKeys.map((fk) => fk.field),
      'id',
      'ws_id',
    ]);
    SKIPPED.set(kind, set);
  }
  return set;
}

const ENTITY_FIELDS = new WeakMap<FieldList, Map<EntityKind, FieldList>>();

/** An entity schema's own fields minus the skipped ones, computed once per schema and kind. */
function entityFields(kind: EntityKind, fields: FieldList): FieldList {
  let byKind = ENTITY_FIELDS.get(fields);
  if (!byKind) {
    byKind = new Map();
    ENTITY_FIELDS.set(fields, byKind);
  }
  let out = byKind.get(kind);
  if (!out) {
    const skip = skippedFields(kind);
    out = fields.filter((item) => {
      const [name, f] = Object.entries(item)[0] ?? ['', {}];
      return !skip.has(name) && f.type !== 'foreign' && f.abstract !== true;
    });
    byKind.set(kind, out);
  }
  return out;
}

/** A plugin filled from its subschema, then from the plugin entity's own fields (`enabled`, …). */
export function fillPlugin(entity: Entity, schemas: GatewaySchemas): Entity {
  const name = entity.name;
  const sub = typeof name === 'string' ? schemas.plugins.get(name) : undefined;
  if (!sub) return entity;
  let out = fillRecord(entity, entityFields('plugins', sub.fields)) as Entity;
  const base = schemas.entities.get('plugins');
  if (base) out = fillRecord(out, entityFields('plugins', base.fields)) as Entity;
  return out;
}

function fillEntity(kind: EntityKind, entity: Entity, schemas: GatewaySchemas): Entity {
  if (kind === 'plugins') return fillPlugin(entity, schemas);
  const schema = schemas.entities.get(kind);
  if (!schema) return entity;
  return fillRecord(entity, entityFields(kind, schema.fields)) as Entity;
}

function mapKinds(
  snapshot: Snapshot,
  kinds: readonly EntityKind[],
  fill: (kind: EntityKind, e: Entity) => Entity,
): Snapshot {
  let entities: Snapshot['entities'] | null = null;
  for (const kind of kinds) {
    const map = snapshot.entities[kind];
    if (!map) continue;
    let out: EntityMap | null = null;
    for (const id of Object.keys(map)) {
      const e = map[id] as Entity;
      const filled = fill(kind, e);
      if (filled === e) continue;
      out ??= { ...map };
      out[id] = filled;
    }
    if (out) {
      entities ??= { ...snapshot.entities };
      entities[kind] = out;
    }
  }
  return entities ? { meta: snapshot.meta, entities } : snapshot;
}

/**
 * The target of a diff or restore as Kong would store it: every kind with a fetched entity schema and
 * every plugin with a fetched plugin schema filled (see the file comment). Plugins without a schema are
 * left as they are: the caller has either refused them (not enabled on the gateway) or failed the run.
 */
export function fillDefaults(target: Snapshot, schemas: GatewaySchemas): Snapshot {
  const kinds = Object.keys(target.entities).filter(
    (k) => k === 'plugins' || schemas.entities.has(k as EntityKind),
  ) as EntityKind[];
  return mapKinds(target, kinds, (kind, e) => fillEntity(kind, e, schemas));
}

/** The live side of a comparison without the deprecated shorthands Kong echoes on reads. */
export function stripShorthands(live: Snapshot, schemas: GatewaySchemas): Snapshot {
  return mapKinds(live, ['plugins'], (_kind, e) => fillPlugin(e, schemas));
}

/** The plugin names a snapshot uses, sorted: what to fetch schemas for. */
export function pluginNames(snapshot: Snapshot): string[] {
  const names = new Set<string>();
  for (const e of Object.values(snapshot.entities.plugins ?? {})) {
    if (typeof e.name === 'string') names.add(e.name);
  }
  return [...names].sort();
}
