/**
 * Finding and erasing one person's consumer in a snapshot (GDPR Art. 17). A consumer is named the way
 * Kong lets people name it: its id, its `username` or its `custom_id` (kong/db/schema/entities/consumers.lua:
 * both unique, either may be absent). Erasing removes the consumer and everything that points at it,
 * following every foreign key to a removed entity until nothing more goes: its credentials of every kind,
 * its consumer-group memberships and the plugins scoped to it. Nothing else in a Kong configuration is
 * tied to a consumer by reference.
 */
import { CATALOGUE, ENTITY_KINDS, type Entity, type EntityKind } from './catalogue/index.ts';
import { refId } from './profile.ts';
import type { Snapshot } from './snapshot.ts';

/** The consumers `query` names: by id, username or custom_id (exact, case-sensitive, as Kong compares). */
export function consumersNamed(snapshot: Snapshot, query: string): Entity[] {
  const consumers = snapshot.entities.consumers;
  if (!consumers || query === '') return [];
  const byId = consumers[query];
  const found = byId ? [byId] : [];
  for (const c of Object.values(consumers)) {
    if (c === byId) continue;
    if (c.username === query || c.custom_id === query) found.push(c);
  }
  return found;
}

export interface Erasure {
  snapshot: Snapshot;
  /** entities removed per kind (the consumer itself under `consumers`) */
  removed: Partial<Record<EntityKind, number>>;
}

/**
 * The snapshot without the consumers with these ids and everything scoped to them; `meta.counts` follows.
 * The input is not changed.
 */
export function eraseConsumers(snapshot: Snapshot, consumerIds: readonly string[]): Erasure {
  const gone = new Map<EntityKind, Set<string>>([['consumers', new Set(consumerIds)]]);
  const removedIds = (kind: EntityKind) => {
    const set = gone.get(kind) ?? new Set<string>();
    gone.set(kind, set);
    return set;
  };
  // follow references to removed entities until nothing more goes (a member's consumer, a plugin's)
  let grew = true;
  while (grew) {
    grew = false;
    for (const kind of ENTITY_KINDS) {
      const fks = CATALOGUE[kind].foreignKeys.filter((fk) => (gone.get(fk.references)?.size ?? 0) > 0);
      if (fks.length === 0) continue;
      const mine = removedIds(kind);
      for (const [id, e] of Object.entries(snapshot.entities[kind] ?? {})) {
        if (mine.has(id)) continue;
        const hit = fks.some((fk) => {
          const targets = gone.get(fk.references) as Set<string>;
          const v = e[fk.field];
          if (fk.array && Array.isArray(v)) return v.some((x) => targets.has(String(x)));
          const ref = refId(v);
          return ref !== null && targets.has(ref);
        });
        if (hit) {
          mine.add(id);
          grew = true;
        }
      }
    }
  }
  const entities: Snapshot['entities'] = {};
  const counts: Snapshot['meta']['counts'] = { ...snapshot.meta.counts };
  const removed: Erasure['removed'] = {};
  for (const kind of ENTITY_KINDS) {
    const map = snapshot.entities[kind];
    if (!map) continue;
    const drop = gone.get(kind);
    const dropped = drop ? Object.keys(map).filter((id) => drop.has(id)).length : 0;
    if (dropped === 0) {
      entities[kind] = map;
      continue;
    }
    const kept = Object.fromEntries(Object.entries(map).filter(([id]) => !drop?.has(id)));
    entities[kind] = kept;
    counts[kind] = Object.keys(kept).length;
    removed[kind] = dropped;
  }
  return { snapshot: { meta: { ...snapshot.meta, counts }, entities }, removed };
}
