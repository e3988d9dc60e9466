import { describe, expect, it } from 'vitest';
import { sim } from './helpers.ts';

/**
 * Kong's `ttl = true` on keyauth_credentials (kong/plugins/key-auth/daos.lua): kong/api/endpoints.lua
 * takes `ttl` out of the body as an option, kong/db/dao/init.lua checks it is an integer in [0, 1e8],
 * and reads show the seconds left (null when unset) instead of a stored field.
 */
describe('kong-sim key-auth ttl (kong/plugins/key-auth/daos.lua ttl = true)', () => {
  it.each([
    ['POST top-level', 'POST', '/key-auths', { key: 'k-top', ttl: 3600 }],
    ['POST nested', 'POST', '/consumers/ann/key-auth', { key: 'k-nested', ttl: 3600 }],
    ['PUT nested by key', 'PUT', '/consumers/ann/key-auth/k-put', { ttl: 3600 }],
  ])('%s accepts a ttl and reads it back as the seconds left', async (_name, method, path, body) => {
    const k = await sim();
    const c = (await k.call('POST', '/consumers', { username: 'ann' })).body;
    const made = await k.call(
      method,
      path,
      method === 'POST' && path === '/key-auths' ? { ...body, consumer: { id: c.id } } : body,
    );
    expect(made.status).toBeLessThan(300);
    expect(made.body.ttl).toBeGreaterThan(3590);
    expect(made.body.ttl).toBeLessThanOrEqual(3600);
    const read = await k.call('GET', `/key-auths/${made.body.id}`);
    expect(read.body.ttl).toBeGreaterThan(3590);
    expect(Object.keys(read.body).sort()).toEqual(['consumer', 'created_at', 'id', 'key', 'tags', 'ttl']);
  });

  it('reads show ttl: null without a ttl; a write with ttl null, 0 or none leaves no expiry', async () => {
    const k = await sim();
    await k.call('POST', '/consumers', { username: 'ann' });
    for (const [key, extra] of [
      ['a', {}],
      ['b', { ttl: null }],
      ['c', { ttl: 0 }],
    ] as const) {
      const made = await k.call('POST', '/consumers/ann/key-auth', { key, ...extra });
      expect(made.status).toBe(201);
      expect(made.body.ttl).toBeNull();
    }
    const withTtl = await k.call('POST', '/consumers/ann/key-auth', { key: 'd', ttl: 60 });
    const patched = await k.call('PATCH', `/key-auths/${withTtl.body.id}`, { tags: ['x'] });
    expect(patched.body.ttl).toBeNull();
  });

  it.each([[-1], [1.5], ['60'], [100_000_001]])(
    'ttl %j is refused with code 11 and nothing is written',
    async (ttl) => {
      const k = await sim();
      await k.call('POST', '/consumers', { username: 'ann' });
      const res = await k.call('POST', '/consumers/ann/key-auth', { key: 'bad', ttl });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(11);
      expect(res.body.options).toEqual({ ttl: 'must be an integer between 0 and 100000000' });
      expect((await k.call('GET', '/key-auths')).body.data).toEqual([]);
    },
  );

  it('ttl stays "unknown field" on entities without ttl = true (jwt)', async () => {
    const k = await sim();
    await k.call('POST', '/consumers', { username: 'ann' });
    const res = await k.call('POST', '/consumers/ann/jwt', { key: 'iss', ttl: 60 });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ ttl: 'unknown field' });
  });
});
