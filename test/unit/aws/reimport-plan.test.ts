/**
 * The AWS preflight's choice for a change API Gateway cannot make in place (src/aws/not-updatable.ts):
 * re-import the REST API through PutRestApi overwrite where an import makes the change (a model's content
 * type back to application/json), else warn that the step will fail (an API key's value, a content type an
 * import cannot give, an API whose other models an import would change).
 */
import { describe, expect, it } from 'vitest';
import { reimportPlan } from '../../../src/aws/not-updatable.ts';
import { type Entity, planHash, planRestore, type Snapshot } from '../../../src/core/index.ts';

const meta = {
  format: 1,
  gateway: 'aws-apigateway',
  kongVersion: 'apigateway 2015-07-09',
  edition: 'managed',
  database: 'unknown',
  workspace: null,
  takenAt: '2026-12-06T09:00:00.000Z',
  counts: {},
} as Snapshot['meta'];

function snapshot(models: Record<string, string>, key = 'secret-value-0123456789'): Snapshot {
  const model = (name: string, contentType: string): Entity => ({
    id: `shop:${name}`,
    awsId: `m${name.toLowerCase()}`,
    restApi: 'shop',
    name,
    contentType,
    schema: '{}',
  });
  return {
    meta,
    entities: {
      restapis: { shop: { id: 'shop', awsId: 'a1', name: 'shop' } },
      resources: { 'shop:/': { id: 'shop:/', awsId: 'r1', restApi: 'shop', parent: null, path: '/' } },
      models: Object.fromEntries(Object.entries(models).map(([n, ct]) => [`shop:${n}`, model(n, ct)])),
      stages: {},
      api_keys: { partner: { id: 'partner', awsId: 'k1', name: 'partner', enabled: true, value: key } },
    },
  };
}

describe('reimportPlan', () => {
  it('a model whose content type goes back to application/json: the API is re-imported first, the plan hash covers it', () => {
    const live = snapshot({ Pet: 'application/xml', Error: 'application/json' });
    const target = snapshot({ Pet: 'application/json', Error: 'application/json' });
    const plan = reimportPlan(planRestore(live, target), target);
    expect(plan.warnings).toEqual([
      expect.objectContaining({
        code: 'reimport',
        kind: 'models',
        field: 'contentType',
        message: expect.stringContaining('so REST API shop will be restored through PutRestApi overwrite'),
      }),
    ]);
    const [first, ...rest] = plan.steps;
    expect(first).toMatchObject({ op: 'update', kind: 'restapis', id: 'shop', body: { name: 'shop' } });
    expect(first?.reimport?.content.models?.map((m) => m.id).sort()).toEqual(['shop:Error', 'shop:Pet']);
    expect(first?.reimport?.content.resources?.map((r) => r.id)).toEqual(['shop:/']);
    expect(rest.map((s) => `${s.op} ${s.kind} ${s.id}`)).toEqual(['update models shop:Pet']);
    expect(plan.planHash).toBe(planHash(plan.options, plan.steps));
  });

  it('what an import cannot make stays a warning that the step will fail, and the plan is unchanged', () => {
    const cases: [Snapshot, Snapshot, string][] = [
      // an import makes every model application/json
      [snapshot({ Pet: 'application/json' }), snapshot({ Pet: 'application/xml' }), 'contentType'],
      // API keys are not part of an API's definition
      [snapshot({}, 'old-value-0123456789012'), snapshot({}, 'new-value-0123456789012'), 'value'],
    ];
    for (const [live, target, field] of cases) {
      const plain = planRestore(live, target);
      const plan = reimportPlan(plain, target);
      expect(plan.steps).toBe(plain.steps);
      expect(plan.planHash).toBe(plain.planHash);
      expect(plan.warnings).toEqual([expect.objectContaining({ code: 'not-updatable', field })]);
    }
  });

  it('an API with another model of a type an import cannot give is not re-imported', () => {
    const live = snapshot({ Pet: 'application/xml', Feed: 'application/atom+xml' });
    const target = snapshot({ Pet: 'application/json', Feed: 'application/atom+xml' });
    const plan = reimportPlan(planRestore(live, target), target);
    expect(plan.steps.some((s) => s.reimport)).toBe(false);
    expect(plan.warnings.map((w) => w.code)).toEqual(['not-updatable']);
  });

  it('without the target (a caller that has none), or in a plan that must not delete, every such change is a warning', () => {
    const live = snapshot({ Pet: 'application/xml' });
    const target = snapshot({ Pet: 'application/json' });
    for (const plan of [
      reimportPlan(planRestore(live, target)),
      reimportPlan(planRestore(live, target, { noDeletes: true }), target),
    ]) {
      expect(plan.steps.some((s) => s.reimport)).toBe(false);
      expect(plan.warnings.map((w) => w.code)).toEqual(['not-updatable']);
    }
  });
});
