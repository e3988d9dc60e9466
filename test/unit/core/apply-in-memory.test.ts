import { describe, expect, it } from 'vitest';
import {
  applyPlanInMemory,
  buildSnapshot,
  ForeignKeyViolationError,
  type PlanStep,
} from '../../../src/core/index.ts';

const META = {
  format: 1,
  kongVersion: '3.9.1',
  edition: 'community',
  database: 'postgres',
  workspace: null,
  takenAt: 't',
} as const;
const gateway = buildSnapshot(META, {
  ca_certificates: { ca1: { id: 'ca1', cert: 'C' } },
  services: { s1: { id: 's1', name: 'orders', ca_certificates: ['ca1'] } },
  routes: { r1: { id: 'r1', name: 'r1', service: { id: 's1' } } },
});

function step(partial: Partial<PlanStep> & Pick<PlanStep, 'op' | 'kind' | 'id'>): PlanStep {
  return { phase: partial.op === 'delete' ? 'delete' : 'upsert', name: partial.id, level: 2, ...partial };
}

describe('applyPlanInMemory', () => {
  it.each<[string, PlanStep[], { kind: string; id: string; field: string }]>([
    [
      'deleting a parent with a child left',
      [step({ op: 'delete', kind: 'services', id: 's1' })],
      { kind: 'routes', id: 'r1', field: 'service' },
    ],
    [
      'deleting a CA certificate still listed by a service',
      [step({ op: 'delete', kind: 'ca_certificates', id: 'ca1' })],
      { kind: 'services', id: 's1', field: 'ca_certificates' },
    ],
    [
      'an upsert pointing at a missing parent',
      [step({ op: 'create', kind: 'routes', id: 'r2', body: { id: 'r2', service: { id: 's9' } } })],
      { kind: 'routes', id: 'r2', field: 'service' },
    ],
  ])('throws ForeignKeyViolationError on %s', (_name, steps, expected) => {
    let error: unknown;
    try {
      applyPlanInMemory(gateway, { steps });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ForeignKeyViolationError);
    expect(error).toMatchObject(expected);
    expect((error as Error).message).toMatch(/step 1/);
  });

  it('applies PUT semantics and deletes in order, leaving the input untouched', () => {
    const result = applyPlanInMemory(gateway, {
      steps: [
        step({ op: 'update', kind: 'services', id: 's1', body: { id: 's1', name: 'orders-v2' } }),
        step({ op: 'delete', kind: 'routes', id: 'r1' }),
        step({ op: 'delete', kind: 'ca_certificates', id: 'ca1' }),
      ],
    });
    expect(result.entities.services?.s1).toEqual({ id: 's1', name: 'orders-v2' });
    expect(result.entities.routes).toEqual({});
    expect(result.meta.counts).toMatchObject({ services: 1, routes: 0, ca_certificates: 0 });
    expect(gateway.entities.routes?.r1).toBeDefined();
  });
});
