/**
 * Planning a multi-workspace backup (src/core/plan-workspaces.ts): workspace by workspace, each step and
 * change naming its workspace; `only` scoped by workspace; one-workspace snapshots planned as before.
 */
import { describe, expect, it } from 'vitest';
import { type Entity, planRestore, type Snapshot, splitWorkspaces } from '../../../src/core/index.ts';

const meta = (workspaces?: string[]): Snapshot['meta'] => ({
  format: 1,
  kongVersion: '3.9.3',
  edition: 'enterprise',
  database: 'postgres',
  workspace: null,
  takenAt: '2026-12-06T00:00:00.000Z',
  counts: {},
  ...(workspaces
    ? { workspaces: Object.fromEntries(workspaces.map((w) => [w, { id: `ws-${w}`, name: w }])) }
    : {}),
});

const service = (id: string, name: string, ws?: string): Entity => ({
  id,
  name,
  host: `${name}.internal`,
  ...(ws ? { _workspace: ws } : {}),
});

function snapshot(workspaces: string[] | undefined, services: Entity[]): Snapshot {
  return {
    meta: meta(workspaces),
    entities: { services: Object.fromEntries(services.map((s) => [s.id, s])) },
  };
}

describe('multi-workspace plans', () => {
  const target = snapshot(
    ['default', 'team-a'],
    [service('s1', 'orders', 'default'), service('s2', 'orders', 'team-a')],
  );
  const current = snapshot(['default', 'team-a'], [service('s3', 'rogue', 'team-a')]);

  it('splits by workspace, untagged entities in default, the field removed', () => {
    const split = splitWorkspaces(target);
    expect([...split.keys()]).toEqual(['default', 'team-a']);
    expect(split.get('team-a')?.entities.services).toEqual({
      s2: { id: 's2', name: 'orders', host: 'orders.internal' },
    });
    expect(split.get('team-a')?.meta).toMatchObject({ workspace: 'team-a', counts: { services: 1 } });
  });

  it('plans each workspace on its own; steps and changes name it; only scopes by workspace', () => {
    const plan = planRestore(current, target);
    expect(plan.steps.map((s) => [s.workspace, s.op, s.name])).toEqual([
      ['default', 'create', 'default: orders'],
      ['team-a', 'create', 'team-a: orders'],
      ['team-a', 'delete', 'team-a: rogue'],
    ]);
    expect(plan.summary).toEqual({ create: 2, update: 0, delete: 1 });
    expect(planRestore(current, target, { only: ['team-a/*'] }).steps.map((s) => s.name)).toEqual([
      'team-a: orders',
      'team-a: rogue',
    ]);
    expect(planRestore(current, target, { only: ['team-a/routes'] }).steps).toEqual([]);
    expect(planRestore(current, target, { only: ['services'] }).steps).toHaveLength(3);
    expect(() => planRestore(current, target, { only: ['team-z/*'] })).toThrow(
      /--only names workspace "team-z", which the backup does not hold \(it holds default, team-a\)/,
    );
  });

  it('a one-workspace plan is unchanged: no workspace on its steps, and a scoped only is refused', () => {
    const one = planRestore(snapshot(undefined, []), snapshot(undefined, [service('s1', 'orders')]));
    expect(one.steps[0]).not.toHaveProperty('workspace');
    expect(one.steps[0]?.name).toBe('orders');
    expect(() =>
      planRestore(snapshot(undefined, []), snapshot(undefined, []), { only: ['team-a/plugins'] }),
    ).toThrow(/names a workspace, but the backup holds one workspace/);
  });
});
