/**
 * diff(current, target): what differs between two gateways, entity by entity. An entity is matched by
 * id (ids survive restores); it is a create when only the target has it, a delete when only the current
 * gateway has it, an update when both have it and their normalized forms differ (see normalize.ts).
 * Order is deterministic: kinds top-down (catalogue order), then creates/updates by id, then deletes by id.
 *
 * Fields Kong generates when omitted (catalogue `autoFields`: a jwt `secret`) are compared only when the
 * target has them: without one, the gateway keeps what Kong generated and re-applying cannot change it.
 *
 * Speed: two raw entities that are structurally equal normalize equally, so normalization runs only for
 * pairs whose raw forms differ; identical gateways cost one structural comparison per entity.
 */
import {
  ALL_KINDS,
  CATALOGUE,
  type Catalogue,
  catalogueOf,
  type Entity,
  type EntityKind,
  KONG_CATALOGUE,
  kindsOfSection,
  type Section,
} from './catalogue/index.ts';
import { describeEntity } from './describe.ts';
import { deepEqual, fieldChanges } from './equality.ts';
import type { Change, DiffResult, FieldChange } from './model.ts';
import { normalizeEntity } from './normalize.ts';
import type { EntityMap, Snapshot } from './snapshot.ts';

export interface DiffOptions {
  only?: Section[];
}

/** The catalogue's kinds a section filter covers, top-down; every kind without a filter (Kong's by default). */
export function kindsInScope(
  only?: readonly Section[] | null,
  catalogue: Catalogue = KONG_CATALOGUE,
): EntityKind[] {
  if (!only || only.length === 0) return [...catalogue.topDown];
  const wanted = new Set<EntityKind>(only.flatMap((s) => kindsOfSection(s)));
  return catalogue.topDown.filter((k) => wanted.has(k));
}

const LEAF_KEYS = new Map<EntityKind, ReadonlySet<string>>(
  ALL_KINDS.map((k) => [k, new Set(CATALOGUE[k].foreignKeys.map((fk) => fk.field))]),
);

const AUTO_FIELDS = new Map<EntityKind, readonly string[]>(
  ALL_KINDS.map((k) => [k, CATALOGUE[k].autoFields ?? []]),
);

/** Changed fields of one entity present on both sides, or null when they are equal after normalization. */
export function compareEntities(kind: EntityKind, before: Entity, after: Entity): FieldChange[] | null {
  if (deepEqual(before, after)) return null;
  const nb = normalizeEntity(kind, before);
  const na = normalizeEntity(kind, after);
  // normalizeEntity returns a fresh object, so dropping fields from `nb` touches no caller's entity
  for (const field of AUTO_FIELDS.get(kind) ?? []) if (!(field in na)) delete nb[field];
  if (deepEqual(nb, na)) return null;
  return fieldChanges(nb, na, LEAF_KEYS.get(kind));
}

/**
 * The changes of one kind, in diff order (creates and updates by id, then deletes by id). Only the ids of
 * changed entities are sorted: map order must not matter, but sorting every id costs more than the diff.
 */
export function diffKind(kind: EntityKind, current: Snapshot, target: Snapshot): Change[] {
  const cur: EntityMap = current.entities[kind] ?? {};
  const tgt: EntityMap = target.entities[kind] ?? {};
  const upserted: string[] = [];
  const fieldsById = new Map<string, FieldChange[]>();
  for (const id in tgt) {
    const before = cur[id];
    if (!before) {
      upserted.push(id);
      continue;
    }
    const fields = compareEntities(kind, before, tgt[id] as Entity);
    if (fields) {
      upserted.push(id);
      fieldsById.set(id, fields);
    }
  }
  const deleted: string[] = [];
  for (const id in cur) if (!tgt[id]) deleted.push(id);
  upserted.sort();
  deleted.sort();

  const out: Change[] = new Array(upserted.length + deleted.length);
  let i = 0;
  for (const id of upserted) {
    const after = tgt[id] as Entity;
    const name = describeEntity(target, kind, after);
    const fields = fieldsById.get(id);
    out[i++] = fields
      ? { op: 'update', kind, id, name, before: cur[id] as Entity, after, fields }
      : { op: 'create', kind, id, name, after };
  }
  for (const id of deleted) {
    const before = cur[id] as Entity;
    out[i++] = { op: 'delete', kind, id, name: describeEntity(current, kind, before), before };
  }
  return out;
}

export function countChanges(changes: readonly Change[]): DiffResult['counts'] {
  const counts: DiffResult['counts'] = {};
  for (const c of changes) {
    const entry = counts[c.kind] ?? { create: 0, update: 0, delete: 0 };
    entry[c.op]++;
    counts[c.kind] = entry;
  }
  return counts;
}

export function diff(current: Snapshot, target: Snapshot, options: DiffOptions = {}): DiffResult {
  const changes: Change[] = [];
  for (const kind of kindsInScope(options.only, catalogueOf(target.meta))) {
    for (const change of diffKind(kind, current, target)) changes.push(change);
  }
  return { changes, counts: countChanges(changes) };
}
