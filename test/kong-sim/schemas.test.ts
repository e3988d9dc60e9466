/**
 * The schema endpoints and schema-driven plugin writes, each against the Kong 3.9.3 source it mirrors:
 * kong/api/routes/kong.lua (`/schemas/...`), kong/api/routes/plugins.lua (`/plugins/enabled`,
 * `/plugins/schema/{name}`), kong/api/api_helpers.lua (schema_to_jsonable), kong/db/schema/init.lua
 * (validation messages, shorthand fields, merge_values), kong/db/errors.lua (schema violation body).
 */
import { describe, expect, it } from 'vitest';
import { sim } from './helpers.ts';

const field = (fields: Record<string, unknown>[], name: string) =>
  fields.find((f) => name in f)?.[name] as Record<string, unknown> | undefined;

describe('GET /schemas/plugins/{name} (kong/api/routes/kong.lua, api_helpers.lua schema_to_jsonable)', () => {
  it('serves the plugin subschema as {entity_checks, fields}, fields a list of one-key objects', async () => {
    const k = await sim();
    const res = await k.call('GET', '/schemas/plugins/prometheus');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['entity_checks', 'fields']);
    expect(res.body.fields.map((f: object) => Object.keys(f)[0])).toEqual(['protocols', 'config']);
    const config = field(res.body.fields, 'config')!;
    // entity.lua make_records_required: the subschema's records are required
    expect(config).toMatchObject({ type: 'record', required: true });
    // kong/plugins/prometheus/schema.lua: ai_metrics = { type = "boolean", default = false }
    expect(field(config.fields as Record<string, unknown>[], 'ai_metrics')).toMatchObject({
      type: 'boolean',
      default: false,
    });
  });

  it('serves defaults, one_of, between, nested records, `default = null` and shorthand fields', async () => {
    const k = await sim();
    const { body } = await k.call('GET', '/schemas/plugins/rate-limiting');
    const config = field(body.fields, 'config')!;
    const fields = config.fields as Record<string, unknown>[];
    expect(field(fields, 'limit_by')).toMatchObject({
      type: 'string',
      default: 'consumer',
      one_of: ['consumer', 'credential', 'ip', 'service', 'header', 'path'],
    });
    expect(field(fields, 'policy')).toMatchObject({
      default: 'local',
      one_of: ['local', 'cluster', 'redis'],
    });
    expect(field(fields, 'error_code')).toMatchObject({ type: 'number', default: 429, gt: 0 });
    const redis = field(fields, 'redis')!;
    expect(redis.type).toBe('record');
    expect(field(redis.fields as Record<string, unknown>[], 'port')).toMatchObject({
      type: 'integer',
      default: 6379,
      between: [0, 65535],
    });
    // config.redis_host: deprecated shorthand of config.redis.host
    const shorthand = (config.shorthand_fields as Record<string, Record<string, unknown>>[]).find(
      (s) => 'redis_host' in s,
    )!.redis_host!;
    expect(shorthand).toMatchObject({
      type: 'string',
      deprecation: { replaced_with: [{ path: ['redis', 'host'] }] },
    });
    expect(shorthand).not.toHaveProperty('func');
    expect(body.entity_checks[0]).toEqual({
      at_least_one_of: [
        'config.second',
        'config.minute',
        'config.hour',
        'config.day',
        'config.month',
        'config.year',
      ],
    });
    // typedefs.no_consumer: a foreign key that must stay null (key-auth)
    const keyAuth = (await k.call('GET', '/schemas/plugins/key-auth')).body;
    expect(field(keyAuth.fields, 'consumer')).toMatchObject({
      type: 'foreign',
      reference: 'consumers',
      eq: null,
    });
  });

  it('unknown and disabled plugins → 404 {message: "No plugin named \'<name>\'"}', async () => {
    const k = await sim({ plugins: ['key-auth'] });
    expect(await k.call('GET', '/schemas/plugins/nope')).toMatchObject({
      status: 404,
      body: { message: "No plugin named 'nope'" },
    });
    expect((await k.call('GET', '/schemas/plugins/prometheus')).body).toEqual({
      message: "No plugin named 'prometheus'",
    });
    expect((await k.call('GET', '/schemas/plugins/key-auth')).status).toBe(200);
  });

  it('GET /plugins/schema/{name} (deprecated) serves the config record only', async () => {
    const k = await sim();
    const res = await k.call('GET', '/plugins/schema/basic-auth');
    expect(res.status).toBe(200);
    expect(res.body.fields.map((f: object) => Object.keys(f)[0])).toEqual([
      'anonymous',
      'hide_credentials',
      'realm',
    ]);
  });
});

