/**
 * The AWS preflight's choice for a change API Gateway cannot make in place (src/aws/not-updatable.ts):
 * re-import the REST API through PutRestApi overwrite where an import makes the change (a model's content
 * type back to application/json); re-create the entity where that makes it (an API key's value); else warn
 * that the step will fail (a content type an import cannot give, an API whose other models an import would
 * change, a plan that must not delete).
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

  it('what neither an import nor a re-creation makes stays a warning that the step will fail, and the plan is unchanged', () => {
    // a domain name is not part of an API's definition, and snapgate does not re-create one
    const domain = (arn: string): Snapshot => {
      const snap = snapshot({});
      snap.entities.domain_names = {
        'api.example.com': {
          id: 'api.example.com',
          domainName: 'api.example.com',
          ownershipVerificationCertificateArn: arn,
        },
      };
      return snap;
    };
    const plain = planRestore(domain('arn:old'), domain('arn:new'));
    const plan = reimportPlan(plain, domain('arn:new'));
    expect(plan.steps).toBe(plain.steps);
    expect(plan.planHash).toBe(plain.planHash);
    expect(plan.warnings).toEqual([
      expect.objectContaining({
        code: 'not-updatable',
        field: 'ownershipVerificationCertificateArn',
        message: expect.stringContaining('so this step will fail (an import of the API does not write it)'),
      }),
    ]);
  });

  it('a model of another type than application/json is re-imported too: left out of the definition, created after it (the warning says so)', () => {
    const live = snapshot({ Pet: 'application/json', Feed: 'application/atom+xml' });
    const target = snapshot({ Pet: 'application/xml', Feed: 'application/atom+xml' });
    const plan = reimportPlan(planRestore(live, target), target);
    expect(plan.steps[0]?.reimport?.content.models?.map((m) => m.id).sort()).toEqual([
      'shop:Feed',
      'shop:Pet',
    ]);
    expect(plan.warnings).toEqual([
      expect.objectContaining({
        code: 'reimport',
        message: expect.stringContaining(
          'model Pet (application/xml), model Feed (application/atom+xml) created after the import with their content type and hooked back into their methods',
        ),
      }),
    ]);
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
