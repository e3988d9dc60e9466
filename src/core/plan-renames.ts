/**
 * Renames: a target entity whose unique value (any unique constraint in the catalogue, not only the natural
 * key) is held on the gateway by an entity with another id. PUT-by-id of the target entity would hit
 * Kong's unique constraint (409), so the holder is deleted first, as decK does (go-database-reconciler
 * pkg/diff/diff.go `deleteDuplicates` runs bottom-up before creates and updates; pkg/types/service.go
 * deletes a duplicate service together with its routes and plugins).
 */
import { CATALOGUE, type Entity, type EntityKind } from './catalogue/index.ts';
import { normalizeTarget } from './normalize.ts';
import type { Snapshot } from './snapshot.ts';

export interface RenameConflict {
  kind: EntityKind;
  /** the entity on the gateway holding the value */
  currentId: string;
  /** the target entity that needs it */
  targetId: string;
  fields: readonly string[];
}

function fieldValue(kind: EntityKind, e: Entity, field: string): unknown {
  const v = e[field];
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && !Array.isArray(v)) return (v as { id?: unknown }).id ?? null;
  if (kind === 'targets' && field === 'target' && typeof v === 'string') return normalizeTarget(v);
  return v;
}

/**
 * The value of one unique constraint, as a string key; null when the constraint does not bind. A single
 * unset field never clashes (SQL unique allows many NULLs); in a composite key (plugins' cache key
 * {name, service, route, consumer}) an unset member is part of the value, as in Kong's cache_key.
 */
export function uniqueValue(kind: EntityKind, e: Entity, fields: readonly string[]): string | null {
  if (fields.length === 1) {
    const v = fieldValue(kind, e, fields[0] as string);
    if (v === null) return null;
    return typeof v === 'string' ? `s${v}` : `j${JSON.stringify(v)}`;
  }
  const parts = fields.map((f) => fieldValue(kind, e, f));
  if (parts.every((p) => p === null)) return null;
  return JSON.stringify(parts);
}

/** Every entity of `current` (in `kinds`) that holds a unique value some other-id target entity needs. */
export function findRenames(
  current: Snapshot,
  target: Snapshot,
  kinds: readonly EntityKind[],
): RenameConflict[] {
  const out: RenameConflict[] = [];
  for (const kind of kinds) {
    const cur = current.entities[kind];
    const tgt = target.entities[kind];
    if (!cur || !tgt) continue;
    const found = new Set<string>();
    for (const fields of CATALOGUE[kind].unique) {
      const holders = new Map<string, string>();
      for (const id of Object.keys(tgt)) {
        const key = uniqueValue(kind, tgt[id] as Entity, fields);
        if (key !== null) holders.set(key, id);
      }
      if (holders.size === 0) continue;
      for (const id of Object.keys(cur)) {
        if (found.has(id)) continue;
        const key = uniqueValue(kind, cur[id] as Entity, fields);
        const targetId = key === null ? undefined : holders.get(key);
        if (targetId !== undefined && targetId !== id) {
          found.add(id);
          out.push({ kind, currentId: id, targetId, fields });
        }
      }
    }
  }
  return out.sort((a, b) => (a.kind === b.kind ? cmp(a.currentId, b.currentId) : cmp(a.kind, b.kind)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
