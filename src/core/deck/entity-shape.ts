/**
 * Turning a snapshot entity into what a file holds: server-managed fields and top-level nulls dropped
 * (decK omits unset fields; nulls inside `config` stay, as decK keeps them), foreign keys written as
 * ids, keys sorted so equal snapshots give byte-identical files. Shared by the decK and Kong writers.
 */
import { CATALOGUE, type Entity, type EntityKind } from '../catalogue/index.ts';
import { SERVER_MANAGED_FIELDS } from '../snapshot.ts';
import { isPlainObject } from './defaults.ts';

/** How a foreign key is written: decK's schema has bare-id strings for some fields, `{ id }` for others. */
export type RefStyle = 'string' | 'object';

const DROPPED = new Set<string>([...SERVER_MANAGED_FIELDS, 'ws_id']);

export function refId(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isPlainObject(value) && typeof value.id === 'string') return value.id;
  return null;
}

/** Per kind, computed once: the fields a file never holds and the single-id foreign keys. */
const KIND_FIELDS = new Map<EntityKind, { skip: ReadonlySet<string>; refs: ReadonlySet<string> }>();

function kindFields(kind: EntityKind) {
  let fields = KIND_FIELDS.get(kind);
  if (!fields) {
    const def = CATALOGUE[kind];
    fields = {
      skip: new Set([...DROPPED, ...def.readOnlyFields]),
      refs: new Set(def.foreignKeys.filter((fk) => !fk.array).map((fk) => fk.field)),
    };
    KIND_FIELDS.set(kind, fields);
  }
  return fields;
}

export function fileEntity(
  kind: EntityKind,
  entity: Entity,
  opts: { omit?: readonly string[]; refStyle: (field: string) => RefStyle },
): Record<string, unknown> {
  const { skip, refs } = kindFields(kind);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(entity)) {
    const value = entity[key];
    if (value === null || value === undefined || skip.has(key)) continue;
    if (opts.omit?.includes(key)) continue;
    if (refs.has(key)) {
      const id = refId(value);
      if (id === null) continue;
      out[key] = opts.refStyle(key) === 'string' ? id : { id };
    } else out[key] = value;
  }
  return out;
}

/**
 * Deep copy with object keys in code-unit order (never locale order: the output must not vary). The
 * default sort compares strings by UTF-16 code units, which is that order.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep(value[key]);
  return out;
}

/** sortKeysDeep that also leaves out `undefined` object members, at every depth, in the same one copy. */
export function sortKeysDeepDefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeepDefined);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (v !== undefined) out[key] = sortKeysDeepDefined(v);
  }
  return out;
}

export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The field entities of a kind are listed by (then by id): decK's sortKey choices, pkg/file/types.go. */
const SORT_FIELD: Partial<Record<EntityKind, string>> = {
  services: 'name',
  routes: 'name',
  consumers: 'username',
  consumer_groups: 'name',
  plugins: 'name',
  upstreams: 'name',
  targets: 'target',
  snis: 'name',
  vaults: 'prefix',
  key_sets: 'name',
  keys: 'name',
  filter_chains: 'name',
  keyauth_credentials: 'key',
  basicauth_credentials: 'username',
  jwt_secrets: 'key',
  hmacauth_credentials: 'username',
  acls: 'group',
  oauth2_credentials: 'client_id',
  mtls_auth_credentials: 'subject_name',
};

export function sortEntities(kind: EntityKind, list: readonly Entity[]): Entity[] {
  const field = SORT_FIELD[kind];
  const key = (e: Entity): string => {
    const v = field ? e[field] : undefined;
    if (typeof v === 'string') return v;
    return kind === 'consumers' && typeof e.custom_id === 'string' ? e.custom_id : '';
  };
  // sort keys computed once per entity, not once per comparison
  const keyed = list.map((e) => ({ key: key(e), e }));
  keyed.sort((a, b) => byCodeUnit(a.key, b.key) || byCodeUnit(a.e.id, b.e.id));
  return keyed.map((k) => k.e);
}
