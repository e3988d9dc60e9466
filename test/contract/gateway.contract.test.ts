/**
 * The gateway port's contract (src/app/ports/gateway.ts), run against every gateway type registered in
 * `implementations.ts`, opened through the registry the composition root uses: describe and health,
 * dump (whole and into a sink, equal), planner + apply converging to zero drift, and errors classified in
 * the port's words.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyProgress, Gateway } from '../../src/app/ports/gateway.ts';
import { awsKeys, buildSnapshot, fromDeckFile, planRestore, type Snapshot } from '../../src/core/index.ts';
import { GATEWAYS_UNDER_TEST, type GatewayFixture, open } from './implementations.ts';

/** A sample configuration per gateway type. */
const SAMPLES: Record<string, () => Snapshot> = {
  konnect: () => SAMPLES.kong!(),
  kong: () =>
    fromDeckFile(
      [
        '_format_version: "3.0"',
        'services:',
        '  - name: orders',
        '    id: 0b4bd36e-5d3b-4c8f-9a33-8a5e8e0c0001',
        '    url: http://orders.internal:8080/v1',
        '    routes:',
        '      - name: orders-api',
        '        id: 0b4bd36e-5d3b-4c8f-9a33-8a5e8e0c0002',
        '        paths: [/orders]',
        'consumers:',
        '  - username: alice',
        '    id: 0b4bd36e-5d3b-4c8f-9a33-8a5e8e0c0003',
        'upstreams:',
        '  - name: orders-upstream',
        '    id: 0b4bd36e-5d3b-4c8f-9a33-8a5e8e0c0004',
        '    targets:',
        '      - target: 10.0.0.1:8080',
        '        id: 0b4bd36e-5d3b-4c8f-9a33-8a5e8e0c0005',
        '',
      ].join('\n'),
    ),
  'aws-apigateway': () => {
    const api = awsKeys.api('orders');
    const root = awsKeys.resource(api, '/');
    const orders = awsKeys.resource(api, '/orders');
    const get = awsKeys.method(orders, 'GET');
    const one = <T extends { id: string }>(e: T) => ({ [e.id]: e });
    return buildSnapshot(
      {
        format: 1,
        gateway: 'aws-apigateway',
        kongVersion: 'apigateway 2015-07-09',
        edition: 'managed',
        database: 'unknown',
        workspace: null,
        takenAt: '2026-12-06T09:00:00.000Z',
      },
      {
        restapis: one({ id: api, name: 'orders', description: 'orders API' }),
        resources: {
          ...one({ id: root, restApi: api, parent: null, path: '/' }),
          ...one({ id: orders, restApi: api, parent: root, pathPart: 'orders', path: '/orders' }),
        },
        methods: one({ id: get, resource: orders, httpMethod: 'GET', authorizationType: 'NONE' }),
        method_responses: one({ id: awsKeys.response(get, '200'), method: get, statusCode: '200' }),
        integrations: one({
          id: get,
          method: get,
          type: 'MOCK',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
        }),
        integration_responses: one({ id: awsKeys.response(get, '200'), integration: get, statusCode: '200' }),
        stages: one({
          id: awsKeys.inApi(api, 'prod'),
          restApi: api,
          stageName: 'prod',
          variables: { tier: 'gold' },
        }),
        api_keys: one({
          id: 'partner',
          name: 'partner',
          enabled: true,
          value: 'contract-key-value-0123456789',
        }),
        usage_plans: one({ id: 'basic', name: 'basic', apiStages: [{ apiId: api, stage: 'prod' }] }),
        usage_plan_keys: one({
          id: awsKeys.usagePlanKey('basic', 'partner'),
          usagePlan: 'basic',
          apiKey: 'partner',
        }),
      },
    );
  },
};

const count = (s: Snapshot) => Object.values(s.entities).reduce((n, m) => n + Object.keys(m ?? {}).length, 0);

describe.each(GATEWAYS_UNDER_TEST)('gateway port: $type', (impl) => {
  let fixture: GatewayFixture;
  let gateway: Gateway;

  beforeEach(async () => {
    fixture = await impl.start();
    gateway = open(fixture.connection);
  });
  afterEach(async () => {
    gateway.close();
    await fixture.close();
  });

  it('says what it is and that it is healthy', async () => {
    expect(gateway.type).toBe(impl.type);
    expect(gateway.address).not.toMatch(/token/i);
    const info = await gateway.describe();
    expect(info.version).toMatch(/\d/);
    expect(await gateway.health()).toMatchObject({ ok: true, message: null });
  });

  it('applies a planned sample to zero drift; dump and dumpInto agree', async () => {
    const sample = SAMPLES[impl.type]!();
    const info = await gateway.describe();
    const planner = await gateway.planner(info);
    const live = await planner.prepareLive(await gateway.dump({ gateway: info }));
    expect(count(live)).toBe(0);
    const target = await planner.fillTarget(sample);
    const plan = planner.preflight(planRestore(live, target));
    expect(plan.refusals).toEqual([]);
    const progress: ApplyProgress[] = [];
    const result = await gateway.apply(plan, { current: live, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ ok: true, counts: { failed: 0, notAttempted: 0 } });
    // every step reported once, at the position of its result (the restore's step records rely on it)
    expect(progress.map((p) => p.seq).sort((a, b) => a - b)).toEqual(result.steps.map((_, i) => i));
    for (const p of progress) {
      expect(result.steps[p.seq]?.step).toBe(p.step);
      expect(result.steps[p.seq]?.status).toBe(p.status);
    }

    const after = await gateway.dump({ gateway: info });
    expect(count(after)).toBe(count(sample));
    const again = planner.preflight(planRestore(await planner.prepareLive(after), target));
    expect(again.steps).toEqual([]);

    const seen = new Map<string, number>();
    const meta = await gateway.dumpInto(
      {
        add: (kind, list) => void seen.set(kind, (seen.get(kind) ?? 0) + list.length),
        close: (kind) => seen.get(kind) ?? 0,
      },
      { gateway: info },
    );
    expect(meta.counts).toEqual(after.meta.counts);
  });

  it('classifies a refused credential and an unreachable gateway in the port’s words', async () => {
    const refused = open(fixture.wrongToken);
    try {
      const err = await refused.describe().catch((e: unknown) => e);
      expect(refused.classifyError(err)).toMatchObject({ code: 'gateway_auth', retryable: false });
    } finally {
      refused.close();
    }
    const down = open(fixture.unreachable);
    try {
      const err = await down.health();
      expect(err.ok).toBe(false);
      const thrown = await down.describe().catch((e: unknown) => e);
      expect(down.classifyError(thrown)).toMatchObject({ code: 'gateway_unreachable', retryable: true });
    } finally {
      down.close();
    }
    expect(gateway.classifyError(new Error('not from a gateway'))).toBeNull();
  }, 120_000);
});
