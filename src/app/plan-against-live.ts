/**
 * Planning against a live gateway, the one path every caller takes (CLI diff/apply, the restore job's
 * plan, re-plan and verification, the Slack diff), whatever the gateway type:
 *
 *   target ─ fill defaults (the gateway's schemas) ─┐
 *                                                   ├─ planRestore ─ preflight (edition, plugins, schemas)
 *   live dump ─ comparison form ────────────────────┘
 *
 * The gateway's planner (`Gateway.planner`, one per run) owns filling, the comparison form and preflight;
 * this function only puts them in order, with decK's natural-key matching between filling and planning,
 * and — for a backup whose profile left kinds out (`exclude:`) — the live entities of those kinds carried
 * into the target, so the plan leaves them as they are (`keepExcluded`, src/core/profile.ts).
 */

import { keepExcluded, type Plan, type PlanOptions, planRestore, type Snapshot } from '../core/index.ts';
import type { GatewayPlanner } from './ports/gateway.ts';

/**
 * Targets this planner has already filled. Filling is idempotent, so a target planned again by the same
 * planner (the restore's verification plans the filled backup the re-plan returned) is not walked again:
 * ~0.3 s for 146k entities.
 */
const FILLED_BY = new WeakMap<Snapshot, GatewayPlanner>();

/**
 * `target` was filled for the gateway this planner plans on by another planner of the same gateway (the
 * plan job's, held with its plan and reused by the restore run on the same gateway key): the run's
 * verification plans against it as it was applied, without filling it again.
 */
export function adoptFilled(target: Snapshot, planner: GatewayPlanner): void {
  FILLED_BY.set(target, planner);
}

/** A step between filling and planning: decK's natural-key matching of id-less file entities. */
export type TargetStep = (filled: Snapshot, current: Snapshot) => Snapshot;

/**
 * fill → match (optional) → plan → preflight. `live` is the raw dump; the answer carries the target as
 * planned and the live side the plan was made against (what `Gateway.apply` takes as `current`).
 */
export async function planOnGateway(
  planner: GatewayPlanner,
  live: Snapshot,
  target: Snapshot,
  options: PlanOptions,
  match?: TargetStep,
): Promise<{ plan: Plan; target: Snapshot; current: Snapshot }> {
  const [filled, current] = await Promise.all([
    FILLED_BY.get(target) === planner ? target : planner.fillTarget(target),
    planner.prepareLive(live),
  ]);
  FILLED_BY.set(filled, planner);
  // a backup whose profile left kinds out never deletes or changes the live gateway's entities of them
  const planned = keepExcluded(match ? match(filled, current) : filled, current);
  const plan = planner.preflight(planRestore(current, planned, options), planned);
  return { plan, target: planned, current };
}
