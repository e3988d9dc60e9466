import { createHash, randomUUID } from 'node:crypto';
import { Dao } from './dao.ts';
import { HttpError } from './errors.ts';
import type { SchemaRegistry } from './schema/index.ts';
import type { EntitySchema } from './schema/types.ts';
import { Store } from './store.ts';
import { type Clock, isObject, isUuid } from './validate.ts';

/**
 * Loads a Kong declarative configuration into a fresh store, as kong/db/schema/others/declarative_config.lua
 * does: nested entities are flattened under their parent (`services[].routes[]`, `upstreams[].targets[]`,
 * `certificates[].snis[]`, `consumers[].keyauth_credentials[]`, ...), foreign keys may be ids or endpoint
 * keys, missing ids become deterministic UUIDv5s, and every error is recorded against the entity it
 * belongs to. Nothing is swapped in unless the whole file loads.
 */

type Row = Record<string, unknown>;

export interface FlatEntity {
  kind: string;
  item: Row;
  /** where the entity sits in the input, e.g. ['services', 0, 'routes', 1]. */
  path: (string | number)[];
  errors: Row;
}

export interface LoadResult {
  store: Store;
  failed: FlatEntity[];
  entities: FlatEntity[];
}

const NAMESPACE = 'fd02801f-0957-4a15-a55a-c8d9606f30b5';

function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** generate_ids: UUIDv5 from the cache key or the endpoint key, else random. */
function generatedId(schema: EntitySchema, item: Row): string {
  const ns = uuidV5(NAMESPACE, schema.name);
  if (schema.cacheKey) {
    const parts: string[] = [schema.name, '*'];
    for (const k of schema.cacheKey) {
      const v = item[k];
      if (schema.fields[k]?.auto) return randomUUID();
      if (typeof v === 'string') parts.push(v);
      else if (isObject(v) && typeof v.id === 'string') parts.push(v.id);
      else if (schema.fields[k]?.required) return randomUUID();
      else parts.push('');
    }
    return uuidV5(ns, parts.join(':'));
  }
  const ek = schema.endpointKey;
  if (ek && typeof item[ek] === 'string') return uuidV5(ns, item[ek] as string);
  return randomUUID();
}

/** Walks the input and its nested children; children get their parent's id in the linking FK. */
export function flatten(registry: SchemaRegistry, input: Row): FlatEntity[] {
  const out: FlatEntity[] = [];
  const walk = (
    schema: EntitySchema,
    list: unknown,
    path: (string | number)[],
    link?: { field: string; id: string },
  ) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, i) => {
      const here = [...path, i];
      if (!isObject(raw)) {
        out.push({ kind: schema.name, item: {}, path: here, errors: { '@entity': ['expected a record'] } });
        return;
      }
      const item: Row = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
      delete item._comment;
      delete item._ignore;
      const nested: [EntitySchema, string, unknown][] = [];
      for (const child of registry.children.get(schema.name) ?? []) {
        if (
          child.schema.name in item &&
          !(child.schema.name in schema.fields && !schema.fields[child.schema.name]!.transient)
        ) {
          nested.push([child.schema, child.field, item[child.schema.name]]);
          delete item[child.schema.name];
        }
      }
      if (link) item[link.field] = { id: link.id };
      if (item.id === undefined || item.id === null) item.id = generatedId(schema, item);
      out.push({ kind: schema.name, item, path: here, errors: {} });
      for (const [childSchema, field, children] of nested) {
        const withSni = childSchema.name === 'snis' ? normalizeSnis(children) : children;
        walk(childSchema, withSni, [...here, childSchema.name], { field, id: String(item.id) });
      }
    });
  };
  for (const schema of registry.list) walk(schema, input[schema.name], [schema.name]);
  return out;
}

/** `certificates[].snis` may list names or SNI records. */
function normalizeSnis(list: unknown): unknown {
  return Array.isArray(list) ? list.map((s) => (typeof s === 'string' ? { name: s } : s)) : list;
}

/** Resolves string references (`service: "name-or-id"`) against the declared entities. */
function resolveReferences(registry: SchemaRegistry, entities: FlatEntity[]): void {
  const byKey = new Map<string, Map<string, string>>();
  for (const e of entities) {
    const schema = registry.byName.get(e.kind)!;
    let m = byKey.get(e.kind);
    if (!m) {
      m = new Map();
      byKey.set(e.kind, m);
    }
    m.set(String(e.item.id), String(e.item.id));
    const ek = schema.endpointKey;
    if (ek && typeof e.item[ek] === 'string' && schema.fields[ek]?.unique)
      m.set(e.item[ek] as string, String(e.item.id));
  }
  for (const e of entities) {
    const schema = registry.byName.get(e.kind)!;
    for (const [field, def] of Object.entries(schema.fields)) {
      const v = e.item[field];
      if (def.type !== 'foreign' || v === null || v === undefined) continue;
      const ref = typeof v === 'string' ? v : isObject(v) && typeof v.id === 'string' ? v.id : undefined;
      if (ref === undefined) continue;
      const id = byKey.get(def.reference!)?.get(ref);
      if (id) e.item[field] = { id };
      else {
        const list = (e.errors['@entity'] as string[] | undefined) ?? [];
        list.push(`invalid reference '${field}: ${ref}' (no such entry in '${def.reference}')`);
        e.errors['@entity'] = list;
      }
    }
  }
}

/** Duplicate endpoint keys or ids inside one file (populate_references uniqueness errors). */
function checkDuplicates(registry: SchemaRegistry, entities: FlatEntity[]): void {
  const seen = new Map<string, Set<string>>();
  for (const e of entities) {
    const schema = registry.byName.get(e.kind)!;
    const ek = schema.endpointKey;
    const checks: [string, unknown][] = [['primary key', e.item.id]];
    if (ek && schema.fields[ek]?.unique && typeof e.item[ek] === 'string') checks.unshift([ek, e.item[ek]]);
    for (const [label, value] of checks) {
      const key = `${e.kind}\u0000${label}`;
      let set = seen.get(key);
      if (!set) {
        set = new Set();
        seen.set(key, set);
      }
      if (set.has(String(value))) {
        e.errors['@entity'] = [
          `uniqueness violation: '${e.kind}' entity with ${label} set to '${String(value)}' already declared`,
        ];
        break;
      }
      set.add(String(value));
    }
  }
}

/** Loads every entity into a new store; per-entity errors are collected, never thrown. */
export function loadDeclarative(
  registry: SchemaRegistry,
  input: Row,
  clock: Clock,
  transform: boolean,
): LoadResult {
  const entities = flatten(registry, input);
  checkDuplicates(registry, entities);
  resolveReferences(registry, entities);
  const store = new Store(registry);
  const dao = new Dao(store, { dbless: false, clock });
  const order = new Map(registry.list.map((s, i) => [s.name, i]));
  const byLevel = [...entities].sort((a, b) => order.get(a.kind)! - order.get(b.kind)!);
  for (const e of byLevel) {
    if (Object.keys(e.errors).length) continue;
    if (e.item.id !== undefined && !isUuid(e.item.id)) {
      e.errors.id = 'expected a valid UUID';
      continue;
    }
    try {
      const body = { ...e.item };
      if (e.kind === 'certificates') delete body.snis;
      dao.insert(e.kind, body, { transform, loading: true });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const fields = err.body.fields;
      if (isObject(fields) && err.body.code === 2) Object.assign(e.errors, fields);
      else e.errors['@entity'] = [String(err.body.message)];
    }
  }
  return { store, entities, failed: entities.filter((e) => Object.keys(e.errors).length > 0) };
}
