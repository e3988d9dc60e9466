import { describe, expect, it } from 'vitest';
import { type Entity, fromDeckFile, memberId, type Snapshot } from '../../../src/core/index.ts';
import { fixtureText } from './deck-fixtures.ts';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function only(s: Snapshot, kind: keyof Snapshot['entities'], where: (e: Entity) => boolean): Entity {
  const hits = Object.values(s.entities[kind] ?? {}).filter(where);
  expect(hits, `${kind} matching`).toHaveLength(1);
  return hits[0]!;
}
const named = (name: string) => (e: Entity) => e.name === name;

describe('fromDeckFile fills what Kong fills on write', () => {
  const s = fromDeckFile(fixtureText('001-services-routes-plugins.yaml'));

  it.each([
    [
      'services',
      'catalog',
      { protocol: 'http', port: 80, retries: 5, connect_timeout: 60000, enabled: true },
    ],
    ['services', 'orders', { port: 8080, retries: 3, connect_timeout: 5000, read_timeout: 60000 }],
    [
      'routes',
      'catalog-search',
      {
        protocols: ['http', 'https'],
        strip_path: true,
        preserve_host: false,
        path_handling: 'v0',
        regex_priority: 10,
      },
    ],
    [
      'routes',
      'orders-admin',
      { protocols: ['https'], https_redirect_status_code: 426, preserve_host: true },
    ],
    ['plugins', 'prometheus', { enabled: true, protocols: ['grpc', 'grpcs', 'http', 'https'] }],
  ] as const)('%s %s', (kind, name, expected) => {
    expect(only(s, kind, named(name))).toMatchObject(expected);
  });

  it('appends :8000 to port-less targets and fills weight', () => {
    const up = fromDeckFile(fixtureText('003-upstreams-healthchecks.yaml'));
    const targets = Object.values(up.entities.targets ?? {}).map((t) => [t.target, t.weight]);
    expect(targets.sort()).toEqual([
      ['10.0.12.7:8443', 50],
      ['payments-a.internal:8000', 100],
      ['reports-1.internal:9000', 100],
    ]);
  });

  it('completes partial healthchecks with the schema defaults, keeping what the file says', () => {
    const up = fromDeckFile(fixtureText('003-upstreams-healthchecks.yaml'));
    const payments = only(up, 'upstreams', named('payments.upstream'));
    expect(payments.healthchecks).toMatchObject({
      threshold: 50,
      active: {
        type: 'http',
        http_path: '/healthz',
        https_verify_certificate: true,
        healthy: { interval: 5 },
      },
      passive: { type: 'http', healthy: { successes: 5, http_statuses: expect.arrayContaining([200, 308]) } },
    });
    expect(only(up, 'upstreams', named('reports.upstream'))).toMatchObject({
      slots: 10000,
      hash_on: 'header',
    });
  });

  it('expands the service url shorthand and applies _info defaults, select_tags and _plugin_configs', () => {
    const info = fromDeckFile(fixtureText('011-info-defaults-url.yaml'));
    expect(only(info, 'services', named('profile'))).toMatchObject({
      protocol: 'https',
      host: 'profile.internal',
      port: 9443,
      path: '/api',
      connect_timeout: 10000,
      tags: ['managed-by-deck'],
    });
    expect(only(info, 'routes', named('profile'))).toMatchObject({ strip_path: false });
    const plugin = only(info, 'plugins', named('rate-limiting'));
    expect(plugin.config).toEqual({ minute: 300, policy: 'local', hour: 10000 });
    expect(plugin).not.toHaveProperty('_config');
  });

  it('accepts the metadata keys decK and Kong accept: _info, _konnect, _workspace, _transform, _plugin_configs, _comment and _ignore at the top and in entries', () => {
    // go-database-reconciler pkg/file/types.go Content/Info/Konnect; kong declarative_config.lua
    const s = fromDeckFile(
      [
        '_format_version: "3.0"',
        '_transform: true',
        '_comment: exported by deck',
        '_ignore: [anything]',
        '_konnect:',
        '  control_plane_name: default',
        '  runtime_group_name: default',
        '_info:',
        '  select_tags: [team-a]',
        '  default_lookup_tags: { consumers: [team-a] }',
        '  consumer_group_policy_overrides: false',
        '  skip_hash_for_basic_auth: false',
        '  include_plugin_definitions: false',
        '_plugin_configs:',
        '  shared: { minute: 5 }',
        'services:',
        '  - name: a',
        '    _comment: the orders API',
        '    _ignore: [x]',
        '    url: http://a.internal',
        '    plugins:',
        '      - name: rate-limiting',
        '        _config: shared',
        '        _comment: shared limits',
      ].join('\n'),
    );
    const svc = only(s, 'services', named('a'));
    expect(svc).not.toHaveProperty('_comment');
    expect(svc).not.toHaveProperty('_ignore');
    expect(only(s, 'plugins', named('rate-limiting')).config).toEqual({ minute: 5 });
  });

  it('refuses an unknown key with its path, as Kong would', () => {
    expect(() =>
      fromDeckFile('_format_version: "3.0"\nservices:\n  - name: a\n    host: h\n    colour: red\n'),
    ).toThrow(/unknown key "colour" in services entry.*services\[0\]\.colour/);
  });

  it('defaults the port of an https url to 443', () => {
    const s443 = fromDeckFile(
      '_format_version: "3.0"\nservices:\n  - name: a\n    url: https://a.internal\n',
    );
    expect(only(s443, 'services', named('a'))).toMatchObject({
      protocol: 'https',
      host: 'a.internal',
      port: 443,
    });
    expect(only(s443, 'services', named('a'))).not.toHaveProperty('path');
  });
});

