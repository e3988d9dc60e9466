/**
 * Golden natural-key cases: every directory under test/fixtures/natural-keys holds `file.yaml` (a decK file,
 * mostly without ids), `live.yaml` (the live gateway as a decK file with its ids, built by hand: random
 * ids) and `expected.json`: the plan after matching (steps with their ids, summary) and how many entities
 * of each kind matched. Matching mirrors decK (go-database-reconciler pkg/file/builder.go, keys from
 * pkg/state/*.go). `UPDATE_GOLDEN=1 npx vitest run test/unit/core/golden-natural-keys.test.ts` rewrites the
 * expected files — review every rewritten file by hand before committing it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fromDeckFile,
  importDeckFile,
  matchNaturalKeys,
  type PlanOptions,
  planRestore,
} from '../../../src/core/index.ts';

const ROOT = join(import.meta.dirname, '../../fixtures/natural-keys');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const cases = readdirSync(ROOT)
  .filter((d) => /^\d{3}-/.test(d))
  .sort();

describe('golden natural-key cases', () => {
  it.each(cases)('%s', (name) => {
    const dir = join(ROOT, name);
    const file = importDeckFile(readFileSync(join(dir, 'file.yaml'), 'utf8'));
    const live = fromDeckFile(readFileSync(join(dir, 'live.yaml'), 'utf8'));
    const optionsPath = join(dir, 'options.json');
    const options: PlanOptions = existsSync(optionsPath) ? JSON.parse(readFileSync(optionsPath, 'utf8')) : {};
    const { target, matched } = matchNaturalKeys(file.snapshot, live, file.unkeyed, {
      byContent: options.noDeletes !== true,
    });
    const plan = planRestore(live, target, options);
    const actual = {
      matched,
      steps: plan.steps.map((s) => ({
        op: s.op,
        kind: s.kind,
        id: s.id,
        name: s.name,
        ...(s.reason ? { reason: s.reason } : {}),
        ...(s.fields ? { fields: s.fields } : {}),
      })),
      summary: plan.summary,
      refusals: plan.refusals.map((r) => r.message),
    };
    const expectedPath = join(dir, 'expected.json');
    if (UPDATE) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
  });
});
