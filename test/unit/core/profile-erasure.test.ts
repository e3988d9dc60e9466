/**
 * Backup profiles and erasure in the pure core: which kinds a profile leaves out (following Kong's
 * foreign keys: kong/db/schema/entities/*.lua and the plugins' daos.lua make a credential's and a group
 * member's consumer required, a plugin's optional), the excluding sink, carrying live entities into a
 * restore's target, and removing one consumer with everything pointing at it.
 */
import { describe, expect, it } from 'vitest';
import {
  consumersNamed,
  type Entity,
  type EntityKind,
  eraseConsumers,
  excludingSink,
  exclusionOf,
  keepExcluded,
  type Snapshot,
  type SnapshotSink,
  withExclusion,
} from '../../../src/core/index.ts';

const meta = {
  format: 1 as const,
  kongVersion: '3.9.0',
  edition: 'community' as const,
  database: 'postgres' as const,
  workspace: null,
  takenAt: '2026-12-06T00:00:00.000Z',
  counts: {},
};

function snapshot(entities: Partial<Record<EntityKind, Entity[]>>, extra = {}): Snapshot {
  return {
    meta: {
      ...meta,
      ...extra,
      counts: Object.fromEntries(Object.entries(entities).map(([k, v]) => [k, v.length])),
    },
    entities: Object.fromEntries(
      Object.entries(entities).map(([k, list]) => [k, Object.fromEntries(list.map((e) => [e.id, e]))]),
    ),
  };
}

const ALICE = { id: 'c-alice', username: 'alice', custom_id: 'crm-1' };
const BOB = { id: 'c-bob', username: 'bob' };
const GATEWAY = snapshot({
  services: [{ id: 's1', name: 'orders' }],
  consumers: [ALICE, BOB],
  consumer_groups: [{ id: 'g1', name: 'gold' }],
  consumer_group_members: [
    { id: 'm1', consumer: { id: 'c-alice' }, consumer_group: { id: 'g1' } },
    { id: 'm2', consumer: { id: 'c-bob' }, consumer_group: { id: 'g1' } },
  ],
  keyauth_credentials: [
    { id: 'k1', key: 'alice-key', consumer: { id: 'c-alice' } },
    { id: 'k2', key: 'bob-key', consumer: { id: 'c-bob' } },
  ],
  plugins: [
    { id: 'p1', name: 'rate-limiting', service: { id: 's1' } },
    { id: 'p2', name: 'rate-limiting', consumer: { id: 'c-alice' } },
    { id: 'p3', name: 'acl', consumer_group: { id: 'g1' } },
  ],
});

describe('exclusionOf (backup profiles)', () => {
  it('consumers: every credential kind and group members go with them; plugins lose the scoped ones', () => {
    const ex = exclusionOf(['consumers']);
    expect(ex?.kinds).toEqual([
      'consumers',
      'keyauth_credentials',
      'basicauth_credentials',
      'jwt_secrets',
      'hmacauth_credentials',
      'acls',
      'oauth2_credentials',
      'mtls_auth_credentials',
      'consumer_group_members',
    ]);
    expect(ex?.scoped).toEqual(['plugins']);
  });

  it('credentials alone leave consumers and plugins whole; nothing excluded is null', () => {
    expect(exclusionOf(['credentials'])?.scoped).toEqual([]);
    expect(exclusionOf(['credentials'])?.kinds).not.toContain('consumers');
    expect(exclusionOf([])).toBeNull();
    expect(exclusionOf(['consumer_groups'])).toMatchObject({
      kinds: ['consumer_groups', 'consumer_group_members'],
      scoped: ['plugins'],
    });
  });

  it('the excluding sink passes on only what is kept; the meta says what was left out', () => {
    const ex = exclusionOf(['consumers'])!;
    const got: Record<string, string[]> = {};
    const inner: SnapshotSink = {
      begin: (kinds) => {
        got.begin = [...kinds];
      },
      add: (kind, list) => {
        got[kind] = [...(got[kind] ?? []), ...list.map((e) => e.id)];
      },
      close: (kind) => got[kind]?.length ?? 0,
    };
    const sink = excludingSink(inner, ex);
    sink.begin?.(['services', 'consumers', 'plugins']);
    for (const [kind, map] of Object.entries(GATEWAY.entities))
      sink.add(kind as EntityKind, Object.values(map));
    expect(got.begin).toEqual(['services', 'plugins']);
    expect(got.plugins).toEqual(['p1', 'p3']);
    expect(got.consumers).toBeUndefined();
    expect(got.keyauth_credentials).toBeUndefined();
    expect(sink.close('consumers')).toBe(0);
    const m = withExclusion({ ...meta, counts: { services: 1, consumers: 0, plugins: 2 } }, ex);
    expect(m.counts).toEqual({ services: 1, plugins: 2 });
    expect(m.excluded).toBe(ex);
  });

  it("keepExcluded carries the live gateway's excluded kinds and scoped plugins into the target", () => {
    const ex = exclusionOf(['consumers'])!;
    const target = snapshot(
      { services: [{ id: 's1', name: 'orders' }], plugins: [{ id: 'p1', name: 'x' }] },
      { excluded: ex },
    );
    const kept = keepExcluded(target, GATEWAY);
    expect(Object.keys(kept.entities.consumers ?? {})).toEqual(['c-alice', 'c-bob']);
    expect(Object.keys(kept.entities.plugins ?? {}).sort()).toEqual(['p1', 'p2']);
    expect(kept.entities.plugins?.p1).toEqual({ id: 'p1', name: 'x' }); // the backup's own wins
    // a backup without an exclusion is planned as it is
    const plain = snapshot({ services: [] });
    expect(keepExcluded(plain, GATEWAY)).toBe(plain);
  });
});

describe('erasure', () => {
  it('names consumers by id, username or custom_id, exactly', () => {
    expect(consumersNamed(GATEWAY, 'alice').map((c) => c.id)).toEqual(['c-alice']);
    expect(consumersNamed(GATEWAY, 'crm-1').map((c) => c.id)).toEqual(['c-alice']);
    expect(consumersNamed(GATEWAY, 'c-bob').map((c) => c.id)).toEqual(['c-bob']);
    expect(consumersNamed(GATEWAY, 'Alice')).toEqual([]);
    expect(consumersNamed(GATEWAY, '')).toEqual([]);
  });

  it('removes the consumer and everything pointing at it; the rest and the input stay as they were', () => {
    const { snapshot: out, removed } = eraseConsumers(GATEWAY, ['c-alice']);
    expect(removed).toEqual({ consumers: 1, consumer_group_members: 1, keyauth_credentials: 1, plugins: 1 });
    expect(Object.keys(out.entities.consumers ?? {})).toEqual(['c-bob']);
    expect(Object.keys(out.entities.plugins ?? {})).toEqual(['p1', 'p3']);
    expect(Object.keys(out.entities.keyauth_credentials ?? {})).toEqual(['k2']);
    expect(out.meta.counts).toMatchObject({ consumers: 1, plugins: 2, keyauth_credentials: 1 });
    expect(JSON.stringify(out)).not.toContain('alice');
    expect(Object.keys(GATEWAY.entities.consumers ?? {})).toHaveLength(2);
  });
});
