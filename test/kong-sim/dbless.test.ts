import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sim } from './helpers.ts';

const nested = {
  _format_version: '3.0',
  services: [
    {
      name: 'orders',
      host: 'orders.internal',
      routes: [{ name: 'orders-r', paths: ['/orders'], plugins: [{ name: 'cors' }] }],
      plugins: [{ name: 'rate-limiting', config: { minute: 10 } }],
    },
  ],
  consumers: [
    {
      username: 'ann',
      keyauth_credentials: [{ key: 'ann-key' }],
      basicauth_credentials: [{ username: 'ann', password: 'pw' }],
    },
  ],
  upstreams: [{ name: 'up', targets: [{ target: 'a' }] }],
};

describe('kong-sim DB-less mode (kong/db/strategies/off/init.lua, kong/api/routes/config.lua)', () => {
  it.each([
    ['POST', '/services', "cannot create 'services' entities when not using a database"],
    [
      'PUT',
      '/services/3f1f2e1d-0c0b-4a09-8877-665544332211',
      "cannot create or update 'services' entities when not using a database",
    ],
    [
      'PUT',
      '/services/by-name',
      "cannot create or update 'services' entities by 'name' when not using a database",
    ],
  ])('%s %s → 405 code 12 operation unsupported', async (method, path, message) => {
    const k = await sim({ dbless: true });
    const r = await k.call(method, path, { host: 'h' });
    expect(r.status).toBe(405);
    expect(r.body).toEqual({ code: 12, name: 'operation unsupported', message });
    expect(k.state.writes).toBe(1);
    expect(k.state.writesSucceeded).toBe(0);
  });

  it('PATCH/DELETE of an existing entity → 405 ("cannot update" / "cannot remove"); DELETE of a missing one → 204', async () => {
    const k = await sim({
      dbless: true,
      seed: { _format_version: '3.0', services: [{ name: 's', host: 'h' }] },
    });
    expect((await k.call('PATCH', '/services/s', { port: 1 })).body.message).toBe(
      "cannot update 'services' entities by 'name' when not using a database",
    );
    expect((await k.call('DELETE', '/services/s')).body.message).toBe(
      "cannot remove 'services' entities by 'name' when not using a database",
    );
    expect((await k.call('DELETE', '/services/ghost')).status).toBe(204);
  });

  it('GET /config returns {config: YAML}: flat, with ids, _format_version "3.0", _transform false, FKs as ids', async () => {
    const k = await sim({ dbless: true, seed: nested });
    const r = await k.call('GET', '/config');
    expect(r.status).toBe(200);
    const doc = parse(r.body.config);
    expect(doc._format_version).toBe('3.0');
    expect(doc._transform).toBe(false);
    const svc = doc.services[0];
    expect(doc.routes[0].service).toBe(svc.id);
    expect(doc.plugins).toHaveLength(2);
    expect(doc.targets[0]).toMatchObject({ target: 'a:8000' });
    expect(doc.keyauth_credentials[0]).toMatchObject({ key: 'ann-key' });
  });

  it('nested entities without ids get deterministic UUIDv5 ids (declarative_config.lua generate_ids)', async () => {
    const a = await sim({ dbless: true, seed: nested });
    const b = await sim({ dbless: true, seed: nested });
    const ids = async (k: typeof a) => (await k.call('GET', '/services/orders')).body.id;
    expect(await ids(a)).toBe(await ids(b));
  });

  it('POST /config replaces everything atomically and answers 201; /status reports the new hash', async () => {
    const k = await sim({ dbless: true, seed: nested });
    const before = (await k.call('GET', '/status')).body.configuration_hash;
    const r = await k.call('POST', '/config', {
      _format_version: '3.0',
      services: [{ name: 'billing', host: 'billing.internal' }],
    });
    expect(r.status).toBe(201);
    expect(Object.values(r.body.services)).toHaveLength(1);
    expect(k.state.counts()).toMatchObject({ services: 1, routes: 0, consumers: 0 });
    const after = (await k.call('GET', '/status')).body;
    expect(after.database).toBeUndefined();
    expect(after.configuration_hash).not.toBe(before);
  });

  it('POST /config with {config: "<yaml>"} and check_hash=1 → 304 when unchanged (md5 of the text)', async () => {
    const k = await sim({ dbless: true });
    const text = '_format_version: "3.0"\nservices:\n  - name: s\n    host: h\n';
    expect((await k.call('POST', '/config?check_hash=1', { config: text })).status).toBe(201);
    expect((await k.call('POST', '/config?check_hash=1', { config: text })).status).toBe(304);
    expect((await k.call('GET', '/status')).body.configuration_hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a bad config changes nothing: 400 code 14 with errors at the entity path', async () => {
    const k = await sim({ dbless: true, seed: nested });
    const r = await k.call('POST', '/config', {
      _format_version: '3.0',
      services: [
        { name: 'ok', host: 'h' },
        { name: 'bad', port: 'x' },
      ],
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(14);
    expect(r.body.name).toBe('invalid declarative configuration');
    expect(r.body.fields.services[1]).toEqual({
      host: 'required field missing',
      port: 'expected an integer',
    });
    expect(r.body.message).toMatch(/^declarative config is invalid: /);
    expect(k.state.counts()).toMatchObject({ services: 1, routes: 1 });
  });

  it('flatten_errors=1 lists flattened_errors per entity (kong/db/errors.lua declarative_config_flattened)', async () => {
    const k = await sim({ dbless: true });
    const r = await k.call('POST', '/config?flatten_errors=1', {
      _format_version: '3.0',
      services: [
        {
          name: 'bad',
          host: 'h',
          port: 'x',
          tags: ['t'],
          routes: [{ name: 'r', paths: ['/'], protocols: ['ftp'] }],
        },
      ],
      routes: [{ name: 'dangling', paths: ['/d'], service: 'nope' }],
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 14, message: 'declarative config is invalid: {}', fields: {} });
    const byName = Object.fromEntries(
      r.body.flattened_errors.map((e: { entity_name: string }) => [e.entity_name, e]),
    );
    expect(byName.bad).toMatchObject({
      entity_type: 'service',
      entity_tags: ['t'],
      errors: [{ type: 'field', field: 'port', message: 'expected an integer' }],
    });
    expect(byName.bad.entity_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(byName.r.entity_type).toBe('route');
    expect(byName.dangling.errors).toEqual([
      { type: 'entity', message: "invalid reference 'service: nope' (no such entry in 'services')" },
    ]);
  });

  it('duplicate names in one file are reported (populate_references uniqueness)', async () => {
    const k = await sim({ dbless: true });
    const r = await k.call('POST', '/config?flatten_errors=1', {
      _format_version: '3.0',
      services: [
        { name: 'a', host: 'h' },
        { name: 'a', host: 'h' },
      ],
    });
    expect(r.body.flattened_errors[0].errors[0].message).toBe(
      "uniqueness violation: 'services' entity with name set to 'a' already declared",
    );
  });

  it('flat Kong format round-trips: GET /config text posted back loads the same ids', async () => {
    const k = await sim({ dbless: true, seed: nested });
    const exported = (await k.call('GET', '/config')).body.config;
    const ids = (await k.call('GET', '/consumers')).body.data.map((c: { id: string }) => c.id);
    const basic = (await k.call('GET', '/basic-auths')).body.data[0].password;
    expect((await k.call('POST', '/config', { config: exported })).status).toBe(201);
    expect((await k.call('GET', '/consumers')).body.data.map((c: { id: string }) => c.id)).toEqual(ids);
    // _transform: false keeps the already-hashed password as is
    expect((await k.call('GET', '/basic-auths')).body.data[0].password).toBe(basic);
  });

  it('without _format_version → 400 code 14; an empty body → 400 "expected a declarative configuration"', async () => {
    const k = await sim({ dbless: true });
    const r = await k.call('POST', '/config', { config: 'services: []' });
    expect(r.body).toMatchObject({ code: 14, fields: { _format_version: 'required field missing' } });
    expect((await k.call('POST', '/config', {})).body).toEqual({
      message: 'expected a declarative configuration',
    });
  });

  it('in DB mode GET /config and POST /config → 400 (only available when not using a database)', async () => {
    const k = await sim();
    const r = await k.call('GET', '/config');
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      'this endpoint is only available when Kong is configured to not use a database',
    );
  });
});
