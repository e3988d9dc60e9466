import { afterEach, describe, expect, it } from 'vitest';
import type { Entity, EntityKind, Level, Plan, PlanStep, StepPhase } from '../../../src/core/index.ts';
import { applyPlan, PlanRefusedError } from '../../../src/kong/apply.ts';
import { createKongClient } from '../../../src/kong/client.ts';
import { type Handler, json, type Recorded, startStub } from './http-stub.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function step(
  phase: StepPhase,
  op: PlanStep['op'],
  kind: EntityKind,
  level: Level,
  id: string,
  body?: Record<string, unknown>,
): PlanStep {
  return { phase, op, kind, level, id, name: id, ...(body ? { body: { id, ...body } as Entity } : {}) };
}

function plan(steps: PlanStep[], changes: Plan['changes'] = []): Plan {
  return {
    options: { only: null, noDeletes: false },
    steps,
    changes,
    summary: { create: 0, update: 0, delete: 0 },
    perSection: {},
    warnings: [],
    refusals: [],
    planHash: 'x',
  };
}

async function gateway(route: (req: Recorded) => Handler) {
  const stub = await startStub(route);
  const client = createKongClient({ url: stub.url, sleep: async () => {} });
  closers.push(async () => {
    client.close();
    await stub.close();
  });
  return { client, stub, calls: () => stub.requests.map((r) => `${r.method} ${r.url}`) };
}

const ok: Handler = json(200, {});

