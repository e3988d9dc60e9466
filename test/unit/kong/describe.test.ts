import { afterEach, describe, expect, it } from 'vitest';
import { createKongClient } from '../../../src/kong/client.ts';
import { checkHealth, describeGateway } from '../../../src/kong/describe.ts';
import { type Handler, json, startStub } from './http-stub.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function clientFor(handler: (url: string) => Handler, workspace?: string) {
  const stub = await startStub((req) => handler(req.url));
  const client = createKongClient({ url: stub.url, workspace, sleep: async () => {} });
  closers.push(async () => {
    client.close();
    await stub.close();
  });
  return { client, stub };
}

describe('describeGateway', () => {
  it.each([
    {
      name: 'OSS with postgres',
      root: {
        version: '3.9.1',
        edition: 'community',
        hostname: 'k1',
        configuration: { database: 'postgres', role: 'traditional' },
      },
      want: {
        version: '3.9.1',
        edition: 'community',
        database: 'postgres',
        role: 'traditional',
        hostname: 'k1',
      },
    },
    {
      name: 'DB-less',
      root: { version: '3.10.0', edition: 'community', configuration: { database: 'off' } },
      want: { database: 'off', role: 'traditional' },
    },
    {
      name: 'Enterprise control plane',
      root: {
        version: '3.10.0.1-enterprise-edition',
        configuration: { database: 'postgres', role: 'control_plane' },
      },
      want: { edition: 'enterprise', role: 'control_plane' },
    },
  ])('reads $name from GET /', async ({ root, want }) => {
    const { client } = await clientFor(() => json(200, root));
    expect(await describeGateway(client)).toMatchObject(want);
  });

  it('asks /<ws>/kong with a workspace and falls back to / when unknown', async () => {
    const { client, stub } = await clientFor(
      (url) =>
        url === '/'
          ? json(200, { version: '3.9.0', configuration: { database: 'postgres' } })
          : json(404, { message: 'Not found' }),
      'team-a',
    );
    const info = await describeGateway(client);
    expect(info.workspace).toBe('team-a');
    expect(stub.requests.map((r) => r.url)).toEqual(['/team-a/kong', '/']);
  });

  it('refuses an answer that is not Kong', async () => {
    const { client } = await clientFor(() => json(200, { hello: 'world' }));
    await expect(describeGateway(client)).rejects.toThrow(/does not look like a Kong Admin API/);
  });
});

describe('checkHealth', () => {
  it.each([
    { body: { database: { reachable: true } }, want: { ok: true, databaseReachable: true } },
    { body: { database: { reachable: false } }, want: { ok: false, databaseReachable: false } },
    {
      body: { configuration_hash: 'abc' },
      want: { ok: true, databaseReachable: null, configurationHash: 'abc' },
    },
  ])('reads /status $body', async ({ body, want }) => {
    const { client, stub } = await clientFor(() => json(200, body), 'ws');
    expect(await checkHealth(client)).toMatchObject(want);
    expect(stub.requests[0]?.url).toBe('/status');
  });

  it('reports an unreachable gateway instead of throwing', async () => {
    const { client, stub } = await clientFor(() => json(200, {}));
    await stub.close();
    const h = await checkHealth(client);
    expect(h.ok).toBe(false);
    expect(h.message).toMatch(/cannot reach Kong/);
  });
});
