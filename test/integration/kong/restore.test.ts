/**
 * Restores over real HTTP against kong-sim: converging after random drift, section-limited restores,
 * `noDeletes`, renames, paging past 2,500 entities, flaky gateways, DB-less, token + workspace.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { simCompatible } from '../../../bench/sim-compat.ts';
import { mutate, syntheticGateway } from '../../../bench/synthetic.ts';
import { type Entity, planRestore, type Snapshot, toKongDeclarative } from '../../../src/core/index.ts';
import { applyPlan, dumpGateway, type KongClient } from '../../../src/kong/index.ts';
import { closeAll, fixture, gateway, planOn, remaining } from './helpers.ts';

afterEach(closeAll);

const SMALL = {
  services: 20,
  routes: 40,
  consumers: 40,
  credentials: 40,
  plugins: 25,
  upstreams: 4,
  targetsPerUpstream: 3,
  certificates: 3,
  snisPerCertificate: 2,
  caCertificates: 2,
};

function small(seed: number): Snapshot {
  return simCompatible(syntheticGateway({ ...SMALL, seed }));
}

function seedOf(s: Snapshot): Record<string, unknown> {
  return toKongDeclarative(s) as Record<string, unknown>;
}

/** Make the live gateway look like `target` (used to create drift through the Admin API). */
async function converge(client: KongClient, target: Snapshot): Promise<void> {
  const current = await dumpGateway(client);
  const result = await applyPlan(client, planRestore(current, target), { current });
  expect(result.ok).toBe(true);
}

const labels = (changes: { op: string; kind: string; name: string }[]) =>
  changes.map((c) => `${c.op} ${c.kind} ${c.name}`);

