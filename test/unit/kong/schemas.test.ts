/**
 * Reading schemas and capabilities as decK does (go-database-reconciler pkg/schema: one GET per plugin
 * name, cached; a failed plugin schema stops the run; a 404 entity schema is ignored), from the endpoints
 * of kong/api/routes/kong.lua and kong/api/routes/plugins.lua.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildSnapshot, type Entity } from '../../../src/core/index.ts';
import { createKongClient } from '../../../src/kong/client.ts';
import type { GatewayInfo } from '../../../src/kong/describe.ts';
import { SchemaUnavailableError } from '../../../src/kong/errors.ts';
import { loadSchemasFor, readCapabilities, SchemaRegistry } from '../../../src/kong/schemas.ts';
import { KONG_39_META } from '../../fixtures/schemas/kong-3.9.ts';
import { json, startStub } from './http-stub.ts';

const stubs: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of stubs.splice(0)) await s.close();
});

const schema = { fields: [{ config: { type: 'record', required: true, fields: [] } }], entity_checks: [] };
const gateway: GatewayInfo = {
  version: '3.9.1',
  edition: 'community',
  database: 'postgres',
  role: 'traditional',
  workspace: null,
  hostname: null,
  availablePlugins: ['acl', 'cors'],
  wasm: false,
};

async function client(route: (url: string) => ReturnType<typeof json>) {
  const stub = await startStub((req) => route(req.url));
  stubs.push(stub);
  return { stub, client: createKongClient({ url: stub.url, sleep: async () => {} }) };
}

const meta = KONG_39_META;

describe('SchemaRegistry', () => {
  it('asks for each plugin schema once however many plugins and plans use it', async () => {
    const { stub, client: c } = await client((url) =>
      url.startsWith('/schemas/plugins/') ? json(200, schema) : json(404, { message: 'Not found' }),
    );
    const registry = new SchemaRegistry(c);
    const plugins: Record<string, Entity> = {};
    for (let i = 0; i < 30; i++) plugins[`p${i}`] = { id: `p${i}`, name: i % 2 ? 'cors' : 'acl' } as Entity;
    const snap = buildSnapshot(meta, { plugins });
    const caps = { ...gateway, enabledPlugins: ['acl', 'cors'], wasm: false };
    await Promise.all([loadSchemasFor(registry, snap, caps), loadSchemasFor(registry, snap, caps)]);
    await loadSchemasFor(registry, snap, caps);
    const urls = stub.requests.map((r) => r.url).sort();
    expect(urls).toEqual(['/schemas/plugins', '/schemas/plugins/acl', '/schemas/plugins/cors']);
    expect(registry.requests).toBe(3);
    expect(registry.schemas.entities.has('plugins')).toBe(false);
    c.close();
  });

  it('a plugin schema the gateway will not serve is an error naming the plugin', async () => {
    const { client: c } = await client(() => json(404, { message: "No plugin named 'my-auth'" }));
    const err = await new SchemaRegistry(c).plugin('my-auth').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaUnavailableError);
    expect((err as Error).message).toBe(
      'the gateway has no plugin named "my-auth" (GET /schemas/plugins/my-auth answered 404): install and enable it on the gateway or remove it from the target; without its schema its defaults cannot be filled',
    );
    c.close();
  });

  it('plugins the gateway has not enabled are not asked for (preflight names them instead)', async () => {
    const { stub, client: c } = await client(() => json(200, schema));
    const snap = buildSnapshot(meta, {
      plugins: { a: { id: 'a', name: 'rate-limiting-advanced' } as Entity },
    });
    await loadSchemasFor(new SchemaRegistry(c), snap, { ...gateway, enabledPlugins: ['acl'], wasm: false });
    expect(stub.requests.map((r) => r.url)).toEqual(['/schemas/plugins']);
    c.close();
  });
});

describe('readCapabilities', () => {
  it('reads GET /plugins/enabled', async () => {
    const { client: c } = await client(() => json(200, { enabled_plugins: ['key-auth', 'cors'] }));
    expect(await readCapabilities(c, gateway)).toEqual({
      version: '3.9.1',
      edition: 'community',
      database: 'postgres',
      enabledPlugins: ['key-auth', 'cors'],
      wasm: false,
    });
    c.close();
  });

  it('falls back on GET /’s available_on_server when /plugins/enabled is not served', async () => {
    const { client: c } = await client(() => json(404, { message: 'Not found' }));
    expect((await readCapabilities(c, gateway)).enabledPlugins).toEqual(['acl', 'cors']);
    c.close();
  });
});
