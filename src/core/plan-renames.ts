/**
 * Renames: a target entity whose unique value (any unique constraint in the catalogue, not only the natural
 * key) is held on the gateway by an entity with another id. PUT-by-id of the target entity would hit
 * Kong's unique constraint (409), so the holder is deleted first, as decK does (go-database-reconciler
 * pkg/diff/diff.go `deleteDuplicates` runs bottom-up before creates and updates; pkg/types/service.go
 * deletes a duplicate service together with its routes and plugins).
 */
import { CATALOGUE, type Entity, type EntityKind } from './catalogue/index.ts';
import type { Change } from './model.ts';
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
 * The value of one unique constraint, as a Map key; null when the constraint does not bind. A single
 * unset field never clashes (SQL unique allows many NULLs), and its value is used as the key itself (no
 * string building: this runs over every entity of a changed kind). In a composite key (plugins' cache
 * key {name, service, route, consumer}) an unset member is part of the value, as in Kong's cache_key.
 */
export function uniqueValue(kind: EntityKind, e: Entity, fields: readonly string[]): unknown {
  if (fields.length === 1) return fieldValue(kind, e, fields[0] as string);
  let key = '';
  let bound = false;
  for (const f of fields) {
    const v = fieldValue(kind, e, f);
    if (v !== null) bound = true;
    key += v === null ? '\u0002' : typeof v === 'string' ? `\u0001${v}` : `\u0003${JSON.stringify(v)}`;
  }
  return bound ? key : null;
}

/**
 * Every entity of `current` holding a unique value that a created or updated target entity with another
 * id needs. Unchanged target entities cannot clash: the current gateway already holds them, and it is
 * itself free of duplicates (Kong enforces that), so only the changes need checking.
 */
export function findRenames(
  current: Snapshot,
  target: Snapshot,
  changes: readonly Change[],
): RenameConflict[] {
  const changedByKind = new Map<EntityKind, string[]>();
  for (const c of changes) {
    if (c.op === 'delete') continue;
    const list = changedByKind.get(c.kind);
    if (list) list.push(c.id);
    else changedByKind.set(c.kind, [c.id]);
  }
  const out: RenameConflict[] = [];
  for (const [kind, changedIds] of changedByKind) {
    const cur = current.entities[kind];
    const tgt = target.entities[kind];
    if (!cur || !tgt || isEmpty(cur)) continue;
    const found = new Set<string>();
    for (const fields of CATALOGUE[kind].unique) {
      const wanted = new Map<unknown, string>();
      for (const id of changedIds) {
        const key = uniqueValue(kind, tgt[id] as Entity, fields);
        const own = cur[id];
        if (key !== null && (!own || uniqueValue(kind, own, fields) !== key)) wanted.set(key, id);
      }
      if (wanted.size === 0) continue;
      for (const id in cur) {
        if (found.has(id)) continue;
        const key = uniqueValue(kind, cur[id] as Entity, fields);
        const targetId = key === null ? undefined : wanted.get(key);
        if (targetId !== undefined && targetId !== id) {
          found.add(id);
          out.push({ kind, currentId: id, targetId, fields });
        }
      }
    }
  }
  return out.sort((a, b) => (a.kind === b.kind ? cmp(a.currentId, b.currentId) : cmp(a.kind, b.kind)));
}

/** No entity of the kind on the gateway: nothing can hold a value (a restore onto an empty gateway). */
function isEmpty(entities: Readonly<Record<string, unknown>>): boolean {
  for (const _ in entities) return false;
  return true;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
