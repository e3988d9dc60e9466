import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  buildDeckDocument,
  completeSnapshot,
  type Entity,
  fromDeckFile,
  type Snapshot,
  toDeckFile,
  toKongDeclarative,
} from '../../../src/core/index.ts';
import { DECK_FIXTURES, fixtureText } from './deck-fixtures.ts';

const META: Snapshot['meta'] = {
  format: 1,
  kongVersion: '3.9.1',
  edition: 'enterprise',
  database: 'postgres',
  workspace: null,
  takenAt: '2026-11-21T12:00:00.000Z',
  counts: {},
};
const ID = {
  svc: '11111111-1111-4111-8111-111111111111',
  route: '22222222-2222-4222-8222-222222222222',
  alice: '33333333-3333-4333-8333-333333333333',
  group: '44444444-4444-4444-8444-444444444444',
  up: '55555555-5555-4555-8555-555555555555',
  cert: '66666666-6666-4666-8666-666666666666',
};
const p = (id: string, name: string, scope: Record<string, string>): Entity => ({
  id,
  name,
  enabled: true,
  config: { minute: 5, hour: null },
  ...Object.fromEntries(Object.entries(scope).map(([k, v]) => [k, { id: v }])),
});

/** A dump-like snapshot: nulls, timestamps, the certificates' `snis` pseudo-field, every scope. */
const SNAPSHOT: Snapshot = {
  meta: META,
  entities: {
    services: { [ID.svc]: { id: ID.svc, name: 'orders', host: 'o', port: 80, path: null, created_at: 1 } },
    routes: { [ID.route]: { id: ID.route, name: 'r', paths: ['/'], service: { id: ID.svc }, updated_at: 2 } },
    consumers: { [ID.alice]: { id: ID.alice, username: 'alice', custom_id: null } },
    consumer_groups: { [ID.group]: { id: ID.group, name: 'gold' } },
    consumer_group_members: {
      [`${ID.group}:${ID.alice}`]: {
        id: `${ID.group}:${ID.alice}`,
        consumer_group: { id: ID.group },
        consumer: { id: ID.alice },
      },
    },
    plugins: {
      a1: p('a1a1a1a1-0000-4000-8000-000000000001', 'global', {}),
      a2: p('a1a1a1a1-0000-4000-8000-000000000002', 'on-service', { service: ID.svc }),
      a3: p('a1a1a1a1-0000-4000-8000-000000000003', 'on-route', { route: ID.route }),
      a4: p('a1a1a1a1-0000-4000-8000-000000000004', 'on-consumer', { consumer: ID.alice }),
      a5: p('a1a1a1a1-0000-4000-8000-000000000005', 'on-group', { consumer_group: ID.group }),
      a6: p('a1a1a1a1-0000-4000-8000-000000000006', 'svc-and-consumer', {
        service: ID.svc,
        consumer: ID.alice,
      }),
    },
    upstreams: { [ID.up]: { id: ID.up, name: 'u' } },
    targets: { t1: { id: 't1', target: 'a:8000', weight: 100, upstream: { id: ID.up } } },
    certificates: { [ID.cert]: { id: ID.cert, cert: 'C', key: 'K', snis: ['a.example.com'] } },
    snis: { s1: { id: 's1', name: 'a.example.com', certificate: { id: ID.cert } } },
    keyauth_credentials: { k1: { id: 'k1', key: 'secret', consumer: { id: ID.alice }, ttl: null } },
  },
};
// the snapshot keys of plugins are their ids
SNAPSHOT.entities.plugins = Object.fromEntries(
  Object.values(SNAPSHOT.entities.plugins ?? {}).map((e) => [e.id, e]),
);

