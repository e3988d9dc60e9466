import { describe, expect, it } from 'vitest';
import { sim } from './helpers.ts';

/**
 * Enterprise with several workspaces. Sources: Kong EE workspace routing `/<ws>/...` (go-kong
 * `workspacedBaseURL`; decK --all-workspaces in Kong/deck cmd/common.go lists `/workspaces` and dumps each),
 * Kong's entity schemas (kong/db/schema/entities/*.lua: `primary_key = { "id" }`, names unique per workspace
 * in Enterprise), kong/db/errors.lua (primary key / unique violations).
 */

async function enterprise() {
  return sim({
    edition: 'enterprise',
    workspaces: ['team-a', 'team-b'],
    seed: { _format_version: '3.0', services: [{ name: 'orders', host: 'default.internal' }] },
    // declarative seeds derive ids from names (uuid v5), so a second workspace's seed names its ids
    workspaceSeeds: {
      'team-a': {
        _format_version: '3.0',
        services: [{ id: '4a7c1f0e-0c55-4d8e-a9a3-2f6e1b9c7d01', name: 'orders', host: 'a.internal' }],
      },
    },
  });
}

describe('kong-sim Enterprise workspaces', () => {
  it('GET /workspaces lists default and every workspace with Kong paging; /<ws>/workspaces too', async () => {
    const k = await enterprise();
    const list = await k.call('GET', '/workspaces');
    expect(list.status).toBe(200);
    expect(list.body.data.map((w: { name: string }) => w.name).sort()).toEqual([
      'default',
      'team-a',
      'team-b',
    ]);
    expect(list.body.next).toBeNull();
    expect((await k.call('GET', '/team-a/workspaces/team-b')).body.name).toBe('team-b');
  });

  it('names are unique per workspace: the same service name lives in default and team-a', async () => {
    const k = await enterprise();
    const a = await k.call('GET', '/team-a/services/orders');
    const d = await k.call('GET', '/services/orders');
    expect(a.body.host).toBe('a.internal');
    expect(d.body.host).toBe('default.internal');
    expect(a.body.id).not.toBe(d.body.id);
    expect((await k.call('POST', '/team-b/services', { name: 'orders', host: 'b' })).status).toBe(201);
    expect((await k.call('POST', '/team-b/services', { name: 'orders', host: 'b' })).status).toBe(409);
  });

  it('ids are unique across workspaces: PUT of an id another workspace holds is a primary key violation (400, endpoints.lua ERRORS_HTTP_CODES), nothing moves', async () => {
    const k = await enterprise();
    const a = await k.call('GET', '/team-a/services/orders');
    const moved = await k.call('PUT', `/team-b/services/${a.body.id}`, { name: 'stolen', host: 'x' });
    expect(moved.status).toBe(400);
    expect(moved.body).toMatchObject({ code: 3, name: 'primary key violation' });
    expect(k.state.cell('team-b').counts().services).toBe(0);
    expect((await k.call('GET', `/team-a/services/${a.body.id}`)).body.name).toBe('orders');
    // once deleted in team-a the id is free again
    expect((await k.call('DELETE', `/team-a/services/${a.body.id}`)).status).toBe(204);
    expect((await k.call('PUT', `/team-b/services/${a.body.id}`, { name: 'moved', host: 'x' })).status).toBe(
      200,
    );
  });

  it('write counts are kept per workspace', async () => {
    const k = await enterprise();
    await k.call('POST', '/team-b/consumers', { username: 'bob' });
    await k.call('PUT', '/team-b/consumers/carol', {});
    expect(k.state.cell('team-b').writes).toBe(2);
    expect(k.state.cell('team-a').writes).toBe(0);
    expect(k.state.cell('default').writes).toBe(0);
  });

  it('workspaces are created by POST or PUT, and deleted only when empty; default is never deleted', async () => {
    const k = await enterprise();
    const created = await k.call('POST', '/workspaces', { name: 'team-c' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'team-c', comment: null });
    expect((await k.call('POST', '/workspaces', { name: 'team-c' })).status).toBe(409);
    expect((await k.call('POST', '/team-c/services', { name: 's', host: 'h' })).status).toBe(201);
    expect((await k.call('DELETE', '/workspaces/team-c')).status).toBe(400);
    await k.call('DELETE', '/team-c/services/s');
    expect((await k.call('DELETE', '/workspaces/team-c')).status).toBe(204);
    expect((await k.call('GET', '/team-c/services')).status).toBe(404);
    const put = await k.call('PUT', '/workspaces/team-d', { comment: 'new' });
    expect(put.body).toMatchObject({ name: 'team-d', comment: 'new' });
    expect((await k.call('DELETE', '/workspaces/default')).status).toBe(400);
  });

  it('a seed reusing an id of another workspace is refused at start', async () => {
    const id = '0e9a2c3b-7d7b-4a4e-9a55-3f7a9c0d1e21';
    await expect(
      sim({
        edition: 'enterprise',
        workspaces: ['team-a'],
        seed: { _format_version: '3.0', services: [{ id, name: 'a', host: 'h' }] },
        workspaceSeeds: { 'team-a': { _format_version: '3.0', services: [{ id, name: 'b', host: 'h' }] } },
      }),
    ).rejects.toThrow(/used by another workspace/);
  });
});
