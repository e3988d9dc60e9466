/** The error every gateway's apply throws, before any write, for a plan that carries refusals. */
import type { Plan } from './model.ts';

/** Thrown before any write when a plan must not run. */
export class PlanRefusedError extends Error {
  constructor(plan: Plan) {
    const first = plan.refusals[0];
    super(
      `the plan is refused (${plan.refusals.length} problem${plan.refusals.length === 1 ? '' : 's'}): ${first?.message ?? ''}`,
    );
    this.name = 'PlanRefusedError';
  }
}