describe('restore', () => {
  it.each([1, 2, 3])('converges after random drift (seed %i)', async (seed) => {
    const backup = small(seed);
    const { client } = await gateway({ seed: seedOf(backup) });
    await converge(client, simCompatible(mutate(backup, 0.25, seed * 7)));
    // plus hand-made drift: a deleted route, a changed plugin, a rogue consumer
    const route = Object.values(backup.entities.routes ?? {})[0] as Entity;
    await client.request('DELETE', `/routes/${route.id}`);
    const plugin = Object.values(backup.entities.plugins ?? {})[0] as Entity;
    await client.request('PATCH', `/plugins/${plugin.id}`, { body: { enabled: false }, allowStatus: [404] });
    await client.request('POST', '/consumers', { body: { username: 'rogue' } });
    expect((await remaining(client, backup)).length).toBeGreaterThan(0);

    const current = await dumpGateway(client);
    const result = await applyPlan(client, planRestore(current, backup), { current, parallelism: 7 });
    expect(result.ok).toBe(true);
    expect(labels(await remaining(client, backup))).toEqual([]);
  });

  it('restores only the sections asked for and leaves the others untouched', async () => {
    const backup = small(11);
    const { client } = await gateway({ seed: seedOf(backup) });
    const plugins = Object.values(backup.entities.plugins ?? {});
    const services = Object.values(backup.entities.services ?? {});
    await client.request('DELETE', `/plugins/${plugins[0]?.id}`);
    await client.request('PATCH', `/plugins/${plugins[1]?.id}`, { body: { enabled: false } });
    await client.request('PATCH', `/services/${services[0]?.id}`, { body: { retries: 1 } });
    await client.request('POST', '/consumers', { body: { username: 'rogue' } });
    const before = await dumpGateway(client);

    const only = ['plugins' as const];
    const plan = planRestore(before, backup, { only });
    expect(new Set(plan.steps.map((s) => s.kind))).toEqual(new Set(['plugins']));
    expect(plan.steps).toHaveLength(2);
    expect((await applyPlan(client, plan, { current: before })).ok).toBe(true);

    const after = await dumpGateway(client);
    expect(labels(await remaining(client, backup, only))).toEqual([]);
    for (const kind of ['services', 'routes', 'consumers', 'targets', 'keyauth_credentials'] as const) {
      expect(after.entities[kind]).toEqual(before.entities[kind]);
    }
    expect(after.entities.services?.[services[0]?.id as string]?.retries).toBe(1);
  });

  it('with noDeletes creates and updates but keeps extra entities', async () => {
    const backup = fixture('001-services-routes-plugins.yaml');
    const { client } = await gateway({ seed: seedOf(backup) });
    const svc = Object.values(backup.entities.services ?? {})[0] as Entity;
    await client.request('PATCH', `/services/${svc.id}`, { body: { retries: 1 } });
    await client.request('POST', '/consumers', { body: { username: 'rogue' } });

    const { plan, current } = await planOn(client, backup, { noDeletes: true });
    expect(plan.steps.every((s) => s.op !== 'delete')).toBe(true);
    expect((await applyPlan(client, plan, { current })).ok).toBe(true);

    const live = await dumpGateway(client);
    expect(live.entities.services?.[svc.id]?.retries).toBe(svc.retries ?? 5);
    expect(Object.values(live.entities.consumers ?? {}).map((c) => c.username)).toEqual(['rogue']);
  });

  it('resolves a rename collision: same name under another id is deleted first', async () => {
    const backup = fixture('001-services-routes-plugins.yaml');
    const { client } = await gateway({ seed: seedOf(backup) });
    const svc = Object.values(backup.entities.services ?? {}).find((s) => s.name === 'orders') as Entity;
    // someone deleted `orders` (and its routes and plugins) and recreated it by hand under a new id
    for (const r of Object.values(backup.entities.routes ?? {}).filter(
      (r) => (r.service as { id: string })?.id === svc.id,
    )) {
      await client.request('DELETE', `/routes/${r.id}`);
    }
    await client.request('DELETE', `/services/${svc.id}`);
    const imposter = await client.request<Entity>('POST', '/services', {
      body: { name: 'orders', host: 'elsewhere' },
    });
    await client.request('POST', `/services/${imposter.data.id}/routes`, {
      body: { name: 'orders-public', paths: ['/x'] },
    });

    const { plan, current } = await planOn(client, backup);
    expect(plan.steps.some((s) => s.phase === 'predelete' && s.id === imposter.data.id)).toBe(true);
    expect((await applyPlan(client, plan, { current })).ok).toBe(true);
    const live = await dumpGateway(client);
    expect(live.entities.services?.[svc.id]?.name).toBe('orders');
    expect(live.entities.services?.[imposter.data.id]).toBeUndefined();
  });

  it('pages past 2,500 entities of one kind in both directions', async () => {
    const consumers = Array.from({ length: 2600 }, (_, i) => ({
      username: `user-${String(i).padStart(4, '0')}`,
    }));
    const { client: seeded } = await gateway({ seed: { _format_version: '3.0', consumers } });
    const dumped = await dumpGateway(seeded);
    expect(Object.keys(dumped.entities.consumers ?? {})).toHaveLength(2600);

    const { client: empty } = await gateway();
    const current = await dumpGateway(empty);
    const result = await applyPlan(empty, planRestore(current, dumped), { current, parallelism: 16 });
    expect(result.counts).toEqual({ ok: 2600, failed: 0, notAttempted: 0 });
    expect(await remaining(empty, dumped)).toEqual([]);
  });

  it('converges on a gateway failing 20% of requests with 500s and throttling with 429s', async () => {
    const backup = small(21);
    const { client, sim } = await gateway();
    sim.state.faults.failRate = 0.2;
    sim.state.faults.failNext(5, 429);
    const current = await dumpGateway(client);
    const result = await applyPlan(client, planRestore(current, backup), { current });
    expect(result.ok).toBe(true);
    expect(labels(await remaining(client, backup))).toEqual([]);
    sim.state.faults.reset();
    expect(labels(await remaining(client, backup))).toEqual([]);
  });

  it('round-trips a DB-less gateway through GET and POST /config', async () => {
    const original = fixture('003-upstreams-healthchecks.yaml');
    const { client, sim } = await gateway({ dbless: true, edition: 'community', seed: seedOf(original) });
    const backup = await dumpGateway(client);
    expect(backup.meta.database).toBe('off');
    expect(Object.keys(backup.entities.targets ?? {}).length).toBeGreaterThan(0);

    // drift: a new config without the targets, loaded the only way DB-less allows
    await converge(client, { meta: backup.meta, entities: { ...backup.entities, targets: {} } });
    const writes = sim.state.writes;
    expect(await remaining(client, backup)).not.toEqual([]);

    const current = await dumpGateway(client);
    const result = await applyPlan(client, planRestore(current, backup), { current });
    expect(result.ok).toBe(true);
    expect(sim.state.writes - writes).toBe(1); // one atomic POST /config
    expect(await remaining(client, backup)).toEqual([]);
  });

  it('maps a rejected DB-less config back to the failing steps', async () => {
    const { client } = await gateway({ dbless: true, edition: 'community' });
    const current = await dumpGateway(client);
    const target = fixture('001-services-routes-plugins.yaml');
    const svc = Object.values(target.entities.services ?? {})[0] as Entity;
    svc.port = 'not-a-port';
    const result = await applyPlan(client, planRestore(current, target), { current });
    expect(result.ok).toBe(false);
    // Kong reports the bad service and every entity pointing at it; each lands on its own step
    const failed = result.steps.filter((s) => s.status === 'failed');
    const svcStep = failed.find((s) => s.step.id === svc.id);
    expect(svcStep?.error).toMatchObject({ status: 400, code: 14 });
    expect(svcStep?.error?.message).toMatch(/port: expected an integer/);
    expect(failed.every((s) => s.step.kind !== 'services' || s.step.id === svc.id)).toBe(true);
    expect(result.counts.ok).toBe(0);
    expect(result.counts.failed + result.counts.notAttempted).toBe(result.steps.length);
  });

  it('works through an admin token and a workspace', async () => {
    const target = fixture('009-plugins-by-name.yaml');
    const { client } = await gateway({ token: 'tok-123', workspace: 'team-a' });
    expect(client.workspace).toBe('team-a');
    const { plan, current } = await planOn(client, target);
    expect((await applyPlan(client, plan, { current })).ok).toBe(true);
    expect(await remaining(client, target)).toEqual([]);
  });
});
