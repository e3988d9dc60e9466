import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyPlanInMemory,
  CATALOGUE,
  diff,
  normalizeSnapshot,
  planRestore,
  SECTIONS,
  type Snapshot,
} from '../../../src/core/index.ts';
import { gatewayArbitrary, snapshotPairArbitrary } from '../../support/gateway-arbitrary.ts';

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) };

/** Normalized entity maps, empty kinds dropped: the comparison form of a whole gateway. */
function comparable(s: Snapshot) {
  const n = normalizeSnapshot(s).entities;
  return Object.fromEntries(Object.entries(n).filter(([, map]) => Object.keys(map).length > 0));
}

/** Deep copy with every object's keys in reverse order (and entity maps reversed). */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).reverse();
  return Object.fromEntries(entries.map(([k, v]) => [k, reverseKeys(v)])) as T;
}

describe('engine properties on generated gateways', () => {
  it('diff(a, a) is empty, also against a key-reordered copy', () => {
    fc.assert(
      fc.property(gatewayArbitrary, (a) => {
        expect(diff(a, a).changes).toEqual([]);
        expect(diff(a, reverseKeys(a)).changes).toEqual([]);
      }),
      RUNS,
    );
  });

  it('applyPlanInMemory(a, planRestore(a, b)) equals b and never breaks a foreign key on the way', () => {
    fc.assert(
      fc.property(snapshotPairArbitrary, ([a, b]) => {
        const plan = planRestore(a, b);
        expect(plan.refusals).toEqual([]);
        const result = applyPlanInMemory(a, plan);
        expect(comparable(result)).toEqual(comparable(b));
        expect(diff(result, b).changes).toEqual([]);
      }),
      RUNS,
    );
  });

  it('planHash ignores object key order and map order', () => {
    fc.assert(
      fc.property(snapshotPairArbitrary, ([a, b]) => {
        expect(planRestore(reverseKeys(a), reverseKeys(b)).planHash).toBe(planRestore(a, b).planHash);
      }),
      RUNS,
    );
  });

  it('noDeletes plans have no delete steps', () => {
    fc.assert(
      fc.property(snapshotPairArbitrary, ([a, b]) => {
        const plan = planRestore(a, b, { noDeletes: true });
        expect(plan.steps.filter((s) => s.op === 'delete')).toEqual([]);
      }),
      RUNS,
    );
  });

  it('a section-limited plan is either refused or applies without breaking a foreign key', () => {
    fc.assert(
      fc.property(snapshotPairArbitrary, fc.subarray([...SECTIONS], { minLength: 1 }), ([a, b], only) => {
        const plan = planRestore(a, b, { only });
        if (plan.refusals.length > 0) return;
        const result = applyPlanInMemory(a, plan);
        const kinds = new Set(plan.steps.map((s) => s.kind));
        for (const kind of kinds) expect(plan.options.only).toContain(CATALOGUE[kind].section);
        expect(result.meta.counts).toBeDefined();
      }),
      RUNS,
    );
  });
});
