/**
 * Golden plan cases: every directory under test/fixtures/plan holds `current.json` and `target.json`
 * (small snapshots, `meta.counts` optional), an optional `options.json` ({ only?, noDeletes? }) and
 * `expected.json`: the ordered steps (phase, op, kind, id, reason), summary, warning codes and whether the
 * plan is refused. `UPDATE_GOLDEN=1 npx vitest run test/unit/core/golden-plan.test.ts` rewrites the
 * expected files — review every rewritten file by hand before committing it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyPlanInMemory,
  buildSnapshot,
  diff,
  type Plan,
  type PlanOptions,
  planRestore,
  type Section,
  type Snapshot,
  snapshotSchema,
} from '../../../src/core/index.ts';

const ROOT = join(import.meta.dirname, '../../fixtures/plan');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function loadSnapshot(path: string): Snapshot {
  const raw = readJson(path) as Snapshot;
  return snapshotSchema.parse(buildSnapshot(raw.meta, raw.entities)) as Snapshot;
}

function summarize(plan: Plan) {
  return {
    steps: plan.steps.map((s) => ({
      phase: s.phase,
      op: s.op,
      kind: s.kind,
      id: s.id,
      name: s.name,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.fields ? { fields: s.fields } : {}),
    })),
    summary: plan.summary,
    warnings: plan.warnings.map((w) => `${w.code} ${w.kind} ${w.id} ${w.field}`),
    refused: plan.refusals.length > 0,
    refusals: plan.refusals.map((r) => r.message),
  };
}

const cases = readdirSync(ROOT)
  .filter((d) => /^\d{3}-/.test(d))
  .sort();

describe('golden plan cases', () => {
  it('has at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s', (name) => {
    const dir = join(ROOT, name);
    const current = loadSnapshot(join(dir, 'current.json'));
    const target = loadSnapshot(join(dir, 'target.json'));
    const optionsPath = join(dir, 'options.json');
    const options = (existsSync(optionsPath) ? readJson(optionsPath) : {}) as PlanOptions;
    const plan = planRestore(current, target, options);
    const actual = summarize(plan);
    const expectedPath = join(dir, 'expected.json');
    if (UPDATE) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(readJson(expectedPath));

    // the same inputs always give the same hash
    expect(planRestore(current, target, options).planHash).toBe(plan.planHash);
    if (actual.refused) return;
    // an accepted plan applies without breaking a foreign key; a full restore reaches the target exactly
    const result = applyPlanInMemory(current, plan);
    if (!options.only && !options.noDeletes) expect(diff(result, target).changes).toEqual([]);
    else expect(diff(result, target, { only: options.only as Section[] | undefined }).counts).toBeDefined();
  });
});
