import { describe, expect, it } from 'vitest';
import { sim } from './helpers.ts';

describe('kong-sim node endpoints (kong/api/routes/kong.lua, kong/api/routes/health.lua)', () => {
  it('GET / reports version, edition, hostname, node_id, plugins and configuration.database/role', async () => {
    const k = await sim({ version: '3.9.1' });
    await k.call('POST', '/plugins', { name: 'cors' });
    const r = await k.call('GET', '/');
    expect(r.body).toMatchObject({
      version: '3.9.1',
      edition: 'community',
      configuration: { database: 'postgres', role: 'traditional' },
      plugins: { enabled_in_cluster: ['cors'] },
    });
    expect(r.body.node_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof r.body.hostname).toBe('string');
    expect(r.body.plugins.available_on_server['key-auth']).toBeDefined();
    const off = await sim({ dbless: true });
    expect((await off.call('GET', '/')).body.configuration.database).toBe('off');
  });

  it('GET /status reports database.reachable in DB mode and configuration_hash (32 zeros when empty) in DB-less mode', async () => {
    const db = await sim();
    expect((await db.call('GET', '/status')).body.database).toEqual({ reachable: true });
    const off = await sim({ dbless: true });
    const s = (await off.call('GET', '/status')).body;
    expect(s.configuration_hash).toBe('0'.repeat(32));
    expect(s.database).toBeUndefined();
  });

  it('an unknown path is 404 {"message":"Not found"}', async () => {
    const k = await sim();
    expect(await k.call('GET', '/nothing-here')).toMatchObject({
      status: 404,
      body: { message: 'Not found' },
    });
  });
});

describe('kong-sim RBAC token and workspaces (Kong Enterprise)', () => {
  it('with a token set, requests without the right Kong-Admin-Token get 401 and change nothing', async () => {
    const k = await sim({ token: 's3cret' });
    const none = await k.call('POST', '/services', { name: 's', host: 'h' });
    expect(none).toMatchObject({
      status: 401,
      body: { message: 'Invalid credentials. Token or User credentials required' },
    });
    expect((await k.call('GET', '/services', undefined, { 'Kong-Admin-Token': 'wrong' })).status).toBe(401);
    expect(k.state.store.total()).toBe(0);
    expect(k.state.writes).toBe(1);
    expect(k.state.writesSucceeded).toBe(0);
    const ok = await k.call('POST', '/services', { name: 's', host: 'h' }, { 'Kong-Admin-Token': 's3cret' });
    expect(ok.status).toBe(201);
  });

  it('with a workspace set, entity paths live under /<workspace>/ and unprefixed entity paths are 404', async () => {
    const k = await sim({ workspace: 'team-a' });
    expect((await k.call('POST', '/team-a/services', { name: 's', host: 'h' })).status).toBe(201);
    expect((await k.call('GET', '/team-a/services/s')).status).toBe(200);
    expect((await k.call('GET', '/services')).status).toBe(404);
    expect((await k.call('GET', '/team-b/services')).status).toBe(404);
    expect((await k.call('GET', '/team-a/kong')).body.version).toBe('3.9.3');
    expect((await k.call('GET', '/status')).status).toBe(200);
  });
});

describe('kong-sim fault injection', () => {
  it('failNext(n) answers the next n requests 500 {"message":"An unexpected error occurred"}, as Kong does for database errors (kong/api/api_helpers.lua)', async () => {
    const k = await sim();
    k.state.faults.failNext(2);
    const a = await k.call('POST', '/services', { name: 's', host: 'h' });
    expect(a).toMatchObject({ status: 500, body: { message: 'An unexpected error occurred' } });
    expect((await k.call('GET', '/services')).status).toBe(500);
    expect((await k.call('POST', '/services', { name: 's', host: 'h' })).status).toBe(201);
    expect(k.state.writes).toBe(2);
    expect(k.state.writesSucceeded).toBe(1);
  });

  it('failRate answers a share of requests 500', async () => {
    const k = await sim({ failRate: 0.5 });
    const statuses = await Promise.all(
      Array.from({ length: 200 }, () => k.call('GET', '/services').then((r) => r.status)),
    );
    const fails = statuses.filter((s) => s === 500).length;
    expect(fails).toBeGreaterThan(50);
    expect(fails).toBeLessThan(150);
    k.state.faults.failRate = 0;
    expect((await k.call('GET', '/services')).status).toBe(200);
  });

  it('rateLimit answers 429 with Retry-After once the per-second budget is spent', async () => {
    const k = await sim({ rateLimit: 3 });
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await k.call('GET', '/services'));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    expect(replies[3]!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(replies[3]!.body).toEqual({ message: 'API rate limit exceeded' });
  });

  it('dropRate destroys the connection without a response', async () => {
    const k = await sim();
    k.state.faults.dropRate = 1;
    await expect(k.call('GET', '/services')).rejects.toThrow();
    k.state.faults.dropRate = 0;
    expect((await k.call('GET', '/services')).status).toBe(200);
  });

  it('latencyMs delays every reply', async () => {
    const k = await sim({ latencyMs: 60 });
    const t0 = performance.now();
    await k.call('GET', '/status');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
  });
});
