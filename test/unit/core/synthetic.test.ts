import { describe, expect, it } from 'vitest';
import { mutate, syntheticGateway } from '../../../bench/synthetic.ts';
import { applyPlanInMemory, diff, planRestore, snapshotSchema } from '../../../src/core/index.ts';

const small = {
  services: 40,
  routes: 80,
  consumers: 100,
  credentials: 120,
  plugins: 50,
  upstreams: 5,
  certificates: 4,
};

describe('synthetic gateway (bench/synthetic.ts)', () => {
  it('is deterministic for a seed and valid against the snapshot schema', () => {
    const a = syntheticGateway(small);
    expect(syntheticGateway(small)).toEqual(a);
    expect(snapshotSchema.safeParse(a).success).toBe(true);
    expect(a.meta.counts).toMatchObject({
      services: 40,
      routes: 80,
      consumers: 100,
      plugins: 50,
      targets: 25,
    });
  });

  it('mutate keeps foreign keys valid: empty → mutated applies step by step, and restores cleanly', () => {
    const a = syntheticGateway(small);
    const b = mutate(a, 0.1, 3);
    const plan = planRestore(a, b);
    expect(plan.refusals).toEqual([]);
    expect(plan.summary.create + plan.summary.update + plan.summary.delete).toBeGreaterThan(0);
    expect(diff(applyPlanInMemory(a, plan), b).changes).toEqual([]);
    const empty = { meta: b.meta, entities: {} };
    const fromEmpty = planRestore(empty, b);
    expect(fromEmpty.refusals).toEqual([]);
    expect(diff(applyPlanInMemory(empty, fromEmpty), b).changes).toEqual([]);
  });
});
