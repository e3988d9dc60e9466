/**
 * Kong Enterprise with three workspaces (kong-sim's multi-workspace mode) through a connection with
 * `workspaces: all`, opened through the registry: one dump holds every workspace (decK --all-workspaces,
 * Kong/deck cmd/common.go), plans go workspace by workspace, a restore of one workspace writes nothing to
 * the others, and no restore moves an entity between workspaces.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { planOnGateway } from '../../../src/app/plan-against-live.ts';
import type { Gateway } from '../../../src/app/ports/gateway.ts';
import { openGateway } from '../../../src/compose/gateways.ts';
import { Secret } from '../../../src/config/index.ts';
import type { KongConnectionConfig } from '../../../src/config/types.ts';
import type { OnlyEntry, Snapshot } from '../../../src/core/index.ts';
import { sim as startSim } from '../../kong-sim/helpers.ts';
import { WORKSPACE_SEEDS } from '../jobs/harness.ts';

type Sim = Awaited<ReturnType<typeof startSim>>;
const gateways: Gateway[] = [];
afterEach(() => {
  for (const g of gateways.splice(0)) g.close();
});

async function start(): Promise<Sim> {
  return startSim({ edition: 'enterprise', workspaces: ['team-a', 'team-b'], ...WORKSPACE_SEEDS });
}

function connection(url: string, workspaces: 'all' | string[] | null): KongConnectionConfig {
  return {
    name: 'ee',
    type: 'kong',
    kongUrl: url,
    token: new Secret(''),
    workspace: null,
    ...(workspaces ? { workspaces } : {}),
    environment: 'test',
    owner: null,
    tags: [],
    tls: null,
    schedules: [],
    retention: { keepPreRestore: '30d' },
    roles: { viewer: [], operator: [], approver: [], admin: [] },
  };
}

function open(k: Sim, workspaces: 'all' | string[] | null = 'all'): Gateway {
  const g = openGateway(connection(k.url, workspaces));
  gateways.push(g);
  return g;
}

async function plan(g: Gateway, target: Snapshot, only?: OnlyEntry[]) {
  const info = await g.describe();
  const planner = await g.planner(info);
  return planOnGateway(planner, await g.dump({ gateway: info }), target, only ? { only } : {});
}

async function breakAll(k: Sim): Promise<void> {
  expect((await k.call('PATCH', '/team-a/services/orders', { port: 9999 })).status).toBe(200);
  expect((await k.call('DELETE', '/team-b/routes/orders')).status).toBe(204);
  expect((await k.call('POST', '/services', { name: 'rogue', host: 'rogue.internal' })).status).toBe(201);
}

describe('every workspace of a Kong Enterprise gateway in one backup', () => {
  it('one dump holds every workspace: entities tagged with theirs, the workspace entities in meta', async () => {
    const k = await start();
    const snap = await open(k).dump();
    expect(Object.keys(snap.meta.workspaces ?? {}).sort()).toEqual(['default', 'team-a', 'team-b']);
    expect(snap.meta.workspaces?.['team-a']).toMatchObject({ name: 'team-a', id: expect.any(String) });
    expect(snap.meta.workspace).toBeNull();
    const services = Object.values(snap.entities.services ?? {});
    expect(services.map((s) => `${s._workspace}:${s.name}`).sort()).toEqual([
      'default:orders',
      'team-a:orders',
      'team-b:orders',
    ]);
    expect(snap.meta.counts).toMatchObject({ services: 3, routes: 3, consumers: 2 });
    // a list names the workspaces to take
    const two = await open(k, ['team-b', 'default']).dump();
    expect(Object.keys(two.meta.workspaces ?? {})).toEqual(['team-b', 'default']);
    const missing = await open(k, ['team-c'])
      .dump()
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(missing?.message).toMatch(
      /workspace team-c not found on the gateway \(it has default, team-a, team-b\)/,
    );
  });

  it('a restore of one workspace (--only team-a/*) writes only there; the whole restore reaches zero drift', async () => {
    const k = await start();
    const g = open(k);
    const backup = await g.dump();
    await breakAll(k);
    const writes = () => ({
      default: k.state.cell('default').writes,
      'team-a': k.state.cell('team-a').writes,
      'team-b': k.state.cell('team-b').writes,
    });
    const before = writes();

    const whole = await plan(g, backup);
    expect(whole.plan.steps.map((s) => `${s.op} ${s.kind} ${s.name}`).sort()).toEqual([
      'create routes team-b: orders',
      'delete services default: rogue',
      'update services team-a: orders',
    ]);
    expect(whole.plan.steps.map((s) => s.workspace).sort()).toEqual(['default', 'team-a', 'team-b']);

    const one = await plan(g, backup, ['team-a/*']);
    expect(one.plan.steps.map((s) => s.name)).toEqual(['team-a: orders']);
    expect(one.plan.refusals).toEqual([]);
    expect((await g.apply(one.plan, { current: one.current })).ok).toBe(true);
    expect(writes()).toEqual({ ...before, 'team-a': before['team-a'] + 1 });
    expect((await k.call('GET', '/team-a/services/orders')).body.port).toBe(80);
    expect((await k.call('GET', '/team-b/routes/orders')).status).toBe(404);

    // a section of a workspace
    const routes = await plan(g, backup, ['team-b/routes']);
    expect(routes.plan.steps.map((s) => s.name)).toEqual(['team-b: orders']);

    const all = await plan(g, backup);
    expect((await g.apply(all.plan, { current: all.current })).ok).toBe(true);
    expect((await plan(g, backup)).plan.steps).toEqual([]);
    expect((await k.call('GET', '/services/rogue')).status).toBe(404);
  });

  it('re-creates a workspace the backup holds and the gateway lost, then its entities', async () => {
    const k = await start();
    const g = open(k);
    expect((await k.call('PATCH', '/workspaces/team-b', { comment: 'team B' })).status).toBe(200);
    const backup = await g.dump();
    for (const path of ['/team-b/routes/orders', '/team-b/services/orders', '/team-b/consumers/b-user']) {
      expect((await k.call('DELETE', path)).status).toBe(204);
    }
    expect((await k.call('DELETE', '/workspaces/team-b')).status).toBe(204);
    const { plan: p, current } = await plan(g, backup);
    expect(p.steps.map((s) => s.name).sort()).toEqual(['team-b: b-user', 'team-b: orders', 'team-b: orders']);
    expect((await g.apply(p, { current })).ok).toBe(true);
    expect((await k.call('GET', '/workspaces/team-b')).body).toMatchObject({
      name: 'team-b',
      comment: 'team B',
    });
    expect((await plan(g, backup)).plan.steps).toEqual([]);
  });

  it('never moves an entity between workspaces; refuses a one-workspace backup on every workspace and the reverse', async () => {
    const k = await start();
    const g = open(k);
    const backup = await g.dump();
    // the team-a consumer now lives in team-b under the same id (ids are unique across workspaces)
    expect((await k.call('DELETE', '/team-a/consumers/a-user')).status).toBe(204);
    expect(
      (
        await k.call('PUT', '/team-b/consumers/7d000000-0000-4000-8000-000000000103', {
          username: 'a-user',
        })
      ).status,
    ).toBe(200);
    const moved = await plan(g, backup);
    expect(moved.plan.refusals.map((r) => r.message)).toEqual([
      expect.stringMatching(
        /consumers a-user \(7d000000-0000-4000-8000-000000000103\) is in workspace "team-a" in the backup but in "team-b" on the gateway; a restore never moves an entity between workspaces/,
      ),
    ]);

    const single = open(k, null);
    const defaultOnly = await single.dump();
    expect((await plan(g, defaultOnly)).plan.refusals[0]?.message).toMatch(
      /the backup holds workspace "default" only, but the connection reaches every workspace/,
    );
    expect((await plan(single, backup)).plan.refusals[0]?.message).toMatch(
      /the backup holds workspaces default, team-a, team-b, but the connection reaches one workspace/,
    );
  });
});
