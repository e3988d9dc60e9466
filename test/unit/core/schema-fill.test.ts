/**
 * Default filling from the gateway's schemas, as Kong fills on write (kong/db/schema/init.lua
 * process_auto_fields "insert": handle_missing_field, adjust_field_for_context, make_set, shorthand
 * fields) and decK fills before it compares (go-kong FillPluginsDefaults).
 */
import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  type Entity,
  fillDefaults,
  fillPlugin,
  fillRecord,
  type KongSchema,
  pluginNames,
  stripShorthands,
} from '../../../src/core/index.ts';
import { KONG_39, KONG_39_META, schemasOf } from '../../fixtures/schemas/kong-3.9.ts';

const plugin = (body: Record<string, unknown>): Entity => ({ id: 'p1', ...body }) as Entity;

describe('fillPlugin (Kong 3.9 plugin schemas)', () => {
  it('prometheus with no config gets every config default, the protocols default and enabled', () => {
    expect(fillPlugin(plugin({ name: 'prometheus' }), KONG_39)).toEqual({
      id: 'p1',
      name: 'prometheus',
      protocols: ['grpc', 'grpcs', 'http', 'https'],
      enabled: true,
      config: {
        per_consumer: false,
        status_code_metrics: false,
        ai_metrics: false,
        latency_metrics: false,
        bandwidth_metrics: false,
        upstream_health_metrics: false,
      },
    });
  });

  it('basic-auth without config gets hide_credentials and realm; anonymous (no default) stays unset', () => {
    const filled = fillPlugin(plugin({ name: 'basic-auth' }), KONG_39);
    expect(filled.config).toEqual({ hide_credentials: false, realm: 'service' });
  });

  it('a partial rate-limiting config keeps what it says and gains the rest, nested redis record included', () => {
    const filled = fillPlugin(
      plugin({ name: 'rate-limiting', config: { minute: 5, policy: 'redis' } }),
      KONG_39,
    );
    expect(filled.config).toEqual({
      minute: 5,
      policy: 'redis',
      limit_by: 'consumer',
      fault_tolerant: true,
      redis: { port: 6379, timeout: 2000, database: 0, ssl: false, ssl_verify: false },
      hide_client_headers: false,
      error_code: 429,
      error_message: 'API rate limit exceeded',
      sync_rate: -1,
    });
  });

  it('a value the file sets wins, false and 0 included, and an explicit null is kept', () => {
    const filled = fillPlugin(
      plugin({
        name: 'rate-limiting',
        config: { minute: 1, fault_tolerant: false, sync_rate: 0, redis: null },
      }),
      KONG_39,
    );
    expect(filled.config).toMatchObject({ fault_tolerant: false, sync_rate: 0, redis: null });
  });

  it('a deprecated shorthand moves to the field it replaces; the real field wins when both are set', () => {
    const moved = fillPlugin(
      plugin({ name: 'rate-limiting', config: { minute: 1, redis_host: 'r1' } }),
      KONG_39,
    );
    expect((moved.config as { redis: unknown }).redis).toMatchObject({ host: 'r1', port: 6379 });
    expect(moved.config).not.toHaveProperty('redis_host');
    const both = fillPlugin(
      plugin({ name: 'rate-limiting', config: { minute: 1, redis_port: 1, redis: { port: 2 } } }),
      KONG_39,
    );
    expect((both.config as { redis: { port: number } }).redis.port).toBe(2);
    expect(both.config).not.toHaveProperty('redis_port');
  });

  it('sets lose duplicate scalars, first seen kept (make_set)', () => {
    const filled = fillPlugin(plugin({ name: 'key-auth', protocols: ['https', 'http', 'https'] }), KONG_39);
    expect(filled.protocols).toEqual(['https', 'http']);
  });

  it('returns the same object when nothing is missing, and never changes its input', () => {
    const full = fillPlugin(plugin({ name: 'prometheus' }), KONG_39);
    expect(fillPlugin(full, KONG_39)).toBe(full);
    const input = plugin({
      name: 'rate-limiting',
      config: { minute: 1, redis_host: 'h', redis: { port: 1 } },
    });
    const before = JSON.stringify(input);
    fillPlugin(input, KONG_39);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('leaves a plugin without a fetched schema untouched', () => {
    const custom = plugin({ name: 'my-custom', config: { a: 1 } });
    expect(fillPlugin(custom, KONG_39)).toBe(custom);
  });
});

describe('fillRecord: the shapes Kong recurses into', () => {
  const schema: KongSchema = {
    fields: [
      {
        metrics: {
          type: 'array',
          default: [{ name: 'requests', stat_type: 'counter' }],
          elements: {
            type: 'record',
            fields: [{ name: { type: 'string' } }, { sample_rate: { type: 'number', default: 1 } }],
          },
        },
      },
      {
        limits: {
          type: 'map',
          keys: { type: 'string' },
          values: {
            type: 'record',
            fields: [{ minute: { type: 'number' } }, { hour: { type: 'number', default: 60 } }],
          },
        },
      },
      {
        headers: {
          type: 'map',
          required: true,
          default: [],
          keys: { type: 'string' },
          values: { type: 'string' },
        },
      },
      { opt: { type: 'record', fields: [{ a: { type: 'number', default: 1 } }] } },
      { maybe: { type: 'string', default: null } },
      { token: { type: 'string', auto: true } },
    ],
  };

  it('fills record elements of arrays and record values of maps; an absent array takes its default as is', () => {
    expect(
      fillRecord({ metrics: [{ name: 'latency' }], limits: { sms: { minute: 1 } } }, schema.fields),
    ).toEqual({
      metrics: [{ name: 'latency', sample_rate: 1 }],
      limits: { sms: { minute: 1, hour: 60 } },
      headers: {},
    });
    expect(fillRecord({}, schema.fields).metrics).toEqual([{ name: 'requests', stat_type: 'counter' }]);
  });

  it('an empty record or map default (cjson writes `[]`) becomes an object; optional records, default null and auto fields stay unset', () => {
    const filled = fillRecord({}, schema.fields);
    expect(filled.headers).toEqual({});
    expect(filled).not.toHaveProperty('opt');
    expect(filled).not.toHaveProperty('maybe');
    expect(filled).not.toHaveProperty('token');
  });
});

describe('fillDefaults / stripShorthands on snapshots', () => {
  const meta = KONG_39_META;

  it('fills plugins from their schema and other kinds from their entity schema; kinds without one untouched', () => {
    const service = { id: 's1', name: 'orders', host: 'x', port: 80, protocol: 'http' } as Entity;
    const target = buildSnapshot(meta, {
      services: { s1: service },
      routes: { r1: { id: 'r1', name: 'r', paths: ['/a'], service: { id: 's1' } } as Entity },
      plugins: { p1: plugin({ name: 'basic-auth' }) },
    });
    const filled = fillDefaults(target, KONG_39);
    expect(filled.entities.services?.s1).toBe(service);
    expect(filled.entities.routes?.r1).toMatchObject({
      strip_path: true,
      https_redirect_status_code: 426,
      path_handling: 'v0',
    });
    expect(filled.entities.plugins?.p1?.config).toEqual({ hide_credentials: false, realm: 'service' });
    expect(target.entities.plugins?.p1).not.toHaveProperty('config');
  });

  it('the live side loses the deprecated shorthands Kong echoes on reads (init.lua: select adds them back)', () => {
    const live = buildSnapshot(meta, {
      plugins: {
        p1: fillPlugin(
          plugin({ name: 'rate-limiting', config: { minute: 1, redis: { host: 'h' } } }),
          KONG_39,
        ),
      },
    });
    const echoed = live.entities.plugins?.p1 as Entity;
    (echoed.config as Record<string, unknown>).redis_host = 'h';
    const stripped = stripShorthands(live, KONG_39);
    expect(stripped.entities.plugins?.p1?.config).not.toHaveProperty('redis_host');
    expect(stripped.entities.plugins?.p1?.config).toMatchObject({ redis: { host: 'h' } });
  });

  it('pluginNames lists each name once, sorted', () => {
    const s = buildSnapshot(meta, {
      plugins: { a: plugin({ name: 'z' }), b: plugin({ name: 'a' }), c: plugin({ name: 'z' }) },
    });
    expect(pluginNames(s)).toEqual(['a', 'z']);
  });

  it('a custom plugin is filled from the schema the gateway serves for it', () => {
    const schemas = schemasOf({
      'my-plugin': {
        fields: [
          {
            config: { type: 'record', required: true, fields: [{ level: { type: 'integer', default: 3 } }] },
          },
        ],
      },
    });
    const s = buildSnapshot(meta, { plugins: { p: plugin({ name: 'my-plugin' }) } });
    expect(fillDefaults(s, schemas).entities.plugins?.p?.config).toEqual({ level: 3 });
  });
});
