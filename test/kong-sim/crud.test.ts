import { describe, expect, it } from 'vitest';
import { sim, UUID } from './helpers.ts';

describe('kong-sim entity CRUD (kong/api/endpoints.lua, kong/db/dao/init.lua)', () => {
  it('POST returns the full entity: every field present, unset ones null, defaults filled, id and timestamps generated (kong/db/schema/entities/services.lua)', async () => {
    const k = await sim();
    const r = await k.call('POST', '/services', { name: 'orders', host: 'orders.internal' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: 'orders',
      host: 'orders.internal',
      protocol: 'http',
      port: 80,
      retries: 5,
      connect_timeout: 60000,
      write_timeout: 60000,
      read_timeout: 60000,
      enabled: true,
      path: null,
      tags: null,
      client_certificate: null,
      tls_verify: null,
      tls_verify_depth: null,
      ca_certificates: null,
    });
    expect(r.body.id).toMatch(UUID);
    expect(Number.isInteger(r.body.created_at)).toBe(true);
    expect(r.body.created_at).toBeLessThan(1e11); // seconds, not milliseconds
  });

  it.each([
    [
      'routes',
      { paths: ['/x'] },
      {
        protocols: ['http', 'https'],
        https_redirect_status_code: 426,
        strip_path: true,
        preserve_host: false,
        request_buffering: true,
        response_buffering: true,
        regex_priority: 0,
        path_handling: 'v0',
        service: null,
        hosts: null,
      },
    ],
    [
      'upstreams',
      { name: 'up.internal' },
      {
        algorithm: 'round-robin',
        hash_on: 'none',
        hash_fallback: 'none',
        hash_on_cookie_path: '/',
        slots: 10000,
        use_srv_name: false,
        host_header: null,
      },
    ],
    [
      'plugins',
      { name: 'cors' },
      {
        enabled: true,
        protocols: ['grpc', 'grpcs', 'http', 'https'],
        service: null,
        route: null,
        consumer: null,
        instance_name: null,
        config: {},
      },
    ],
    ['consumers', { username: 'ann' }, { custom_id: null, tags: null }],
    ['key-sets', { name: 'ks' }, { tags: null }],
    ['vaults', { prefix: 'my-env', name: 'env' }, { description: null, config: null }],
  ])(
    'schema defaults for %s are filled on write (kong/db/schema/entities/*.lua)',
    async (path, body, expected) => {
      const k = await sim();
      const r = await k.call('POST', `/${path}`, body);
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject(expected);
    },
  );

  it('upstream healthchecks get the full default tree, and a partial tree is completed (kong/db/schema/entities/upstreams.lua)', async () => {
    const k = await sim();
    const full = await k.call('POST', '/upstreams', { name: 'a.internal' });
    expect(full.body.healthchecks).toEqual({
      active: {
        type: 'http',
        timeout: 1,
        concurrency: 10,
        http_path: '/',
        https_sni: null,
        https_verify_certificate: true,
        headers: null,
        healthy: { interval: 0, http_statuses: [200, 302], successes: 0 },
        unhealthy: {
          interval: 0,
          http_statuses: [429, 404, 500, 501, 502, 503, 504, 505],
          tcp_failures: 0,
          timeouts: 0,
          http_failures: 0,
        },
      },
      passive: {
        type: 'http',
        healthy: {
          http_statuses: [
            200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308,
          ],
          successes: 0,
        },
        unhealthy: { http_statuses: [429, 500, 503], tcp_failures: 0, timeouts: 0, http_failures: 0 },
      },
      threshold: 0,
    });
    const partial = await k.call('POST', '/upstreams', {
      name: 'b.internal',
      healthchecks: { active: { healthy: { interval: 5 } } },
    });
    expect(partial.body.healthchecks.active.healthy).toEqual({
      interval: 5,
      http_statuses: [200, 302],
      successes: 0,
    });
    expect(partial.body.healthchecks.passive.type).toBe('http');
  });

  it('the service url shorthand is not a field: unknown fields are refused with code 2 (kong/db/schema/init.lua UNKNOWN)', async () => {
    const k = await sim();
    const r = await k.call('POST', '/services', { name: 's', host: 'h', colour: 'red' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      code: 2,
      name: 'schema violation',
      message: 'schema violation (colour: unknown field)',
      fields: { colour: 'unknown field' },
    });
  });

  it.each([
    ['/services', { name: 's' }, { host: 'required field missing' }],
    ['/services', { host: 'h', port: 'eighty' }, { port: 'expected an integer' }],
    ['/services', { host: 'h', retries: true }, { retries: 'expected an integer' }],
    [
      '/services',
      { host: 'h', protocol: 'ftp' },
      { protocol: 'expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp' },
    ],
    ['/services', { host: 'h', port: 70000 }, { port: 'value should be between 0 and 65535' }],
    ['/routes', { name: 'r', paths: '/x' }, { paths: 'expected an array' }],
    [
      '/plugins',
      { name: 'no-such-plugin' },
      { name: "plugin 'no-such-plugin' not enabled; add it to the 'plugins' configuration property" },
    ],
    [
      '/consumers',
      { tags: ['a'] },
      { '@entity': ["at least one of these fields must be non-empty: 'custom_id', 'username'"] },
    ],
    ['/upstreams', { name: '10.0.0.1' }, { name: "Invalid name ('10.0.0.1'); no ip addresses allowed" }],
  ])(
    'POST %s %j → 400 schema violation with fields (kong/db/schema/init.lua)',
    async (path, body, fields) => {
      const k = await sim();
      const r = await k.call('POST', path, body);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe(2);
      expect(r.body.name).toBe('schema violation');
      expect(r.body.fields).toEqual(fields);
      expect(r.body.message).toMatch(/schema violation/);
      expect(k.state.store.total()).toBe(0);
    },
  );

  it('an http route must match on something: @entity error (kong/db/schema/entities/routes_subschemas.lua)', async () => {
    const k = await sim();
    const r = await k.call('POST', '/routes', { name: 'bare', protocols: ['http'] });
    expect(r.status).toBe(400);
    expect(r.body.fields).toEqual({
      '@entity': ["must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'"],
    });
  });

  it('UNIQUE violation → 409 code 5 with Kong message and fields (kong/db/errors.lua unique_violation)', async () => {
    const k = await sim();
    await k.call('POST', '/consumers', { username: 'ann' });
    const r = await k.call('POST', '/consumers', { username: 'ann' });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      code: 5,
      name: 'unique constraint violation',
      message: `UNIQUE violation detected on '{username="ann"}'`,
      fields: { username: 'ann' },
    });
  });

  it('POST with an id already in use → 400 primary key violation code 3 (kong/db/strategies/postgres toerror)', async () => {
    const k = await sim();
    const id = '6b2f0f5e-1f5c-4d6a-9b55-3c6f3f0b1a11';
    await k.call('POST', '/consumers', { id, username: 'a' });
    const r = await k.call('POST', '/consumers', { id, username: 'b' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 3, message: `primary key violation on key '{id="${id}"}'` });
  });

  it('one plugin per (name, route, service, consumer): the cache key is unique → 409 (kong/db/schema/entities/plugins.lua)', async () => {
    const k = await sim();
    const svc = (await k.call('POST', '/services', { name: 's', host: 'h' })).body;
    expect((await k.call('POST', '/plugins', { name: 'cors', service: { id: svc.id } })).status).toBe(201);
    const dup = await k.call('POST', `/services/s/plugins`, { name: 'cors' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe(5);
    expect(dup.body.fields).toEqual({ name: 'cors', service: { id: svc.id }, route: null, consumer: null });
    expect(dup.body.message).toBe(
      `UNIQUE violation detected on '{consumer=null,name="cors",route=null,service={id="${svc.id}"}}'`,
    );
    // same name on another scope is fine
    expect((await k.call('POST', '/plugins', { name: 'cors' })).status).toBe(201);
  });

  it('a missing parent → 400 code 4 "does not reference an existing" (kong/db/errors.lua foreign_key_violation_invalid_reference)', async () => {
    const k = await sim();
    const missing = '0a4f0b57-5f55-4cd2-a6a3-1d9d4a5d0e01';
    const r = await k.call('POST', '/routes', { name: 'r', paths: ['/'], service: { id: missing } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      code: 4,
      name: 'foreign key violation',
      message: `the foreign key '{id="${missing}"}' does not reference an existing 'services' entity.`,
      fields: { service: { id: missing } },
    });
  });

  it('a foreign key can be given by the parent endpoint key; unknown → code 13 (kong/db/dao/init.lua resolve_foreign)', async () => {
    const k = await sim();
    const svc = (await k.call('POST', '/services', { name: 'svc', host: 'h' })).body;
    const r = await k.call('POST', '/routes', { paths: ['/'], service: { name: 'svc' } });
    expect(r.body.service).toEqual({ id: svc.id });
    const bad = await k.call('POST', '/routes', { paths: ['/'], service: { name: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(13);
  });

  it('deleting a service that routes use → 400 restricted with @referenced_by (kong/db/errors.lua foreign_key_violation_restricted)', async () => {
    const k = await sim();
    await k.call('POST', '/services', { name: 's', host: 'h' });
    await k.call('POST', '/services/s/routes', { paths: ['/'] });
    const r = await k.call('DELETE', '/services/s');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      code: 4,
      name: 'foreign key violation',
      message: "an existing 'routes' entity references this 'services' entity",
      fields: { '@referenced_by': 'routes' },
    });
    expect(k.state.store.table('services').size).toBe(1);
  });

  it('plugins, credentials, targets, keys and filter chains cascade with their parent (on_delete = "cascade" in the schemas)', async () => {
    const k = await sim();
    await k.call('POST', '/services', { name: 's', host: 'h' });
    const route = (await k.call('POST', '/services/s/routes', { name: 'r', paths: ['/'] })).body;
    await k.call('POST', '/routes/r/plugins', { name: 'cors' });
    await k.call('POST', '/services/s/plugins', { name: 'cors' });
    await k.call('POST', '/filter-chains', { route: { id: route.id }, filters: [{ name: 'f' }] });
    await k.call('POST', '/consumers', { username: 'c' });
    await k.call('POST', '/consumers/c/key-auth', {});
    await k.call('POST', '/consumers/c/plugins', { name: 'rate-limiting', config: { minute: 5 } });
    await k.call('POST', '/upstreams', { name: 'u' });
    await k.call('POST', '/upstreams/u/targets', { target: 't1' });
    await k.call('POST', '/key-sets', { name: 'ks' });
    await k.call('POST', '/key-sets/ks/keys', { name: 'k1', kid: 'k1', jwk: '{"kid":"k1"}' });

    for (const path of ['/routes/r', '/services/s', '/consumers/c', '/upstreams/u', '/key-sets/ks']) {
      expect((await k.call('DELETE', path)).status).toBe(204);
    }
    const counts = k.state.counts();
    for (const kind of [
      'plugins',
      'filter_chains',
      'keyauth_credentials',
      'targets',
      'keys',
      'routes',
      'services',
    ]) {
      expect(counts[kind], kind).toBe(0);
    }
  });

  it('DELETE of a missing entity is 204 (kong/api/endpoints.lua delete_entity_endpoint)', async () => {
    const k = await sim();
    expect((await k.call('DELETE', '/services/ghost')).status).toBe(204);
    expect((await k.call('DELETE', '/services/0a4f0b57-5f55-4cd2-a6a3-1d9d4a5d0e01')).status).toBe(204);
  });

  it('GET by id or by endpoint key; unknown → 404 {"message":"Not found"} (kong/api/endpoints.lua get_entity_endpoint)', async () => {
    const k = await sim();
    const c = (await k.call('POST', '/consumers', { username: 'ann' })).body;
    expect((await k.call('GET', `/consumers/${c.id}`)).body.username).toBe('ann');
    expect((await k.call('GET', '/consumers/ann')).body.id).toBe(c.id);
    const missing = await k.call('GET', '/consumers/bob');
    expect(missing).toMatchObject({ status: 404, body: { message: 'Not found' } });
  });

  it('PUT by id is an upsert that replaces the whole entity (kong/db/dao/init.lua upsert)', async () => {
    const k = await sim();
    const id = '7d1c0c5e-4b1a-4a8f-9a0e-2f0a7b8c9d01';
    const created = await k.call('PUT', `/services/${id}`, { name: 's', host: 'a', retries: 1, tags: ['x'] });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id, retries: 1, tags: ['x'] });
    const replaced = await k.call('PUT', `/services/${id}`, { name: 's', host: 'b' });
    expect(replaced.body).toMatchObject({ id, host: 'b', retries: 5, tags: null });
    expect(replaced.body.created_at).toBe(created.body.created_at);
  });

  it('PUT by endpoint key creates with a generated id, and the URL key wins over the body (kong/db/dao/init.lua check_upsert)', async () => {
    const k = await sim();
    const r = await k.call('PUT', '/services/by-name', { name: 'other', host: 'h' });
    expect(r.status).toBe(200);
    expect(r.body.name).toBe('by-name');
    expect(r.body.id).toMatch(UUID);
    const again = await k.call('PUT', '/services/by-name', { host: 'h2' });
    expect(again.body.id).toBe(r.body.id);
  });

  it('PUT by id onto a name another entity holds → 409 (unique check on upsert)', async () => {
    const k = await sim();
    await k.call('POST', '/services', { name: 'taken', host: 'h' });
    const r = await k.call('PUT', '/services/7d1c0c5e-4b1a-4a8f-9a0e-2f0a7b8c9d02', {
      name: 'taken',
      host: 'h',
    });
    expect(r.status).toBe(409);
  });

  it('PATCH merges into the stored entity, records key by key; missing → 404 code 6 (kong/db/dao/init.lua check_update)', async () => {
    const k = await sim();
    await k.call('POST', '/services', { name: 's', host: 'h', retries: 2 });
    const r = await k.call('PATCH', '/services/s', { port: 8080 });
    expect(r.body).toMatchObject({ host: 'h', retries: 2, port: 8080 });
    await k.call('POST', '/upstreams', { name: 'u' });
    const u = await k.call('PATCH', '/upstreams/u', { healthchecks: { active: { timeout: 3 } } });
    expect(u.body.healthchecks.active).toMatchObject({ timeout: 3, concurrency: 10, http_path: '/' });
    const missing = await k.call('PATCH', '/services/ghost', { port: 1 });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      code: 6,
      name: 'not found',
      message: `could not find the entity with '{name="ghost"}'`,
      fields: { name: 'ghost' },
    });
  });

  it('a CA certificate still listed in a service ca_certificates cannot be deleted: code 19 (kong/db/dao/ca_certificates.lua)', async () => {
    const { pem } = await import('./helpers.ts');
    const k = await sim();
    const ca = (await k.call('POST', '/ca_certificates', { cert: pem('CERTIFICATE', 'ca') })).body;
    expect(ca.cert_digest).toMatch(/^[0-9a-f]{64}$/);
    const svc = (
      await k.call('POST', '/services', { name: 's', host: 'h', protocol: 'https', ca_certificates: [ca.id] })
    ).body;
    const r = await k.call('DELETE', `/ca_certificates/${ca.id}`);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      code: 19,
      name: 'referenced by others',
      message: `ca certificate ${ca.id} is still referenced by services (id = ${svc.id})`,
    });
    await k.call('PATCH', '/services/s', { ca_certificates: null });
    expect((await k.call('DELETE', `/ca_certificates/${ca.id}`)).status).toBe(204);
  });

  it('ca_certificates.cert_digest is unique: the same CA twice → 409 (kong/db/schema/entities/ca_certificates.lua)', async () => {
    const { pem } = await import('./helpers.ts');
    const k = await sim();
    const cert = pem('CERTIFICATE', 'same');
    expect((await k.call('POST', '/ca_certificates', { cert })).status).toBe(201);
    const r = await k.call('POST', '/ca_certificates', { cert });
    expect(r.status).toBe(409);
    expect(Object.keys(r.body.fields)).toEqual(['cert_digest']);
  });
});
