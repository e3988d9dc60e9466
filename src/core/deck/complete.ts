/**
 * completeSnapshot: a snapshot as a decK file round trip leaves it — top-level nulls, server-managed
 * and read-only fields dropped, Kong's schema defaults filled, port-less targets given `:8000`. For a
 * snapshot dumped from a live gateway this changes nothing that normalize() would not ignore; for a
 * hand-built one it is the fixpoint `fromDeckFile(toDeckFile(s))` reaches, which is what tests compare.
 */
import { CATALOGUE, ENTITY_KINDS, type Entity, type EntityKind } from '../catalogue/index.ts';
import type { EntityMap, Snapshot, SnapshotMeta } from '../snapshot.ts';
import { cloneJson, completeEntity } from './defaults.ts';
import { refId } from './entity-shape.ts';
import { IGNORED_FIELDS } from './shapes.ts';

export function completeSnapshot(snapshot: Snapshot): Snapshot {
  const entities: Snapshot['entities'] = {};
  const counts: SnapshotMeta['counts'] = {};
  // a file cannot say "this kind was dumped and is empty": empty kinds leave, counts follow the rest
  for (const kind of ENTITY_KINDS) {
    const map = snapshot.entities[kind];
    if (!map || Object.keys(map).length === 0) continue;
    const out: EntityMap = {};
    for (const [id, entity] of Object.entries(map)) out[id] = completeOne(kind, entity);
    entities[kind] = out;
    counts[kind] = Object.keys(out).length;
  }
  return { meta: { ...snapshot.meta, counts }, entities };
}

function completeOne(kind: EntityKind, entity: Entity): Entity {
  const def = CATALOGUE[kind];
  const dropped = new Set([...IGNORED_FIELDS, ...def.readOnlyFields]);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    if (value === null || value === undefined || dropped.has(key)) continue;
    const fk = def.foreignKeys.find((f) => f.field === key && !f.array);
    const id = fk ? refId(value) : null;
    out[key] = id !== null ? { id } : cloneJson(value);
  }
  if (kind !== 'consumer_group_members') completeEntity(kind, out as Entity, {});
  return out as Entity;
}
