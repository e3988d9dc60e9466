import { describe, expect, it } from 'vitest';
import {
  gatewayKey,
  MAX_HELD,
  type PreparedPlan,
  PreparedPlans,
  preparedPlans,
} from '../../../src/app/restore/prepared-plans.ts';

const held = (planHash: string) => ({ planHash }) as unknown as PreparedPlan;

describe('PreparedPlans (the plan job → restore job hand-off)', () => {
  it('hands a held plan out once', () => {
    const plans = new PreparedPlans();
    plans.put('r1', held('h1'));
    expect(plans.take('r1')?.planHash).toBe('h1');
    expect(plans.take('r1')).toBeUndefined();
    expect(plans.size).toBe(0);
  });

  it(`keeps at most ${MAX_HELD}, dropping the oldest`, () => {
    const plans = new PreparedPlans();
    for (let i = 1; i <= MAX_HELD + 1; i++) plans.put(`r${i}`, held(`h${i}`));
    expect(plans.size).toBe(MAX_HELD);
    expect(plans.take('r1')).toBeUndefined();
    expect(plans.take(`r${MAX_HELD + 1}`)?.planHash).toBe(`h${MAX_HELD + 1}`);
  });

  it('one holder per owner', () => {
    const a = {};
    expect(preparedPlans(a)).toBe(preparedPlans(a));
    expect(preparedPlans({})).not.toBe(preparedPlans(a));
  });

  it('the gateway key changes with the version, edition, database mode and workspace', () => {
    const info = {
      version: '3.9.3',
      edition: 'community' as const,
      database: 'postgres' as const,
      role: 'traditional',
      workspace: null,
      hostname: 'a',
    };
    const key = gatewayKey(info);
    expect(gatewayKey({ ...info, hostname: 'b' })).toBe(key);
    expect(gatewayKey({ ...info, version: '3.10.0' })).not.toBe(key);
    expect(gatewayKey({ ...info, workspace: 'team-a' })).not.toBe(key);
    expect(gatewayKey({ ...info, database: 'off' })).not.toBe(key);
  });
});
