import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  describeEntity,
  diff,
  type Entity,
  type EntityKind,
  type Snapshot,
} from '../../../src/core/index.ts';

const META = {
  format: 1,
  kongVersion: '3.9.1',
  edition: 'enterprise',
  database: 'postgres',
  workspace: null,
  takenAt: 't',
} as const;

function snap(entities: Partial<Record<EntityKind, Entity[]>>): Snapshot {
  return buildSnapshot(
    META,
    Object.fromEntries(
      Object.entries(entities).map(([k, list]) => [k, Object.fromEntries(list.map((e) => [e.id, e]))]),
    ),
  );
}

const gateway = snap({
  services: [{ id: 's1', name: 'orders' }],
  routes: [{ id: 'r1', name: 'orders-api', service: { id: 's1' } }],
  consumers: [{ id: 'c1', username: 'alice' }],
  consumer_groups: [{ id: 'g1', name: 'gold' }],
  upstreams: [{ id: 'u1', name: 'up1' }],
  certificates: [{ id: 'cert1', cert: 'C', key: 'PRIVATE' }],
});

describe('describeEntity', () => {
  it.each<[string, EntityKind, Entity, string]>([
    ['global plugin', 'plugins', { id: 'p', name: 'rate-limiting' }, 'rate-limiting (global)'],
    [
      'service plugin',
      'plugins',
      { id: 'p', name: 'key-auth', service: { id: 's1' } },
      'key-auth for service orders',
    ],
    [
      'service and consumer plugin',
      'plugins',
      { id: 'p', name: 'rate-limiting', service: { id: 's1' }, consumer: { id: 'c1' } },
      'rate-limiting for service orders and consumer alice',
    ],
    ['route plugin', 'plugins', { id: 'p', name: 'cors', route: { id: 'r1' } }, 'cors for route orders-api'],
    [
      'consumer-group plugin',
      'plugins',
      { id: 'p', name: 'rate-limiting', consumer_group: { id: 'g1' } },
      'rate-limiting for consumer group gold',
    ],
    [
      'plugin with instance name',
      'plugins',
      { id: 'p', name: 'cors', instance_name: 'cors-eu' },
      'cors-eu (global)',
    ],
    [
      'port-less target',
      'targets',
      { id: 't', target: 'api.example.com', upstream: { id: 'u1' } },
      'api.example.com:8000 for upstream up1',
    ],
    [
      'key-auth never shows its key',
      'keyauth_credentials',
      { id: 'k1', key: 'SECRET', consumer: { id: 'c1' } },
      'k1 for consumer alice',
    ],
    [
      'basic-auth by username',
      'basicauth_credentials',
      { id: 'b1', username: 'bob', password: 'h', consumer: { id: 'c1' } },
      'bob for consumer alice',
    ],
    [
      'SNI with its certificate',
      'snis',
      { id: 'n1', name: 'api.example.com', certificate: { id: 'cert1' } },
      'api.example.com for certificate cert1',
    ],
    [
      'membership',
      'consumer_group_members',
      { id: 'g1:c1', consumer_group: { id: 'g1' }, consumer: { id: 'c1' } },
      'consumer alice in consumer group gold',
    ],
    ['missing parent falls back to its id', 'routes', { id: 'r9', name: 'x', service: { id: 's9' } }, 'x'],
    [
      'unknown parent id in a plugin',
      'plugins',
      { id: 'p', name: 'cors', service: { id: 's9' } },
      'cors for service s9',
    ],
  ])('%s', (_name, kind, e, expected) => {
    expect(describeEntity(gateway, kind, e)).toBe(expected);
  });
});

describe('diff', () => {
  const target = snap({
    services: [
      { id: 's1', name: 'orders', retries: 1, tags: ['b', 'a'] },
      { id: 's2', name: 'billing' },
    ],
    consumers: [{ id: 'c1', username: 'alice', custom_id: null }],
    plugins: [{ id: 'p1', name: 'rate-limiting', config: { minute: 5, hour: null }, service: { id: 's1' } }],
  });
  const current = snap({
    services: [{ id: 's1', name: 'orders', retries: 5, tags: ['a', 'b'] }],
    routes: [{ id: 'r1', name: 'old', service: { id: 's1' } }],
    consumers: [{ id: 'c1', username: 'alice' }],
    plugins: [{ id: 'p1', name: 'rate-limiting', config: { minute: 10 }, service: { id: 's1' } }],
  });

  it('reports creates, updates with changed field paths, and deletes, top-down per kind', () => {
    const result = diff(current, target);
    expect(result.changes.map((c) => [c.op, c.kind, c.id])).toEqual([
      ['update', 'services', 's1'],
      ['create', 'services', 's2'],
      ['delete', 'routes', 'r1'],
      ['update', 'plugins', 'p1'],
    ]);
    expect(result.changes[0]?.fields).toEqual([{ path: 'retries', before: 5, after: 1 }]);
    expect(result.changes[3]?.fields).toEqual([{ path: 'config.minute', before: 10, after: 5 }]);
    expect(result.counts.services).toEqual({ create: 1, update: 1, delete: 0 });
  });

  it('limits the diff to the sections named in `only`', () => {
    expect(diff(current, target, { only: ['routes'] }).changes.map((c) => c.id)).toEqual(['r1']);
  });

  it('is independent of the order of the input maps', () => {
    const reversed = snap({
      services: Object.values(target.entities.services ?? {}).reverse(),
      consumers: Object.values(target.entities.consumers ?? {}),
      plugins: Object.values(target.entities.plugins ?? {}),
    });
    expect(diff(current, reversed)).toEqual(diff(current, target));
  });
});
