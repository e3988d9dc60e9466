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

export function fileEntity(
  kind: EntityKind,
  entity: Entity,
  opts: { omit?: readonly string[]; refStyle: (field: string) => RefStyle },
): Record<string, unknown> {
  const def = CATALOGUE[kind];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    if (value === null || value === undefined || DROPPED.has(key)) continue;
    if (def.readOnlyFields.includes(key) || opts.omit?.includes(key)) continue;
    const fk = def.foreignKeys.find((f) => f.field === key);
    if (fk && !fk.array) {
      const id = refId(value);
      if (id === null) continue;
      out[key] = opts.refStyle(key) === 'string' ? id : { id };
    } else out[key] = value;
  }
  return out;
}

/** Deep copy with object keys in code-unit order (never locale order: the output must not vary). */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(byCodeUnit)) out[key] = sortKeysDeep(value[key]);
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

export function sortEntities(kind: EntityKind, list: Entity[]): Entity[] {
  const field = SORT_FIELD[kind];
  const key = (e: Entity): string => {
    const v = field ? e[field] : undefined;
    if (typeof v === 'string') return v;
    return kind === 'consumers' && typeof e.custom_id === 'string' ? e.custom_id : '';
  };
  return [...list].sort((a, b) => byCodeUnit(key(a), key(b)) || byCodeUnit(a.id, b.id));
}
