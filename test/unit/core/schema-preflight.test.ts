/**
 * Preflight: what a gateway cannot take refuses the whole plan before any write. Kinds and plugins from
 * the gateway's edition and `GET /plugins/enabled` (kong/api/routes/plugins.lua), field checks with
 * Kong's messages (kong/db/schema/init.lua validation_errors).
 */
import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  type Entity,
  fillDefaults,
  type GatewayCapabilities,
  type KongSchema,
  planRestore,
  preflightRefusals,
  validateEntity,
  withPreflight,
} from '../../../src/core/index.ts';
import { KONG_39, KONG_39_META, schemasOf } from '../../fixtures/schemas/kong-3.9.ts';

const meta = KONG_39_META;
const empty = buildSnapshot(meta, {});
const community: GatewayCapabilities = {
  version: '3.9.1',
  edition: 'community',
  database: 'postgres',
  enabledPlugins: ['basic-auth', 'key-auth', 'prometheus', 'rate-limiting'],
  wasm: false,
};

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const route = (body: Record<string, unknown>): Entity =>
  ({ id: '00000000-0000-4000-8000-000000000001', name: 'r1', ...body }) as Entity;

describe('validateEntity (routes, Kong 3.9 traditional_compatible schema)', () => {
  const check = (body: Record<string, unknown>) =>
    validateEntity(
      'routes',
      fillDefaults(buildSnapshot(meta, { routes: { r: route(body) } }), KONG_39).entities.routes?.r as Entity,
      KONG_39,
    );

  it('accepts a valid route', () => {
    expect(check({ paths: ['/a'], methods: ['GET'] })).toEqual([]);
  });

  it('names each bad field with Kong’s message', () => {
    expect(check({ paths: '/notalist', strip_path: 'yes' })).toEqual([
      { path: 'paths', message: 'expected an array' },
      { path: 'strip_path', message: 'expected a boolean' },
    ]);
    expect(check({ paths: ['/a'], https_redirect_status_code: 200 })).toEqual([
      { path: 'https_redirect_status_code', message: 'expected one of: 426, 301, 302, 307, 308' },
    ]);
    expect(check({ paths: ['/a', 3] })).toEqual([{ path: 'paths[1]', message: 'expected a string' }]);
    expect(check({ paths: ['/a'], colour: 'red' })).toEqual([{ path: 'colour', message: 'unknown field' }]);
    expect(check({ paths: ['/a'], name: '' })).toEqual([
      { path: 'name', message: 'length must be at least 1' },
    ]);
    expect(check({ paths: ['/a'], sources: [{ ip: '1.1.1.1', port: 70000 }] })).toEqual([
      { path: 'sources[0].port', message: 'value should be between 0 and 65535' },
    ]);
  });

  it("measures string lengths in characters (code points), as Kong's utf8 length does, not UTF-16 units", () => {
    // kong/db/schema/init.lua validators len_eq/len_min/len_max use utf8.len: an emoji is one character
    const routes = KONG_39.entities.get('routes');
    const named = (spec: Record<string, unknown>) =>
      schemasOf(
        {},
        {
          routes: {
            ...routes,
            fields: (routes?.fields ?? []).map((f) => ('name' in f ? { name: { ...f.name, ...spec } } : f)),
          },
        },
      );
    const name = (value: string, spec: Record<string, unknown>) =>
      validateEntity('routes', route({ paths: ['/a'], name: value }), named(spec)).filter(
        (p) => p.path === 'name',
      );
    expect(name('🦍🦍🦍', { len_max: 3 })).toEqual([]);
    expect(name('🦍🦍🦍🦍', { len_max: 3 })).toEqual([{ path: 'name', message: 'length must be at most 3' }]);
    expect(name('a🦍', { len_eq: 2 })).toEqual([]);
    expect(name('a\ud83e', { len_eq: 2 })).toEqual([]); // a lone surrogate counts as one
    expect(name('🦍', { len_min: 2 })).toEqual([{ path: 'name', message: 'length must be at least 2' }]);
  });

  it('checks plugin config against the plugin schema and the plugin entity', () => {
    const p = (body: Record<string, unknown>) =>
      fillDefaults(buildSnapshot(meta, { plugins: { p: { id: uuid(9), ...body } as Entity } }), KONG_39)
        .entities.plugins?.p as Entity;
    expect(validateEntity('plugins', p({ name: 'rate-limiting', config: { minute: 5 } }), KONG_39)).toEqual(
      [],
    );
    expect(
      validateEntity(
        'plugins',
        p({ name: 'rate-limiting', config: { minute: -1, policy: 'cloud', nope: 1 } }),
        KONG_39,
      ),
    ).toEqual([
      { path: 'config.minute', message: 'value must be greater than 0' },
      { path: 'config.policy', message: 'expected one of: local, cluster, redis' },
      { path: 'config.nope', message: 'unknown field' },
    ]);
    expect(validateEntity('plugins', p({ name: 'key-auth', consumer: { id: 'c' } }), KONG_39)).toEqual([
      { path: 'consumer', message: 'value must be null' },
    ]);
    expect(validateEntity('plugins', p({ name: 'prometheus', enabled: 'yes' }), KONG_39)).toEqual([
      { path: 'enabled', message: 'expected a boolean' },
    ]);
  });

  it('a vault reference stands in for a referenceable string', () => {
    const body = fillDefaults(
      buildSnapshot(meta, {
        plugins: {
          p: {
            id: uuid(9),
            name: 'rate-limiting',
            config: { minute: 1, redis: { password: '{vault://env/pw}' } },
          } as Entity,
        },
      }),
      KONG_39,
    ).entities.plugins?.p as Entity;
    expect(validateEntity('plugins', body, KONG_39)).toEqual([]);
  });

  it("an abstract record (a vault's config, its fields in the vault type's subschema) is checked by type only", () => {
    // kong/db/schema/entities/vaults.lua: `config = { type = "record", abstract = true }`
    const vaults: KongSchema = {
      fields: [
        { id: { type: 'string', uuid: true, auto: true } },
        { prefix: { type: 'string', required: true, unique: true } },
        { name: { type: 'string', required: true } },
        { config: { type: 'record', abstract: true } },
      ],
    };
    const schemas = schemasOf({}, { vaults });
    const vault = (config: unknown) =>
      ({ id: uuid(3), prefix: 'env-secrets', name: 'env', config }) as unknown as Entity;
    expect(validateEntity('vaults', vault({ prefix: 'KONG_SECRET_' }), schemas)).toEqual([]);
    expect(validateEntity('vaults', vault('nope'), schemas)).toEqual([
      { path: 'config', message: 'expected a record' },
    ]);
  });
});

