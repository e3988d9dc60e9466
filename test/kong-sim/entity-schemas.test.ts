/**
 * The simulator's entity schemas are Kong 3.9.3's, generated from kong/db/schema/entities/*.lua and the
 * bundled plugins' daos.lua (schema/kong/entities.json): what `GET /schemas/{entity}` serves, what
 * writes are filled and validated with, and the DAO facts (admin_api_name, admin_api_nested_name,
 * endpoint_key, cache_key, ttl, foreign keys with on_delete) all come from that one table.
 */
import { describe, expect, it } from 'vitest';
import {
  compileSchema,
  entityMeta,
  entitySchemaJson,
  fillRecord,
  type KongField,
} from '../../tools/kong-sim/kong-schema.ts';
import { buildRegistry } from '../../tools/kong-sim/schema/index.ts';
import { sim } from './helpers.ts';

const community = buildRegistry('community').list;

describe('entity schemas are the data generated from Kong 3.9.3 (kong/db/schema/entities/*.lua)', () => {
  it.each(community.map((s) => s.name))('%s', async (name) => {
    const schema = community.find((s) => s.name === name)!;
    const json = entitySchemaJson(name)!;
    const meta = entityMeta(name)!;
    expect(schema.json).toBe(json);
    expect(schema.adminPath).toBe(meta.admin_api_name ?? name);
    expect(schema.nestedPath).toBe(meta.admin_api_nested_name);
    expect(schema.endpointKey).toBe(meta.endpoint_key);
    expect(schema.cacheKey).toEqual(meta.cache_key);
    for (const item of json.fields) {
      const [field, f] = Object.entries(item)[0] as [string, KongField];
      expect(schema.fields[field]?.reference, `${name}.${field}`).toBe(f.reference);
      expect(schema.fields[field]?.onDelete, `${name}.${field}`).toBe(f.on_delete);
      expect(schema.fields[field]?.unique === true, `${name}.${field}`).toBe(f.unique === true);
    }
    // GET /schemas/{entity} serves the same table (kong/api/routes/kong.lua)
    const k = await sim();
    expect((await k.call('GET', `/schemas/${name}`)).body).toEqual(json);
  });

  it('upstreams.healthchecks: a write without it stores the default of upstreams.lua', async () => {
    const k = await sim();
    const created = (await k.call('POST', '/upstreams', { name: 'u' })).body;
    const compiled = compileSchema(entitySchemaJson('upstreams')!);
    expect(created.healthchecks).toEqual(fillRecord(compiled, { name: 'u' }).healthchecks);
    expect(created.healthchecks.active.healthy.http_statuses).toEqual([200, 302]);
  });

  it("routes.lua: snis only when 'protocols' holds grpcs, https, tls or tls_passthrough (conditional on elements)", async () => {
    const k = await sim();
    const http = await k.call('POST', '/routes', { protocols: ['http'], paths: ['/a'], snis: ['a.example'] });
    expect(http.status).toBe(400);
    expect(http.body.fields.snis).toBe(
      "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'",
    );
    const https = await k.call('POST', '/routes', {
      protocols: ['http', 'https'],
      paths: ['/b'],
      snis: ['b.example'],
    });
    expect(https.status).toBe(201);
  });

  it('an Enterprise node adds plugins.consumer_group (cascade) and the Enterprise-only kinds', () => {
    const enterprise = buildRegistry('enterprise');
    expect(enterprise.byName.get('plugins')?.fields.consumer_group).toEqual({
      type: 'foreign',
      reference: 'consumer_groups',
      onDelete: 'cascade',
    });
    expect(enterprise.byName.get('plugins')?.cacheKey).toContain('consumer_group');
    expect(community.find((s) => s.name === 'plugins')?.fields.consumer_group).toBeUndefined();
    expect([...enterprise.byName.keys()].filter((n) => !community.some((s) => s.name === n))).toEqual([
      'consumer_groups',
      'mtls_auth_credentials',
    ]);
  });
});