describe('toDeckFile', () => {
  const doc = buildDeckDocument(SNAPSHOT) as Record<string, Record<string, unknown>[]>;
  const names = (list: unknown) => (list as Entity[] | undefined)?.map((e) => e.name);

  it('nests a plugin under its single parent and keeps global, group and multi-scope plugins top-level', () => {
    const service = doc.services?.[0] as Record<string, unknown>;
    const route = (service.routes as Record<string, unknown>[])[0]!;
    const consumer = doc.consumers?.[0] as Record<string, unknown>;
    expect(names(service.plugins)).toEqual(['on-service']);
    expect(names(route.plugins)).toEqual(['on-route']);
    expect(names(consumer.plugins)).toEqual(['on-consumer']);
    expect(doc.plugins?.map((e) => [e.name, e.service, e.consumer, e.consumer_group])).toEqual([
      ['global', undefined, undefined, undefined],
      ['on-group', undefined, undefined, ID.group],
      ['svc-and-consumer', ID.svc, ID.alice, undefined],
    ]);
    expect((service.plugins as Entity[])[0]).not.toHaveProperty('service');
  });

  it('nests routes, targets, SNIs, credentials and group membership without their parent key', () => {
    const service = doc.services?.[0] as Record<string, unknown>;
    expect(service.routes).toEqual([{ id: ID.route, name: 'r', paths: ['/'], plugins: expect.any(Array) }]);
    expect(doc.upstreams).toEqual([
      { id: ID.up, name: 'u', targets: [{ id: 't1', target: 'a:8000', weight: 100 }] },
    ]);
    expect(doc.certificates).toEqual([
      { id: ID.cert, cert: 'C', key: 'K', snis: [{ id: 's1', name: 'a.example.com' }] },
    ]);
    const consumer = doc.consumers?.[0] as Record<string, unknown>;
    expect(consumer.keyauth_credentials).toEqual([{ id: 'k1', key: 'secret' }]);
    expect(consumer.groups).toEqual([{ id: ID.group, name: 'gold' }]);
    expect(doc.consumer_groups).toEqual([{ id: ID.group, name: 'gold' }]);
  });

  it('drops timestamps and top-level nulls, keeps nulls inside config and every id', () => {
    const text = toDeckFile(SNAPSHOT);
    expect(text).not.toMatch(/created_at|updated_at|custom_id|ttl/);
    expect(text).toContain('hour: null');
    for (const id of Object.values(ID)) expect(text).toContain(id);
    expect(text.startsWith('_format_version: "3.0"\n')).toBe(true);
  });

  it('writes JSON with the same content as YAML', () => {
    expect(JSON.parse(toDeckFile(SNAPSHOT, { format: 'json' }))).toEqual(parse(toDeckFile(SNAPSHOT)));
  });

  it('re-imports to the same snapshot minus nulls, timestamps and pseudo-fields', () => {
    const back = fromDeckFile(toDeckFile(SNAPSHOT), { meta: META });
    expect(back.entities.services?.[ID.svc]).toEqual({
      id: ID.svc,
      name: 'orders',
      host: 'o',
      port: 80,
      protocol: 'http',
      retries: 5,
      connect_timeout: 60000,
      write_timeout: 60000,
      read_timeout: 60000,
      enabled: true,
    });
    expect(back.entities.certificates?.[ID.cert]).toEqual({ id: ID.cert, cert: 'C', key: 'K' });
    expect(Object.keys(back.entities.plugins ?? {}).sort()).toEqual(
      Object.keys(SNAPSHOT.entities.plugins ?? {}).sort(),
    );
  });

  it('quotes strings YAML 1.1 readers (decK, Kong) would take for booleans', () => {
    const svc = { id: ID.svc, name: 'on', host: 'yes', port: 80, tags: ['no', 'off', 'y'] };
    const text = toDeckFile({ meta: META, entities: { services: { [ID.svc]: svc } } });
    expect(text).toContain('name: "on"');
    expect(text).toContain('host: "yes"');
    expect(fromDeckFile(text).entities.services?.[ID.svc]).toMatchObject(svc);
    const yes = fromDeckFile('_format_version: "3.0"\nplugins:\n  - name: cors\n    enabled: no\n');
    expect(Object.values(yes.entities.plugins ?? {})[0]?.enabled).toBe(false);
  });

  it('keeps empty arrays inside entities (tags: [], config lists)', () => {
    const plugin = {
      id: ID.route,
      name: 'acl',
      enabled: true,
      protocols: ['http'],
      config: { allow: [] },
      tags: [],
    };
    const s: Snapshot = { meta: META, entities: { plugins: { [ID.route]: plugin } } };
    expect(fromDeckFile(toDeckFile(s), { meta: META }).entities.plugins?.[ID.route]).toEqual(plugin);
  });

  it('writes the workspace when the snapshot has one', () => {
    const text = toDeckFile({ ...SNAPSHOT, meta: { ...META, workspace: 'team-a' } });
    expect(parse(text)._workspace).toBe('team-a');
    expect(fromDeckFile(text).meta.workspace).toBe('team-a');
  });
});