describe('GET /plugins/enabled (kong/api/routes/plugins.lua)', () => {
  it('lists the loaded plugins; a node configured without one does not list it', async () => {
    const k = await sim();
    const all = (await k.call('GET', '/plugins/enabled')).body;
    expect(Object.keys(all)).toEqual(['enabled_plugins']);
    expect(all.enabled_plugins).toHaveLength(45);
    expect(all.enabled_plugins).toContain('zipkin');

    const some = await sim({ plugins: ['key-auth', 'cors'] });
    expect((await some.call('GET', '/plugins/enabled')).body.enabled_plugins.sort()).toEqual([
      'cors',
      'key-auth',
    ]);
    const refused = await some.call('POST', '/plugins', { name: 'prometheus' });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual({
      name: "plugin 'prometheus' not enabled; add it to the 'plugins' configuration property",
    });
    some.state.plugins.delete('cors');
    expect((await some.call('GET', '/plugins/enabled')).body.enabled_plugins).toEqual(['key-auth']);
  });
});

describe('custom plugins (kong/db/schema/plugin_loader.lua)', () => {
  const schema = {
    fields: [
      {
        protocols: {
          type: 'set',
          default: ['http', 'https'],
          elements: { type: 'string', one_of: ['http', 'https'] },
        },
      },
      {
        config: {
          type: 'record',
          fields: [
            { greeting: { type: 'string', default: 'hello' } },
            { limits: { type: 'record', fields: [{ burst: { type: 'integer', default: 10 } }] } },
            { target: { type: 'string', required: true } },
          ],
        },
      },
    ],
  };

  it('a registered custom plugin is enabled, served by /schemas/plugins and its defaults filled', async () => {
    const k = await sim({ customPlugins: { 'my-header': schema } });
    expect((await k.call('GET', '/plugins/enabled')).body.enabled_plugins).toContain('my-header');
    const served = (await k.call('GET', '/schemas/plugins/my-header')).body;
    expect(field(served.fields, 'config')).toMatchObject({ type: 'record', required: true });
    const created = await k.call('POST', '/plugins', { name: 'my-header', config: { target: 'x' } });
    expect(created.status).toBe(201);
    expect(created.body.config).toEqual({ greeting: 'hello', limits: { burst: 10 }, target: 'x' });
    expect(created.body.protocols).toEqual(['http', 'https']);
    const missing = await k.call('POST', '/plugins', { name: 'my-header', config: {} });
    expect(missing.body.fields).toEqual({ config: { target: 'required field missing' } });
  });

  it('registering at run time works like a node restarted with the plugin installed', async () => {
    const k = await sim();
    expect((await k.call('GET', '/schemas/plugins/my-header')).status).toBe(404);
    k.state.registerPlugin('my-header', schema);
    expect((await k.call('GET', '/schemas/plugins/my-header')).status).toBe(200);
  });
});