describe('preflight on plans', () => {
  it('refuses Enterprise kinds, disabled plugins and credentials of disabled plugins in one message naming the edition', () => {
    const target = buildSnapshot(meta, {
      consumers: { c: { id: 'c', username: 'u' } as Entity },
      consumer_groups: { g: { id: 'g', name: 'gold' } as Entity },
      hmacauth_credentials: { h: { id: 'h', username: 'h', consumer: { id: 'c' } } as Entity },
      plugins: {
        p1: { id: uuid(1), name: 'rate-limiting-advanced', config: {} } as Entity,
        p2: { id: uuid(2), name: 'prometheus' } as Entity,
      },
    });
    const plan = planRestore(empty, fillDefaults(target, KONG_39));
    const refusals = preflightRefusals(plan, community, KONG_39);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.code).toBe('unsupported-by-gateway');
    expect(refusals[0]?.message).toBe(
      'the gateway (Kong 3.9.1, community edition) cannot take consumer_groups (Kong Enterprise only); ' +
        'hmacauth_credentials (the hmac-auth plugin is not enabled); plugin rate-limiting-advanced (not enabled on the gateway)',
    );
  });

  it('refuses the whole plan with every bad field of every entity', () => {
    const target = buildSnapshot(meta, {
      services: { [uuid(3)]: { id: uuid(3), name: 'svc', host: 'h', port: 80, protocol: 'http' } as Entity },
      routes: { r: route({ paths: '/notalist', strip_path: 'yes', service: { id: uuid(3) } }) },
    });
    const plan = withPreflight(planRestore(empty, fillDefaults(target, KONG_39)), community, KONG_39);
    expect(plan.steps).toHaveLength(2);
    expect(plan.refusals.map((r) => r.message)).toEqual([
      'route r1: paths: expected an array; strip_path: expected a boolean',
    ]);
  });

  it('an Enterprise gateway takes Enterprise kinds; a plan with nothing wrong is returned as it is', () => {
    const target = buildSnapshot(meta, { consumer_groups: { g: { id: 'g', name: 'gold' } as Entity } });
    const plan = planRestore(empty, target);
    expect(withPreflight(plan, { ...community, edition: 'enterprise' }, KONG_39)).toBe(plan);
  });

  it('deletes need nothing from the gateway', () => {
    const live = buildSnapshot(meta, { consumer_groups: { g: { id: 'g', name: 'gold' } as Entity } });
    expect(preflightRefusals(planRestore(live, empty), community, KONG_39)).toEqual([]);
  });
});
