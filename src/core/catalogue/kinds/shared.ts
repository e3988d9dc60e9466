import type { Entity } from '../types.ts';

/** Label from the first present string field, else the id. */
export function labelFrom(...fields: string[]): (e: Entity) => string {
  return (e) => {
    for (const f of fields) {
      const v = e[f];
      if (typeof v === 'string' && v.length > 0) return v;
    }
    return e.id;
  };
}

/** Every kind carries tags, a set. */
export const TAGS = ['tags'] as const;