describe('GET /schemas/{entity} (kong/api/routes/kong.lua)', () => {
  it('serves the 3.x entity schemas with foreign schemas stripped', async () => {
    const k = await sim();
    const routes = await k.call('GET', '/schemas/routes');
    expect(routes.status).toBe(200);
    const names = routes.body.fields.map((f: object) => Object.keys(f)[0]);
    expect(names).toEqual(expect.arrayContaining(['id', 'paths', 'strip_path', 'service', 'protocols']));
    // kong/db/schema/entities/routes.lua
    expect(field(routes.body.fields, 'strip_path')).toMatchObject({
      type: 'boolean',
      required: true,
      default: true,
    });
    expect(field(routes.body.fields, 'https_redirect_status_code')).toMatchObject({
      default: 426,
      one_of: [426, 301, 302, 307, 308],
    });
    expect(field(routes.body.fields, 'service')).toEqual(
      expect.objectContaining({ type: 'foreign', reference: 'services' }),
    );
    expect(field(routes.body.fields, 'service')).not.toHaveProperty('schema');
    const services = (await k.call('GET', '/schemas/services')).body;
    expect(field(services.fields, 'retries')).toMatchObject({ default: 5, between: [0, 32767] });
    // plugin daos are entities too (kong/plugins/key-auth/daos.lua)
    expect((await k.call('GET', '/schemas/keyauth_credentials')).status).toBe(200);
  });

  it('an unknown entity → 404 {message: "No entity named \'<name>\'"}', async () => {
    const k = await sim();
    expect(await k.call('GET', '/schemas/nope')).toMatchObject({
      status: 404,
      body: { message: "No entity named 'nope'" },
    });
  });

  it('Enterprise-only kinds do not exist on a community node (kong.db has no consumer_groups DAO)', async () => {
    const oss = await sim({ edition: 'community' });
    expect((await oss.call('GET', '/schemas/consumer_groups')).body).toEqual({
      message: "No entity named 'consumer_groups'",
    });
    expect((await oss.call('POST', '/schemas/consumer_groups/validate', { name: 'x' })).status).toBe(404);
    expect(await oss.call('GET', '/consumer_groups')).toMatchObject({
      status: 404,
      body: { message: 'Not found' },
    });
    const ee = await sim({ edition: 'enterprise' });
    expect((await ee.call('GET', '/schemas/consumer_groups')).status).toBe(200);
  });
});

describe('POST /schemas/{entity}/validate and /schemas/plugins/validate (kong/api/routes/kong.lua validate_schema)', () => {
  it('a valid entity → 200 {message: "schema validation successful"}, nothing written', async () => {
    const k = await sim();
    const res = await k.call('POST', '/schemas/services/validate', { host: 'example.com' });
    expect(res).toMatchObject({ status: 200, body: { message: 'schema validation successful' } });
    expect(k.state.counts().services).toBe(0);
  });

  it('route fields of the wrong type → 400 schema violation naming each field (routes.lua, init.lua)', async () => {
    const k = await sim();
    const res = await k.call('POST', '/schemas/routes/validate', { paths: '/notalist', strip_path: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 2,
      name: 'schema violation',
      message: '2 schema violations (paths: expected an array; strip_path: expected a boolean)',
      fields: { paths: 'expected an array', strip_path: 'expected a boolean' },
    });
    // the same body on a real write, which writes nothing
    const write = await k.call('POST', '/routes', { paths: '/notalist', strip_path: 'yes' });
    expect(write.body).toEqual(res.body);
    expect(k.state.counts().routes).toBe(0);
  });

  it('plugins are validated with their subschema: types, one_of, ranges, unknown fields, entity checks', async () => {
    const k = await sim();
    const bad = await k.call('POST', '/schemas/plugins/validate', {
      name: 'rate-limiting',
      config: { minute: 'five', policy: 'nowhere', error_code: -1, bogus: 1, redis: { port: 70000 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 2, name: 'schema violation' });
    expect(bad.body.fields).toEqual({
      config: {
        minute: 'expected a number',
        policy: 'expected one of: local, cluster, redis',
        error_code: 'value must be greater than 0',
        bogus: 'unknown field',
        redis: { port: 'value should be between 0 and 65535' },
      },
    });
    const none = await k.call('POST', '/schemas/plugins/validate', { name: 'rate-limiting' });
    expect(none.body.fields).toEqual({
      '@entity': [
        "at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'",
      ],
    });
    const cond = await k.call('POST', '/schemas/plugins/validate', {
      name: 'rate-limiting',
      config: { minute: 1, limit_by: 'header' },
    });
    expect(cond.body.fields).toEqual({
      '@entity': ["failed conditional validation given value of field 'config.limit_by'"],
      config: { header_name: 'required field missing' },
    });
    const ok = await k.call('POST', '/schemas/plugins/validate', { name: 'key-auth' });
    expect(ok).toMatchObject({ status: 200, body: { message: 'schema validation successful' } });
    expect(k.state.counts().plugins).toBe(0);
  });

  it('a no_consumer plugin scoped to a consumer → consumer: value must be null (typedefs.no_consumer)', async () => {
    const k = await sim();
    await k.call('POST', '/consumers', { username: 'ann' });
    const res = await k.call('POST', '/consumers/ann/plugins', { name: 'key-auth' });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ consumer: 'value must be null' });
  });
});

