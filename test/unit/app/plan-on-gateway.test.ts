/**
 * `planOnGateway` (src/app/plan-against-live.ts) fills a target once per gateway: a target it filled, or
 * one another planner of the same gateway filled and this planner adopted (`adoptFilled`: the restore run
 * reusing the plan job's plan, whose verification plans against the target as applied), is planned as it
 * is; any other target is filled by the planner first.
 */
import { describe, expect, it } from 'vitest';
import { adoptFilled, planOnGateway } from '../../../src/app/plan-against-live.ts';
import type { GatewayPlanner } from '../../../src/app/ports/gateway.ts';
import type { Snapshot } from '../../../src/core/index.ts';
import { TEST_META as meta } from '../../support/snapshot-meta.ts';

const snapshot = (services: Record<string, { id: string; name: string; host: string; retries?: number }>) =>
  ({ meta, entities: { services } }) as Snapshot;

/** A planner that fills `retries: 5` (a schema default) and counts its fills. */
function countingPlanner(): GatewayPlanner & { fills: number } {
  const planner = {
    fills: 0,
    async fillTarget(target: Snapshot): Promise<Snapshot> {
      planner.fills += 1;
      const services = Object.fromEntries(
        Object.entries(target.entities.services ?? {}).map(([id, s]) => [id, { retries: 5, ...s }]),
      );
      return { ...target, entities: { ...target.entities, services } };
    },
    async prepareLive(live: Snapshot): Promise<Snapshot> {
      return live;
    },
    preflight: (plan: Parameters<GatewayPlanner['preflight']>[0]) => plan,
  };
  return planner;
}

const backup = snapshot({ s1: { id: 's1', name: 'orders', host: 'orders.internal' } });
const empty = snapshot({});

describe('planOnGateway fills a target once per gateway', () => {
  it('a target it filled is planned again as it is (the verification after applying)', async () => {
    const planner = countingPlanner();
    const first = await planOnGateway(planner, empty, backup, { noDeletes: false });
    expect(first.target.entities.services?.s1).toMatchObject({ retries: 5 });
    // the gateway now holds what was applied
    const again = await planOnGateway(planner, first.target, first.target, { noDeletes: false });
    expect(planner.fills).toBe(1);
    expect(again.plan.steps).toHaveLength(0);
  });

  it("another planner's filled target is filled again, unless adopted", async () => {
    const planJob = countingPlanner();
    const { target } = await planOnGateway(planJob, empty, backup, { noDeletes: false });

    const other = countingPlanner();
    await planOnGateway(other, empty, target, { noDeletes: false });
    expect(other.fills).toBe(1);

    const run = countingPlanner();
    adoptFilled(target, run);
    const verified = await planOnGateway(run, target, target, { noDeletes: false });
    expect(run.fills).toBe(0);
    expect(verified.plan.steps).toHaveLength(0);
    expect(verified.target).toBe(target);
  });
});