describe('applyPlan (DB mode)', () => {
  it('writes each kind to its Kong path, phase by phase and level by level', async () => {
    const { client, stub, calls } = await gateway((req) => {
      if (req.method === 'PUT' && req.url.startsWith('/upstreams/'))
        return json(404, { message: 'Not found' });
      if (req.method === 'POST' && req.url === '/consumer_groups/g1/consumers')
        return json(409, { message: 'already' });
      if (req.method === 'DELETE' && req.url === '/plugins/p-old') return json(404, { message: 'Not found' });
      return req.method === 'DELETE' ? json(204, {}) : ok;
    });
    const p = plan(
      [
        step('predelete', 'delete', 'routes', 3, 'r-old'),
        step('upsert', 'create', 'consumers', 1, 'c1', { username: 'alice', created_at: 1, custom_id: null }),
        step('upsert', 'create', 'keyauth_credentials', 2, 'k1', { consumer: { id: 'c1' }, key: 'secret' }),
        step('upsert', 'create', 'targets', 3, 't1', { upstream: { id: 'u1' }, target: 'a:80' }),
        step('upsert', 'create', 'consumer_group_members', 3, 'g1:c1', {
          consumer_group: { id: 'g1' },
          consumer: { id: 'c1' },
        }),
        step('upsert', 'update', 'plugins', 4, 'p1', { name: 'cors', service: { id: 's1', name: 'x' } }),
        step('delete', 'delete', 'plugins', 4, 'p-old'),
        step('delete', 'delete', 'targets', 3, 't-old'),
      ],
      [
        {
          op: 'delete',
          kind: 'targets',
          id: 't-old',
          name: 't',
          before: { id: 't-old', upstream: { id: 'u9' } },
        },
      ],
    );
    const result = await applyPlan(client, p, { parallelism: 1 });
    expect(result.ok).toBe(true);
    expect(result.counts).toEqual({ ok: 8, failed: 0, notAttempted: 0 });
    expect(calls()).toEqual([
      'DELETE /routes/r-old',
      'PUT /consumers/c1',
      'PUT /consumers/c1/key-auth/k1',
      'POST /upstreams/u1/targets',
      'POST /consumer_groups/g1/consumers',
      'PUT /plugins/p1',
      'DELETE /plugins/p-old',
      'DELETE /upstreams/u9/targets/t-old',
    ]);
    const consumerBody = JSON.parse(stub.requests[1]?.body ?? '{}');
    expect(consumerBody).toEqual({ id: 'c1', username: 'alice', custom_id: null });
    expect(JSON.parse(stub.requests[3]?.body ?? '{}')).toMatchObject({ id: 't1', target: 'a:80' });
    expect(JSON.parse(stub.requests[4]?.body ?? '{}')).toEqual({ consumer: 'c1' });
    expect(JSON.parse(stub.requests[5]?.body ?? '{}').service).toEqual({ id: 's1' });
  });

  const conflict = json(409, {
    code: 5,
    name: 'unique constraint violation',
    message: `UNIQUE violation detected on '{target="a:80",upstream={id="u1"}}'`,
  });
  const missing = json(404, { message: 'Not found' });
  const T = '/upstreams/u1/targets';
  it.each([
    { why: 'a new target is POSTed', op: 'create', answers: [ok], calls: [`POST ${T}`], okay: true },
    {
      why: 'a target that exists after all (a lost answer) is then PUT',
      op: 'create',
      answers: [conflict, ok],
      calls: [`POST ${T}`, `PUT ${T}/t1`],
      okay: true,
    },
    {
      why: 'the same target string under another id stays a 409',
      op: 'create',
      answers: [conflict, missing, conflict],
      calls: [`POST ${T}`, `PUT ${T}/t1`, `POST ${T}`],
      okay: false,
    },
    { why: 'a changed target is PUT', op: 'update', answers: [ok], calls: [`PUT ${T}/t1`], okay: true },
    {
      why: 'a changed target that is gone is POSTed',
      op: 'update',
      answers: [missing, ok],
      calls: [`PUT ${T}/t1`, `POST ${T}`],
      okay: true,
    },
  ] as const)('targets: $why', async ({ op, answers, calls: expected, okay }) => {
    let n = 0;
    const { client, calls } = await gateway(() => answers[Math.min(n++, answers.length - 1)] as Handler);
    const result = await applyPlan(
      client,
      plan([step('upsert', op, 'targets', 3, 't1', { upstream: { id: 'u1' }, target: 'a:80' })]),
    );
    expect(calls()).toEqual(expected);
    expect(result.ok).toBe(okay);
    if (!okay) expect(result.steps[0]?.error).toMatchObject({ status: 409, code: 5 });
  });

  it('finishes the failing level, starts no new one, and reports Kong errors per step', async () => {
    const { client, calls } = await gateway((req) =>
      req.url === '/services/bad'
        ? json(400, {
            code: 2,
            name: 'schema violation',
            message: 'schema violation (port: expected an integer)',
            fields: { port: 'expected an integer' },
          })
        : ok,
    );
    const p = plan([
      step('upsert', 'create', 'consumers', 1, 'c1', {}),
      step('upsert', 'create', 'services', 2, 'bad', {}),
      step('upsert', 'create', 'services', 2, 'good', {}),
      step('upsert', 'create', 'routes', 3, 'r1', {}),
      step('delete', 'delete', 'consumers', 1, 'c-old'),
    ]);
    const result = await applyPlan(client, p, { parallelism: 1 });
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => s.status)).toEqual([
      'ok',
      'failed',
      'ok',
      'not_attempted',
      'not_attempted',
    ]);
    expect(result.steps[1]?.error).toEqual({
      status: 400,
      code: 2,
      message: 'schema violation (port: expected an integer)',
      fields: { port: 'expected an integer' },
    });
    expect(calls()).not.toContain('PUT /routes/r1');
  });

  it('stops starting writes once the signal fires', async () => {
    const controller = new AbortController();
    const { client } = await gateway(() => ok);
    const steps = Array.from({ length: 5 }, (_, i) => step('upsert', 'create', 'consumers', 1, `c${i}`, {}));
    const result = await applyPlan(client, plan(steps), {
      parallelism: 1,
      signal: controller.signal,
      onProgress: (p) => p.done === 2 && controller.abort(),
    });
    expect(result.aborted).toBe(true);
    expect(result.counts).toEqual({ ok: 2, failed: 0, notAttempted: 3 });
  });

  it('refuses a plan with refusals before any write', async () => {
    const { client, calls } = await gateway(() => ok);
    const p = plan([step('upsert', 'create', 'consumers', 1, 'c1', {})]);
    p.refusals.push({
      code: 'dangling-reference',
      kind: 'routes',
      id: 'r',
      name: 'r',
      field: 'service',
      references: { kind: 'services', id: 's' },
      message: 'route r points at a service that would not exist',
    });
    await expect(applyPlan(client, p)).rejects.toBeInstanceOf(PlanRefusedError);
    expect(calls()).toEqual([]);
  });
});
