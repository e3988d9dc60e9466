/**
 * The name an id is derived from when a file gives none: the kind's natural key from the catalogue
 * (decK matches file entities to live ones by the same keys, go-database-reconciler pkg/file/builder.go),
 * with references already turned into parent ids. Entities whose natural key is empty (an unnamed route,
 * a key-auth credential left for Kong to generate) fall back to their whole content.
 */
import { CATALOGUE, type Entity, type EntityKind } from '../catalogue/index.ts';
import { isPlainObject } from './defaults.ts';

export function naturalIdParts(kind: EntityKind, entity: Record<string, unknown>): string[] {
  if (kind === 'consumers') {
    if (typeof entity.username === 'string') return ['username', entity.username];
    if (typeof entity.custom_id === 'string') return ['custom_id', entity.custom_id];
  }
  const def = CATALOGUE[kind];
  const fkFields = new Set(def.foreignKeys.map((f) => f.field));
  const parts: string[] = [];
  let ownValues = 0;
  for (const field of def.naturalKey) {
    const v = entity[field];
    if (fkFields.has(field)) {
      parts.push(isPlainObject(v) && typeof v.id === 'string' ? v.id : '');
    } else if (typeof v === 'string' || typeof v === 'number') {
      parts.push(String(v));
      ownValues++;
    } else parts.push('');
  }
  if (ownValues > 0) return parts;
  // no natural key of its own: the parents plus the full content identify it
  return ['content', ...parts, canonical(entity as Entity)];
}

/** JSON with object keys sorted at every level: equal content, equal text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