describe('plugin writes (kong/db/schema/init.lua process_auto_fields, merge_values)', () => {
  it('PUT fills defaults like POST; config: null is refused (config is required)', async () => {
    const k = await sim();
    const id = '8d6c3b52-4a93-4f2b-9a6e-2a1c5b7d9e01';
    const put = await k.call('PUT', `/plugins/${id}`, { name: 'basic-auth' });
    expect(put.status).toBe(200);
    expect(put.body.config).toEqual({ anonymous: null, hide_credentials: false, realm: 'service' });
    const nul = await k.call('PUT', `/plugins/${id}`, { name: 'basic-auth', config: null });
    expect(nul.body.fields).toEqual({ config: 'required field missing' });
  });

  it('PATCH merges records field by field, replaces arrays, keeps the other defaults', async () => {
    const k = await sim();
    const created = await k.call('POST', '/plugins', { name: 'rate-limiting', config: { minute: 5 } });
    const patched = await k.call('PATCH', `/plugins/${created.body.id}`, {
      config: { hour: 100, redis: { host: 'redis.internal' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.config).toMatchObject({
      minute: 5,
      hour: 100,
      policy: 'local',
      redis: { host: 'redis.internal', port: 6379, timeout: 2000 },
    });
    const ka = await k.call('POST', '/plugins', { name: 'key-auth', config: { key_names: ['a', 'b'] } });
    const kaPatched = await k.call('PATCH', `/plugins/${ka.body.id}`, { config: { key_names: ['c'] } });
    expect(kaPatched.body.config).toMatchObject({ key_names: ['c'], key_in_header: true });
    const off = await k.call('PATCH', `/plugins/${ka.body.id}`, { enabled: false });
    expect(off.body.config).toEqual(kaPatched.body.config);
  });

  it('deprecated shorthands write their replacement and are read back beside it (rate-limiting redis_*)', async () => {
    const k = await sim();
    const res = await k.call('POST', '/plugins', {
      name: 'rate-limiting',
      config: { minute: 1, policy: 'redis', redis_host: 'r.internal', redis_port: 6380 },
    });
    expect(res.status).toBe(201);
    expect(res.body.config.redis).toMatchObject({ host: 'r.internal', port: 6380 });
    expect(res.body.config).toMatchObject({
      redis_host: 'r.internal',
      redis_port: 6380,
      redis_timeout: 2000,
    });
    // PATCH through the new field: the read-back follows
    const patched = await k.call('PATCH', `/plugins/${res.body.id}`, {
      config: { redis: { host: 'other' } },
    });
    expect(patched.body.config).toMatchObject({ redis_host: 'other', redis: { host: 'other', port: 6380 } });
    // both forms with different values → validate_deprecation_exclusiveness
    const clash = await k.call('POST', '/plugins', {
      name: 'rate-limiting',
      service: null,
      route: null,
      config: { minute: 1, redis_host: 'a', redis: { host: 'b' } },
    });
    expect(clash.status).toBe(400);
    expect(clash.body.fields.config.redis_host).toMatch(
      /both deprecated and new field are used but their values mismatch/,
    );
  });

  it('non-deprecated shorthands translate and are not read back (session cookie_lifetime)', async () => {
    const k = await sim();
    const res = await k.call('POST', '/plugins', { name: 'session', config: { cookie_lifetime: 120 } });
    expect(res.status).toBe(201);
    expect(res.body.config.rolling_timeout).toBe(120);
    expect(res.body.config).not.toHaveProperty('cookie_lifetime');
  });

  it('DB-less POST /config fills plugin defaults as the declarative loader does', async () => {
    const k = await sim({ dbless: true });
    const res = await k.call('POST', '/config', {
      _format_version: '3.0',
      plugins: [{ name: 'prometheus' }, { name: 'key-auth', config: { key_names: ['token'] } }],
    });
    expect(res.status).toBe(201);
    const plugins = (await k.call('GET', '/plugins')).body.data;
    const byName = Object.fromEntries(plugins.map((p: { name: string }) => [p.name, p]));
    expect(byName.prometheus.config).toMatchObject({ ai_metrics: false, per_consumer: false });
    expect(byName['key-auth'].config).toMatchObject({
      key_names: ['token'],
      key_in_header: true,
      hide_credentials: false,
    });
  });
});