describe('fromDeckFile resolves references to ids', () => {
  const s = fromDeckFile(fixtureText('009-plugins-by-name.yaml'));
  const search = only(s, 'services', named('search'));
  const route = only(s, 'routes', named('search-query'));
  const mobile = only(s, 'consumers', (c) => c.username === 'mobile-app');
  const partner = only(s, 'consumers', (c) => c.custom_id === 'partner-42');

  it.each([
    ['key-auth', { service: { id: search.id } }],
    ['response-transformer', { route: { id: route.id } }],
    ['rate-limiting', { service: { id: search.id }, consumer: { id: mobile.id } }],
    ['correlation-id', { consumer: { id: partner.id } }],
  ])('%s', (name, scope) => {
    const plugin = only(s, 'plugins', named(name));
    expect(plugin).toMatchObject(scope);
    for (const field of ['service', 'route', 'consumer', 'consumer_group']) {
      if (!(field in scope)) expect(plugin).not.toHaveProperty(field);
    }
  });

  it('nested entities get their parent foreign key', () => {
    expect(route.service).toEqual({ id: search.id });
    const creds = fromDeckFile(fixtureText('002-consumers-credentials.yaml'));
    const alice = only(creds, 'consumers', (c) => c.username === 'alice');
    const keys = Object.values(creds.entities.keyauth_credentials ?? {});
    expect(keys.map((k) => k.consumer)).toEqual([{ id: alice.id }, { id: alice.id }]);
    const erin = only(creds, 'mtls_auth_credentials', (c) => c.subject_name === 'erin.clients.example.com');
    expect(erin.ca_certificate).toEqual({ id: '0b0b4e2c-6a1b-4c4e-9f0d-6a3c3c1d2e01' });
  });

  it('top-level routes name their service by id or by name', () => {
    const r = fromDeckFile(fixtureText('010-top-level-routes.yaml'));
    const shipping = only(r, 'services', named('shipping'));
    expect(only(r, 'routes', named('inventory-read')).service).toEqual({
      id: '2f6b8d0a-1c3e-4a5b-9d7f-0e2c4a6b8d91',
    });
    expect(only(r, 'routes', named('shipping-quotes')).service).toEqual({ id: shipping.id });
    expect(only(r, 'routes', named('maintenance'))).not.toHaveProperty('service');
  });

  it('keys name their set; memberships from both sides become one member each', () => {
    const k = fromDeckFile(fixtureText('007-keys-key-sets.yaml'));
    const set = only(k, 'key_sets', named('orders-signing'));
    expect(Object.values(k.entities.keys ?? {}).map((key) => key.set)).toEqual([
      { id: set.id },
      { id: set.id },
    ]);

    const g = fromDeckFile(fixtureText('008-consumer-groups.yaml'));
    const gold = only(g, 'consumer_groups', named('gold'));
    const frank = only(g, 'consumers', (c) => c.username === 'frank');
    expect(g.entities.consumer_group_members?.[memberId(gold.id, frank.id)]).toEqual({
      id: memberId(gold.id, frank.id),
      consumer_group: { id: gold.id },
      consumer: { id: frank.id },
    });
    const twice = fromDeckFile(
      '_format_version: "3.0"\nconsumer_groups:\n  - name: g\n    consumers:\n      - username: c\nconsumers:\n  - username: c\n    groups:\n      - name: g\n',
    );
    expect(Object.keys(twice.entities.consumer_group_members ?? {})).toHaveLength(1);
  });
});

