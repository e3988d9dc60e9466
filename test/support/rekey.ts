/**
 * Test support: the same gateway under other ids, as if every entity had been created by hand through the
 * Admin API (Kong picks a random UUID per POST). `rekeySnapshot` replaces each id with `newId(kind, old)`
 * and rewrites every foreign key (and consumer-group member ids) to follow.
 */
import { createHash } from 'node:crypto';
import {
  buildSnapshot,
  CATALOGUE,
  type Entity,
  type EntityKind,
  type EntityMap,
  KINDS_TOP_DOWN,
  memberId,
  type Snapshot,
} from '../../src/core/index.ts';

export function rekeySnapshot(s: Snapshot, newId: (kind: EntityKind, old: string) => string): Snapshot {
  const ids = new Map<EntityKind, Map<string, string>>();
  const entities: Snapshot['entities'] = {};
  for (const kind of KINDS_TOP_DOWN) {
    const map = s.entities[kind];
    if (!map) continue;
    const moved = new Map<string, string>();
    const out: EntityMap = {};
    for (const e of Object.values(map)) {
      const copy: Entity = { ...e };
      for (const fk of CATALOGUE[kind].foreignKeys) {
        const to = ids.get(fk.references);
        const v = copy[fk.field];
        if (!to || v === null || v === undefined) continue;
        if (fk.array && Array.isArray(v)) copy[fk.field] = v.map((x) => to.get(String(x)) ?? x);
        else if (typeof v === 'object') {
          const old = String((v as { id: unknown }).id);
          copy[fk.field] = { id: to.get(old) ?? old };
        }
      }
      copy.id =
        kind === 'consumer_group_members'
          ? memberId((copy.consumer_group as { id: string }).id, (copy.consumer as { id: string }).id)
          : newId(kind, e.id);
      moved.set(e.id, copy.id);
      out[copy.id] = copy;
    }
    ids.set(kind, moved);
    entities[kind] = out;
  }
  return buildSnapshot(s.meta, entities);
}

/** UUIDv4-shaped ids from a seed and a counter (SHA-1): "random", distinct, and the same from run to run. */
export function seededIds(seed: number): (kind: EntityKind, old: string) => string {
  let n = 0;
  return () => {
    const h = createHash('sha1').update(`${seed}:${n++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}