describe('completeSnapshot', () => {
  it('is what a decK round trip turns a hand-built snapshot into, and is idempotent', () => {
    const complete = completeSnapshot(SNAPSHOT);
    expect(fromDeckFile(toDeckFile(SNAPSHOT), { meta: META })).toEqual(complete);
    expect(fromDeckFile(JSON.stringify(toKongDeclarative(SNAPSHOT)), { meta: META })).toEqual(complete);
    expect(completeSnapshot(complete)).toEqual(complete);
    expect(complete.entities.certificates?.[ID.cert]).toEqual({ id: ID.cert, cert: 'C', key: 'K' });
    expect(complete.entities.routes?.[ID.route]).toMatchObject({
      strip_path: true,
      protocols: ['http', 'https'],
    });
  });

  it.each(DECK_FIXTURES)('leaves an imported fixture unchanged: $name', ({ text }) => {
    const s = fromDeckFile(text);
    expect(completeSnapshot(s)).toEqual(s);
  });
});

describe('toKongDeclarative', () => {
  const flat = toKongDeclarative(SNAPSHOT);

  it('is flat with _transform false and foreign keys as bare ids', () => {
    expect(flat._format_version).toBe('3.0');
    expect(flat._transform).toBe(false);
    expect(flat.routes).toEqual([{ id: ID.route, name: 'r', paths: ['/'], service: ID.svc }]);
    expect(flat.keyauth_credentials).toEqual([{ id: 'k1', key: 'secret', consumer: ID.alice }]);
    expect(flat.targets).toEqual([{ id: 't1', target: 'a:8000', weight: 100, upstream: ID.up }]);
    expect(flat.snis).toEqual([{ id: 's1', name: 'a.example.com', certificate: ID.cert }]);
    expect(flat.consumer_group_consumers).toEqual([{ consumer_group: ID.group, consumer: ID.alice }]);
    expect(flat.certificates).toEqual([{ id: ID.cert, cert: 'C', key: 'K' }]);
  });

  it('lists parents before children', () => {
    const keys = Object.keys(flat);
    expect(keys.indexOf('services')).toBeLessThan(keys.indexOf('routes'));
    expect(keys.indexOf('routes')).toBeLessThan(keys.indexOf('plugins'));
    expect(keys.indexOf('consumers')).toBeLessThan(keys.indexOf('keyauth_credentials'));
  });

  it('accepts certificate SNIs listed by name, as Kong does', () => {
    const text = fixtureText('004-certificates-snis.yaml').replace(
      /snis:\n {6}- name: api\.example\.com\n {6}- name: www\.example\.com\n {8}tags: \[legacy\]/,
      'snis: [api.example.com, www.example.com]',
    );
    expect(text).toContain('snis: [api.example.com, www.example.com]\nservices');
    const s = fromDeckFile(text);
    expect(
      Object.values(s.entities.snis ?? {})
        .map((e) => e.name)
        .sort(),
    ).toEqual(['api.example.com', 'www.example.com']);
  });
});
