/**
 * Kong's Admin API paths per kind (src/kong/admin-paths.ts), kept out of the gateway-neutral catalogue:
 * every kind is reachable (a collection, or a nested path under the parent the catalogue names), and
 * kinds written nested have a parent (kong/api/routes/*.lua, kong/plugins/<plugin>/api.lua).
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE, ENTITY_KINDS } from '../../../src/core/index.ts';
import { ADMIN_PATHS } from '../../../src/kong/admin-paths.ts';

describe('Admin API paths', () => {
  it.each(ENTITY_KINDS)('%s: is written somewhere (a collection or a nested path)', (kind) => {
    const path = ADMIN_PATHS[kind];
    const parent = CATALOGUE[kind].nested;
    expect(path.collection !== null || (parent !== undefined && path.nested !== undefined)).toBe(true);
    if (path.writeNested) expect(parent && path.nested).toBeTruthy();
    if (parent && path.nested) expect(ADMIN_PATHS[parent.parentKind].collection).toMatch(/^\//);
  });

  it('the gateway-neutral catalogue holds no Admin API path', () => {
    for (const kind of ENTITY_KINDS) {
      const def = CATALOGUE[kind] as unknown as Record<string, unknown>;
      expect(
        Object.keys(def).filter((k) => /path|endpoint|writeNested/i.test(k)),
        kind,
      ).toEqual([]);
      expect(JSON.stringify(def.nested ?? {})).not.toMatch(/segment/);
    }
  });
});
