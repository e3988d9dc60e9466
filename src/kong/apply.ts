/**
 * Plan → writes. DB mode walks the plan's phases (predelete → upsert → delete) one dependency level at a
 * time, with bounded concurrency inside a level; every write is idempotent (PUT by id, DELETE with 404 =
 * gone), so a failed apply can simply be run again. After a failure the current level finishes and no
 * new level starts: the result says what ran, what failed (with Kong's error) and what was not attempted.
 * DB-less gateways take the whole desired config in one atomic `POST /config` (dbless-apply.ts).
 */
import { type Entity, type Plan, PlanRefusedError, type PlanStep, type Snapshot } from '../core/index.ts';
import {
  type ApplyProgress,
  type ApplyResult,
  type StepResult,
  summarize,
  toStepError,
} from './apply-result.ts';
import type { KongClient } from './client.ts';
import { applyDbless } from './dbless-apply.ts';
import { mapBounded } from './pool.ts';
import { type EntityLookup, executeStep } from './write-step.ts';

export { PlanRefusedError };

export interface ApplyOptions {
  parallelism?: number;
  signal?: AbortSignal;
  onProgress?: (p: ApplyProgress) => void;
  /** the live snapshot the plan was made from; required for DB-less gateways. */
  current?: Snapshot;
  /**
   * DB-less only: the source file's `_transform` (see core `transformDeclarative`): false = its secrets are
   * stored hashes, true = plain text; absent, each value is judged on its own.
   */
  transform?: boolean;
}

/**
 * Consecutive steps of the same phase and level: the unit that runs concurrently, with the position of
 * its first step in the plan (so a step's result slot is found by index, not through a 146k-entry map).
 */
function batches(steps: readonly PlanStep[]): { from: number; steps: PlanStep[] }[] {
  const out: { from: number; steps: PlanStep[] }[] = [];
  let current: PlanStep[] = [];
  let from = 0;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as PlanStep;
    const last = current[current.length - 1];
    if (last && (last.phase !== step.phase || last.level !== step.level)) {
      out.push({ from, steps: current });
      current = [];
      from = i;
    }
    current.push(step);
  }
  if (current.length > 0) out.push({ from, steps: current });
  return out;
}

/**
 * Entities the plan knows about, by `kind:id`: delete steps carry no body, the changes do. Built on the
 * first lookup (only deletes and member steps look), not for every apply.
 */
function lookupFrom(plan: Plan, current: Snapshot | undefined): EntityLookup {
  let known: Map<string, Entity> | null = null;
  return (kind, id) => {
    if (!known) {
      known = new Map();
      for (const c of plan.changes) {
        const e = c.before ?? c.after;
        if (e) known.set(`${c.kind}:${c.id}`, e);
      }
    }
    return known.get(`${kind}:${id}`) ?? current?.entities[kind]?.[id];
  };
}

export async function applyPlan(
  client: KongClient,
  plan: Plan,
  opts: ApplyOptions = {},
): Promise<ApplyResult> {
  if (plan.refusals.length > 0) throw new PlanRefusedError(plan);
  if (opts.current?.meta.database === 'off') return applyDbless(client, plan, opts.current, opts);

  const results: StepResult[] = plan.steps.map((step) => ({ step, status: 'not_attempted' }));
  const lookup = lookupFrom(plan, opts.current);
  const parallelism = Math.max(1, opts.parallelism ?? 10);
  const aborted = () => opts.signal?.aborted === true;
  let done = 0;

  for (const batch of batches(plan.steps)) {
    if (aborted()) break;
    await mapBounded(
      batch.steps,
      parallelism,
      async (step, i) => {
        const slot = results[batch.from + i] as StepResult;
        try {
          await executeStep(client, step, lookup);
          slot.status = 'ok';
        } catch (err) {
          slot.status = 'failed';
          slot.error = toStepError(err);
        }
        opts.onProgress?.({
          done: ++done,
          total: plan.steps.length,
          step,
          status: slot.status,
          seq: batch.from + i,
        });
      },
      () => !aborted(),
    );
    if (results.some((r) => r.status === 'failed')) break;
  }
  return summarize(results, aborted() ? { aborted: true } : {});
}
