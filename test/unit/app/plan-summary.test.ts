/**
 * The plan summary stored on a restore request is bounded: the first SUMMARY_CHANGES changes and the
 * first SUMMARY_NOTES warnings and refusals, with the totals in `counts` (a 146k-entity restore with 10k
 * hashed-secret warnings stored 3.4 MB of JSON on the request before), and the CLI says how many it left out.
 */
import { describe, expect, it } from 'vitest';
import { buildPlanSummary, SUMMARY_NOTES } from '../../../src/app/index.ts';
import type { Restore } from '../../../src/app/ports/records.ts';
import { formatStoredPlan } from '../../../src/cli/restore-view.ts';
import { buildSnapshot, planRestore } from '../../../src/core/index.ts';

const meta = {
  format: 1 as const,
  kongVersion: '3.9.1',
  edition: 'community' as const,
  database: 'postgres' as const,
  workspace: null,
  takenAt: '2026-12-06T08:00:00.000Z',
  counts: {},
};

function planWithWarnings(n: number) {
  const target = buildSnapshot(meta, {
    consumers: { c1: { id: 'c1', username: 'alice' } },
  });
  const plan = planRestore(buildSnapshot(meta, {}), target);
  const warnings = Array.from({ length: n }, (_, i) => ({
    code: 'hashed-secret' as const,
    kind: 'basicauth_credentials' as const,
    id: `b${i}`,
    name: `cred-${i}`,
    field: 'password',
    message: `basicauth credential cred-${i}: the password is stored as a hash and is restored as that hash`,
  }));
  return { ...plan, warnings };
}

describe('buildPlanSummary', () => {
  it(`keeps the first ${SUMMARY_NOTES} warnings and counts them all`, () => {
    const summary = buildPlanSummary(planWithWarnings(SUMMARY_NOTES + 70));
    expect(summary.warnings).toHaveLength(SUMMARY_NOTES);
    expect(summary.counts.warnings).toBe(SUMMARY_NOTES + 70);
    expect(summary.warnings[0]?.name).toBe('cred-0');
    expect(JSON.stringify(buildPlanSummary(planWithWarnings(10_000))).length).toBeLessThan(20_000);
  });

  it('the CLI lists the stored warnings and says how many more the diff shows', () => {
    const plan = planWithWarnings(SUMMARY_NOTES + 70);
    const restore = {
      id: 'r1',
      status: 'awaiting_approval',
      planHash: plan.planHash,
      planSummary: buildPlanSummary(plan),
    };
    const text = formatStoredPlan(restore as unknown as Restore);
    expect(text).toContain('cred-0');
    expect(text).toContain('… and 70 more warnings (snapgate diff shows them all)');
    expect(text).not.toContain(`cred-${SUMMARY_NOTES}:`);
  });
});
