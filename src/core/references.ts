/**
 * Foreign-key references between entities, read through the catalogue: which parents an entity points at
 * (`referencesOf`) and, with a `ReferenceIndex`, which entities point at a given parent. The planner uses
 * it to find the dependents of an entity it must delete; applyPlanInMemory uses it to check every delete
 * in O(1) instead of scanning the gateway.
 */
import { CATALOGUE, type Entity, type EntityKind, type ForeignKey } from './catalogue/index.ts';

export interface Reference {
  field: string;
  kind: EntityKind;
  id: string;
  fk: ForeignKey;
}

/** The parents `e` points at: `{ id }` objects (or bare ids) and raw-id arrays (services.ca_certificates). */
export function referencesOf(kind: EntityKind, e: Entity): Reference[] {
  const out: Reference[] = [];
  for (const fk of CATALOGUE[kind].foreignKeys) {
    const v = e[fk.field];
    if (v === null || v === undefined) continue;
    if (fk.array) {
      if (Array.isArray(v)) {
        for (const id of v)
          if (typeof id === 'string') out.push({ field: fk.field, kind: fk.references, id, fk });
      }
    } else if (typeof v === 'string') {
      out.push({ field: fk.field, kind: fk.references, id: v, fk });
    } else if (typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') {
      out.push({ field: fk.field, kind: fk.references, id: (v as { id: string }).id, fk });
    }
  }
  return out;
}

export function entityKey(kind: EntityKind, id: string): string {
  return `${kind}\u0000${id}`;
}

export interface Referrer {
  kind: EntityKind;
  id: string;
  field: string;
}

/** parent → the entities referencing it (by kind, id and field). */
export class ReferenceIndex {
  private readonly byParent = new Map<string, Map<string, Referrer>>();

  add(kind: EntityKind, e: Entity): void {
    for (const ref of referencesOf(kind, e)) {
      const key = entityKey(ref.kind, ref.id);
      let referrers = this.byParent.get(key);
      if (!referrers) {
        referrers = new Map();
        this.byParent.set(key, referrers);
      }
      referrers.set(`${kind}\u0000${e.id}\u0000${ref.field}`, { kind, id: e.id, field: ref.field });
    }
  }

  remove(kind: EntityKind, e: Entity): void {
    for (const ref of referencesOf(kind, e)) {
      const key = entityKey(ref.kind, ref.id);
      const referrers = this.byParent.get(key);
      if (!referrers) continue;
      referrers.delete(`${kind}\u0000${e.id}\u0000${ref.field}`);
      if (referrers.size === 0) this.byParent.delete(key);
    }
  }

  referrers(kind: EntityKind, id: string): Referrer[] {
    const referrers = this.byParent.get(entityKey(kind, id));
    return referrers ? [...referrers.values()] : [];
  }

  /** Index of every entity of `entities` (kinds absent from the map are skipped). */
  static of(entities: Partial<Record<EntityKind, Record<string, Entity>>>): ReferenceIndex {
    const index = new ReferenceIndex();
    for (const kind of Object.keys(entities) as EntityKind[]) {
      if (CATALOGUE[kind].foreignKeys.length === 0) continue;
      for (const e of Object.values(entities[kind] ?? {})) index.add(kind, e);
    }
    return index;
  }
}

/** A map keyed by (kind, id) without building a composite string key per lookup (hot in the planner). */
export class KindIdMap<T> {
  private readonly byKind = new Map<EntityKind, Map<string, T>>();

  has(kind: EntityKind, id: string): boolean {
    return this.byKind.get(kind)?.has(id) === true;
  }

  get(kind: EntityKind, id: string): T | undefined {
    return this.byKind.get(kind)?.get(id);
  }

  set(kind: EntityKind, id: string, value: T): void {
    let map = this.byKind.get(kind);
    if (!map) {
      map = new Map();
      this.byKind.set(kind, map);
    }
    map.set(id, value);
  }

  kinds(): EntityKind[] {
    return [...this.byKind.keys()];
  }

  *values(): IterableIterator<T> {
    for (const map of this.byKind.values()) yield* map.values();
  }
}
