import { describe, expect, it } from 'vitest';
import { sim } from './helpers.ts';

describe('kong-sim Enterprise consumer groups (go-kong kong/consumer_group*_service.go)', () => {
  it('consumer_groups are not served by the community edition', async () => {
    const k = await sim();
    expect((await k.call('GET', '/consumer_groups')).status).toBe(404);
    expect((await k.call('GET', '/mtls-auths')).status).toBe(404);
  });

  // Kong 3.9.3 OSS: kong/api/init.lua generates endpoints per DAO and there is no consumer_groups DAO;
  // kong/db/schema/entities/plugins.lua has no consumer_group field; constants.lua bundles no EE plugin.
  it('community: every Enterprise-only path, field, schema and plugin is refused as Kong OSS refuses it', async () => {
    const k = await sim({ edition: 'community' });
    await k.call('POST', '/consumers', { username: 'ann' });
    const notFound = { status: 404, body: { message: 'Not found' } };
    expect(await k.call('POST', '/consumer_groups', { name: 'g' })).toMatchObject(notFound);
    expect(await k.call('GET', '/consumer_groups/g/plugins')).toMatchObject(notFound);
    expect(await k.call('GET', '/consumers/ann/consumer_groups')).toMatchObject(notFound);
    const scoped = await k.call('POST', '/plugins', {
      name: 'cors',
      consumer_group: { id: '8d6c3b52-4a93-4f2b-9a6e-2a1c5b7d9e01' },
    });
    expect(scoped.status).toBe(400);
    expect(scoped.body.fields).toEqual({ consumer_group: 'unknown field' });
    const ee = await k.call('POST', '/plugins', { name: 'rate-limiting-advanced', config: { limit: [5] } });
    expect(ee.body.fields).toEqual({
      name: "plugin 'rate-limiting-advanced' not enabled; add it to the 'plugins' configuration property",
    });
    expect((await k.call('GET', '/schemas/mtls_auth_credentials')).body).toEqual({
      message: "No entity named 'mtls_auth_credentials'",
    });
    expect((await k.call('GET', '/schemas/plugins/rate-limiting-advanced')).status).toBe(404);
    expect((await k.call('GET', '/plugins/enabled')).body.enabled_plugins).not.toContain(
      'rate-limiting-advanced',
    );
    expect(k.state.counts().consumers).toBe(1);
  });

  it('GET /consumer_groups/{g} returns {consumer_group, consumers, plugins}; membership via POST/DELETE /consumer_groups/{g}/consumers', async () => {
    const k = await sim({ edition: 'enterprise' });
    const g = (await k.call('POST', '/consumer_groups', { name: 'gold' })).body;
    expect(g).toMatchObject({ name: 'gold', tags: null });
    const ann = (await k.call('POST', '/consumers', { username: 'ann' })).body;
    const add = await k.call('POST', '/consumer_groups/gold/consumers', { consumer: 'ann' });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ consumer_group: { id: g.id }, consumers: [{ id: ann.id }] });
    await k.call('POST', '/consumer_groups/gold/plugins', {
      name: 'rate-limiting-advanced',
      config: { limit: [5] },
    });
    const full = await k.call('GET', `/consumer_groups/${g.id}`);
    expect(full.body.consumer_group.id).toBe(g.id);
    expect(full.body.consumers.map((c: { id: string }) => c.id)).toEqual([ann.id]);
    expect(full.body.plugins[0]).toMatchObject({
      name: 'rate-limiting-advanced',
      consumer_group: { id: g.id },
    });
    expect(
      (await k.call('GET', '/consumer_groups/gold?list_consumers=false')).body.consumers,
    ).toBeUndefined();
    expect((await k.call('GET', '/consumer_groups/gold/consumers')).body).toMatchObject({
      data: [{ id: ann.id }],
      next: null,
    });
    expect((await k.call('DELETE', `/consumer_groups/gold/consumers/${ann.id}`)).status).toBe(204);
    expect((await k.call('GET', '/consumer_groups/gold')).body.consumers).toEqual([]);
  });

  it('group-scoped plugins join the plugin cache key: one per (name, ..., consumer_group) → 409', async () => {
    const k = await sim({ edition: 'enterprise' });
    await k.call('POST', '/consumer_groups', { name: 'gold' });
    // kong/plugins/rate-limiting/schema.lua: at least one limit is required
    const rl = { name: 'rate-limiting', config: { minute: 5 } };
    expect((await k.call('POST', '/consumer_groups/gold/plugins', rl)).status).toBe(201);
    expect((await k.call('POST', '/consumer_groups/gold/plugins', rl)).status).toBe(409);
    expect((await k.call('POST', '/plugins', rl)).status).toBe(201);
  });

  it('deleting a group or a consumer removes memberships and group plugins cascade', async () => {
    const k = await sim({ edition: 'enterprise' });
    await k.call('POST', '/consumer_groups', { name: 'gold' });
    await k.call('POST', '/consumers', { username: 'ann' });
    await k.call('POST', '/consumer_groups/gold/consumers', { consumer: 'ann' });
    await k.call('POST', '/consumer_groups/gold/plugins', { name: 'cors' });
    await k.call('DELETE', '/consumers/ann');
    expect(k.state.counts().consumer_group_members).toBe(0);
    await k.call('DELETE', '/consumer_groups/gold');
    expect(k.state.counts()).toMatchObject({ plugins: 0, consumer_groups: 0 });
  });

  it('mtls-auth credentials exist top-level and under /consumers/{c}/mtls-auth on Enterprise', async () => {
    const k = await sim({ edition: 'enterprise' });
    await k.call('POST', '/consumers', { username: 'ann' });
    const m = await k.call('POST', '/consumers/ann/mtls-auth', { subject_name: 'CN=ann' });
    expect(m.status).toBe(201);
    expect(m.body).toMatchObject({ subject_name: 'CN=ann', ca_certificate: null });
    expect((await k.call('GET', '/mtls-auths')).body.data).toHaveLength(1);
  });

  it('GET / reports edition enterprise', async () => {
    const k = await sim({ edition: 'enterprise' });
    expect((await k.call('GET', '/')).body.edition).toBe('enterprise');
  });
});