describe('fromDeckFile ids', () => {
  it('keeps the ids a file gives and derives version-5 ids for the rest', () => {
    const s = fromDeckFile(fixtureText('010-top-level-routes.yaml'));
    expect(Object.keys(s.entities.services ?? {})).toContain('2f6b8d0a-1c3e-4a5b-9d7f-0e2c4a6b8d91');
    const derived = Object.keys(s.entities.routes ?? {});
    expect(derived.every((id) => UUID_V5.test(id))).toBe(true);
  });

  it('derives ids from natural keys, not from position or formatting', () => {
    const a = fromDeckFile(
      '_format_version: "3.0"\nservices:\n  - name: a\n    host: a.internal\n  - name: b\n    host: b.internal\n',
    );
    const b = fromDeckFile(
      '{"_format_version":"3.0","services":[{"host":"other","name":"b"},{"name":"a","host":"changed"}]}',
    );
    expect(Object.keys(a.entities.services ?? {}).sort()).toEqual(
      Object.keys(b.entities.services ?? {}).sort(),
    );
  });

  it('gives a port-less target the id of its :8000 form', () => {
    const text = (t: string) =>
      `_format_version: "3.0"\nupstreams:\n  - name: u\n    targets:\n      - target: ${t}\n`;
    expect(fromDeckFile(text('a.internal')).entities.targets).toEqual(
      fromDeckFile(text('a.internal:8000')).entities.targets,
    );
  });

  it('tells identical unnamed routes apart and stays stable', () => {
    const text =
      '_format_version: "3.0"\nservices:\n  - name: a\n    host: a\n    routes:\n      - paths: [/x]\n      - paths: [/x]\n';
    const first = fromDeckFile(text);
    expect(Object.keys(first.entities.routes ?? {})).toHaveLength(2);
    expect(fromDeckFile(text)).toEqual(first);
  });
});

describe('fromDeckFile on Kong flat DB-less config', () => {
  const s = fromDeckFile(fixtureText('012-kong-dbless-config.yaml'));

  it('drops timestamps and top-level nulls but keeps nulls inside config', () => {
    const service = only(s, 'services', named('checkout'));
    expect(service).not.toHaveProperty('created_at');
    expect(service).not.toHaveProperty('path');
    const plugin = only(s, 'plugins', named('key-auth'));
    expect(plugin).not.toHaveProperty('route');
    expect(plugin.config).toMatchObject({ anonymous: null, realm: null });
    expect(plugin.service).toEqual({ id: '1c5e9a3f-7b2d-4e6c-8a0f-3d5b7c9e1a42' });
  });

  it('links flat children to their parents by id', () => {
    expect(only(s, 'snis', named('checkout.example.com')).certificate).toEqual({
      id: '9d3c1b7e-5f2a-4e8c-b6d4-1a3e5c7f9b20',
    });
    expect(only(s, 'keyauth_credentials', () => true).consumer).toEqual({
      id: '4b8f2d6a-0c1e-4f3a-9b5d-7e9f1a3c5e70',
    });
    expect(only(s, 'targets', () => true).upstream).toEqual({ id: '6e0a4c8f-2d1b-4b7e-a3c5-9f1d3b5e7a63' });
  });

  it('takes meta from the caller and counts from the file', () => {
    const withMeta = fromDeckFile(fixtureText('013-dump-with-ids.json'), {
      meta: { kongVersion: '3.9.1', database: 'postgres', takenAt: '2026-11-21T12:00:00.000Z' },
    });
    expect(withMeta.meta).toMatchObject({ kongVersion: '3.9.1', workspace: 'default', edition: 'community' });
    expect(withMeta.meta.counts).toMatchObject({ services: 1, plugins: 2 });
  });
});
