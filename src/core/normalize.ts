/**
 * Normalization: the form two entities are compared in. Kong returns full entities with `null` for unset
 * fields while decK files and hand-written snapshots leave them out; tags and other set-like arrays come
 * back in any order; a port-less target is stored with `:8000`; hashed secrets never read back as written.
 * None of those differences is a change, so normalization removes them:
 * - server-managed fields (`created_at`, `updated_at`) and the kind's read-only fields are dropped;
 * - null ≡ absent, recursively inside objects;
 * - set-like arrays (catalogue `setFields`) are sorted and an empty set ≡ absent ("tags are sets even though
 *   we represent them with slices", go-database-reconciler pkg/state/types.go);
 * - targets get `:8000` when port-less (kong/db/schema/entities/targets.lua, IPv6 literals bracketed);
 * - hashed fields (catalogue `hashedFields`, honouring `when`), write options (`writeOptionFields`,
 *   key-auth `ttl`, which reads back as seconds left) and assigned fields (`assignedFields`, an AWS id) are
 *   excluded;
 * - foreign-key objects are reduced to `{ id }`.
 * Runs on every entity of two gateways per diff, so it copies only what it rewrites.
 */
import { ALL_KINDS, CATALOGUE, type Entity, type EntityKind } from './catalogue/index.ts';
import { FieldStripper } from './field-strip.ts';
import { type EntityMap, SERVER_MANAGED_FIELDS, type Snapshot, type SnapshotMeta } from './snapshot.ts';

interface KindRules {
  /** removed from snapshots (server-managed, read-only). */
  dropped: Set<string>;
  droppedList: readonly string[];
  /** copies an entity without `dropped` (field-strip.ts) */
  stripper: FieldStripper;
  /** left out of the comparison form: `dropped` plus write options. */
  uncompared: Set<string>;
  sets: Set<string>;
  fkObjects: Set<string>;
  hashed: readonly { field: string; when?: string }[];
  isTarget: boolean;
}

const RULES = new Map<EntityKind, KindRules>(
  ALL_KINDS.map((kind) => {
    const def = CATALOGUE[kind];
    const dropped = new Set<string>([...SERVER_MANAGED_FIELDS, ...def.readOnlyFields]);
    return [
      kind,
      {
        dropped,
        droppedList: Object.freeze([...dropped]),
        stripper: new FieldStripper(dropped),
        uncompared: new Set<string>([
          ...dropped,
          ...(def.writeOptionFields ?? []),
          ...(def.assignedFields ?? []),
        ]),
        sets: new Set(def.setFields),
        fkObjects: new Set(def.foreignKeys.filter((fk) => !fk.array).map((fk) => fk.field)),
        hashed: def.hashedFields,
        isTarget: kind === 'targets',
      },
    ];
  }),
);

function rulesOf(kind: EntityKind): KindRules {
  const rules = RULES.get(kind);
  if (!rules) throw new TypeError(`unknown entity kind ${String(kind)}`);
  return rules;
}

/**
 * The fields `stripServerFields` removes from an entity of this kind. For one-shot serialization a caller
 * that owns the row may set them to `undefined` instead of copying it (JSON.stringify leaves such
 * properties out, and the object keeps its shape).
 */
export function serverFieldsOf(kind: EntityKind): readonly string[] {
  return rulesOf(kind).droppedList;
}

/** The entity as it belongs in a snapshot: without server-managed and read-only fields. */
export function stripServerFields(kind: EntityKind, e: Entity): Entity {
  return rulesOf(kind).stripper.strip(e);
}

/** `stripServerFields` for many rows of one kind: the kind's stripper, looked up once. */
export function serverFieldStripper(kind: EntityKind): FieldStripper {
  return rulesOf(kind).stripper;
}

/** The hashed fields present on this entity (oauth2 `client_secret` only with `hash_secret: true`). */
const NONE: readonly string[] = Object.freeze([]);

export function hashedFieldsOf(kind: EntityKind, e: Entity): readonly string[] {
  const { hashed } = rulesOf(kind);
  if (hashed.length === 0) return NONE;
  const out: string[] = [];
  for (const h of hashed) {
    if (h.when !== undefined && e[h.when] !== true) continue;
    if (e[h.field] !== undefined && e[h.field] !== null) out.push(h.field);
  }
  return out;
}

/** `host` → `host:8000`, `[::1]` → `[::1]:8000`, bare IPv6 `::1` → `[::1]:8000`; ports kept. */
export function normalizeTarget(target: string): string {
  if (target.startsWith('[')) return target.includes(']:') ? target : `${target}:8000`;
  const colons = target.split(':').length - 1;
  if (colons === 0) return `${target}:8000`;
  if (colons === 1) return target;
  return `[${target}]:8000`;
}

function compareSetItems(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Recursively drops null members of objects; arrays keep their items (and order). */
export function normalizeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = normalizeValue(value[i]);
    return out;
  }
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === null || v === undefined) continue;
    out[key] = normalizeValue(v);
  }
  return out;
}

/** The comparison form of one entity (see the file comment for the rules). */
export function normalizeEntity(kind: EntityKind, e: Entity): Entity {
  const rules = rulesOf(kind);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(e)) {
    const v = e[key];
    if (v === null || v === undefined || rules.uncompared.has(key)) continue;
    if (rules.sets.has(key) && Array.isArray(v)) {
      if (v.length === 0) continue;
      out[key] = v.map(normalizeValue).sort(compareSetItems);
    } else if (rules.fkObjects.has(key)) {
      out[key] = typeof v === 'object' ? { id: (v as { id?: unknown }).id } : { id: v };
    } else if (rules.isTarget && key === 'target' && typeof v === 'string') {
      out[key] = normalizeTarget(v);
    } else {
      out[key] = normalizeValue(v);
    }
  }
  for (const field of hashedFieldsOf(kind, e)) delete out[field];
  return out as Entity;
}

export function normalizeEntityMap(kind: EntityKind, map: EntityMap | undefined): EntityMap {
  const out: EntityMap = {};
  if (!map) return out;
  for (const id of Object.keys(map)) out[id] = normalizeEntity(kind, map[id] as Entity);
  return out;
}

/** Every entity of the snapshot in comparison form; meta kept. */
export function normalizeSnapshot(s: Snapshot): Snapshot {
  const entities: Snapshot['entities'] = {};
  for (const kind of ALL_KINDS) {
    const map = s.entities[kind];
    if (map) entities[kind] = normalizeEntityMap(kind, map);
  }
  return { meta: s.meta, entities };
}

/** A snapshot whose `meta.counts` is filled from the entity maps it holds. */
export function buildSnapshot(
  meta: Omit<SnapshotMeta, 'counts'> & { counts?: SnapshotMeta['counts'] },
  entities: Snapshot['entities'],
): Snapshot {
  const counts: SnapshotMeta['counts'] = {};
  for (const kind of ALL_KINDS) {
    const map = entities[kind];
    if (map) counts[kind] = Object.keys(map).length;
  }
  return { meta: { ...meta, counts }, entities };
}
