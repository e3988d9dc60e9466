/**
 * Issue 11 §1 and §3 against kong-sim, which fills plugin defaults on every write and serves Kong's
 * schemas (tools/kong-sim, data generated from Kong/kong 3.9.3): files that leave defaults out converge,
 * a custom plugin is filled from the schema its gateway serves, and whatever the gateway cannot take is
 * refused before the first write (`state.writes` unchanged), with one message on stderr.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { planOnGateway } from '../../../src/app/plan-against-live.ts';
import { fromDeckFile, type KongSchema, type SchemaField } from '../../../src/core/index.ts';
import {
  applyPlan,
  describeGateway,
  dumpGateway,
  type KongClient,
  openGatewayPlanning,
} from '../../../src/kong/index.ts';
import type { KongSim } from '../../../tools/kong-sim/index.ts';
import { closeAll, gateway, snapgate } from './helpers.ts';

afterAll(closeAll);

const dir = mkdtempSync(join(tmpdir(), 'snapgate-defaults-'));
let n = 0;
function write(text: string): string {
  const path = join(dir, `f${n++}.yaml`);
  writeFileSync(path, text);
  return path;
}

const DECK_WITHOUT_DEFAULTS = `_format_version: "3.0"
plugins:
  - name: prometheus
consumers:
  - username: alice
    basicauth_credentials:
      - username: alice
        password: s3cret
services:
  - name: orders
    url: http://orders.internal:8080
    routes:
      - name: orders-api
        paths: [/orders]
    plugins:
      - name: basic-auth
      - name: key-auth
        config:
          key_names: [apikey, x-api-key]
      - name: rate-limiting
        config:
          minute: 10
          redis_timeout: 1500
`;

describe('a decK file that leaves plugin defaults out converges (§1)', () => {
  it('apply --yes exits 0, diff --exit-code exits 0, a second apply writes nothing', async () => {
    const { sim } = await gateway({ edition: 'community' });
    const url = ['--kong-url', sim.url];
    const file = write(DECK_WITHOUT_DEFAULTS);
    const applied = await snapgate(['apply', ...url, file, '--yes']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Re-diff: the gateway matches the file.');

    const diffed = await snapgate(['diff', ...url, file, '--exit-code']);
    expect(diffed.stdout).toMatch(/Created: 0\n {2}Updated: 0\n {2}Deleted: 0/);
    expect(diffed.code).toBe(0);

    const writes = sim.state.writes;
    const again = await snapgate(['apply', ...url, file, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to apply');
    expect(sim.state.writes).toBe(writes);
  });

  it('a custom plugin is filled from the schema the gateway serves for it', async () => {
    const { sim } = await gateway({
      edition: 'community',
      customPlugins: {
        'acme-audit': {
          fields: [
            {
              config: {
                type: 'record',
                required: true,
                fields: [
                  { level: { type: 'string', default: 'info', one_of: ['info', 'debug'] } },
                  { sample: { type: 'number', default: 1 } },
                ],
              },
            },
          ],
        },
      },
    });
    const url = ['--kong-url', sim.url];
    const file = write(
      '_format_version: "3.0"\nplugins:\n  - name: acme-audit\n    config:\n      level: debug\n',
    );
    expect((await snapgate(['apply', ...url, file, '--yes'])).code).toBe(0);
    expect((await snapgate(['diff', ...url, file, '--exit-code'])).code).toBe(0);
  });
});

describe('a backup taken before a Kong upgrade added a plugin field (§1)', () => {
  it('restores onto the newer gateway without a change: the new field takes its default', async () => {
    const { sim, client } = await gateway({ edition: 'community' });
    const created = await fetch(`${sim.url}/plugins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'prometheus', config: { per_consumer: true } }),
    });
    expect(created.status).toBe(201);
    const gw = await describeGateway(client);
    const live = await dumpGateway(client, { gateway: gw });
    // the backup of a Kong whose prometheus had no ai_metrics (before 3.8)
    const backup = structuredClone(live);
    for (const p of Object.values(backup.entities.plugins ?? {}))
      delete (p.config as Record<string, unknown>).ai_metrics;
    const planning = await openGatewayPlanning(client, gw);
    const { plan } = await planOnGateway(planning, live, backup, {});
    expect(plan.changes).toEqual([]);
  });
});

/** Arbitrary partial configs from a plugin's served schema: a random subset of its defaulted scalars. */
function partialConfig(
  fields: readonly Readonly<Record<string, SchemaField>>[],
  avoid: string,
): fc.Arbitrary<Record<string, unknown>> {
  const entries: Record<string, fc.Arbitrary<unknown>> = {};
  for (const item of fields) {
    const [name, f] = Object.entries(item)[0] as [string, SchemaField];
    if (avoid.includes(`"${name}"`) || avoid.includes(`.${name}"`) || f.default === undefined) continue;
    if (f.type === 'boolean') entries[name] = fc.boolean();
    else if (f.type === 'string' && Array.isArray(f.one_of)) entries[name] = fc.constantFrom(...f.one_of);
    else if (f.type === 'integer' && Array.isArray(f.between)) {
      entries[name] = fc.integer({ min: f.between[0], max: Math.min(f.between[1], f.between[0] + 100_000) });
    } else if (f.type === 'record' && f.fields) entries[name] = partialConfig(f.fields, avoid);
  }
  return fc.record(entries, { requiredKeys: [] });
}

async function planFile(client: KongClient, text: string) {
  const gw = await describeGateway(client);
  const planning = await openGatewayPlanning(client, gw);
  const live = await dumpGateway(client, { gateway: gw });
  return { planning, ...(await planOnGateway(planning, live, fromDeckFile(text), {})) };
}

describe('property: apply(file) then diff(file) is empty for random partial plugin configs', () => {
  const PLUGINS = [
    'prometheus',
    'basic-auth',
    'key-auth',
    'cors',
    'correlation-id',
    'request-size-limiting',
    'rate-limiting',
  ];
  /** required settings that have no default (rate-limiting needs a limit) */
  const BASE: Record<string, Record<string, unknown>> = { 'rate-limiting': { minute: 10 } };

  it('converges with one schema GET per plugin name per run', async () => {
    const { sim, client } = await gateway({ edition: 'community' });
    const schemas: Record<string, KongSchema> = {};
    for (const name of PLUGINS) {
      schemas[name] = (await (await fetch(`${sim.url}/schemas/plugins/${name}`)).json()) as KongSchema;
    }
    const arbitraries = PLUGINS.map((name) => {
      const schema = schemas[name] as KongSchema;
      const config = schema.fields.map((i) => i.config).find(Boolean) as SchemaField;
      const avoid = JSON.stringify(schema.entity_checks ?? []) + JSON.stringify(config.entity_checks ?? []);
      return fc.option(
        partialConfig(config.fields ?? [], avoid).map((c) => ({ name, config: { ...BASE[name], ...c } })),
        { nil: undefined },
      );
    });
    await fc.assert(
      fc.asyncProperty(fc.tuple(...arbitraries), async (chosen) => {
        const plugins = chosen.filter((p) => p !== undefined);
        const text = JSON.stringify({ _format_version: '3.0', plugins });
        const first = await planFile(client, text);
        expect(first.plan.refusals).toEqual([]);
        const result = await applyPlan(client, first.plan, { current: first.current });
        expect(result.ok).toBe(true);
        const second = await planFile(client, text);
        expect(second.plan.changes).toEqual([]);
        // one GET per plugin name (and one for the plugin entity) per run, however often it plans
        const asked = second.planning.registry.requested;
        expect(new Set(asked).size).toBe(asked.length);
        for (const p of plugins) expect(asked).toContain(`/schemas/plugins/${p.name}`);
      }),
      { numRuns: 15 },
    );
  });
});

describe('preflight: what the gateway cannot take is refused before the first write (§3)', () => {
  const REFUSALS: {
    name: string;
    /** the gateway's state before the apply */
    setup?: (sim: KongSim) => void;
    file: string;
    /** what stderr must say (a RegExp must match the whole of it) */
    stderr: (string | RegExp)[];
  }[] = [
    {
      name: 'Enterprise kinds and a disabled plugin on a community gateway: one message naming both',
      file: `_format_version: "3.0"
services:
  - name: a
    host: a.internal
consumer_groups:
  - name: gold
plugins:
  - name: rate-limiting-advanced
    config: { limit: [5], window_size: [30] }
`,
      stderr: [
        /^snapgate: refusing to apply, nothing was written \(1 problem\): the gateway \(Kong [\d.]+, community edition\) cannot take consumer_groups \(Kong Enterprise only\); plugin rate-limiting-advanced \(not enabled on the gateway\)\n$/,
      ],
    },
    {
      name: 'a plugin the gateway has disabled is refused by name',
      setup: (sim) => sim.state.plugins.delete('cors'),
      file: '_format_version: "3.0"\nplugins:\n  - name: cors\n',
      stderr: ['plugin cors (not enabled on the gateway)'],
    },
    {
      name: 'wrongly typed fields refuse the whole plan with the path of each: the valid service is not created',
      file: `_format_version: "3.0"
services:
  - name: a
    host: a.internal
    routes:
      - name: r
        paths: /notalist
        strip_path: "yes"
    plugins:
      - name: prometheus
        config: { per_consumer: "yes", colour: red }
`,
      stderr: [
        'route r: paths: expected an array; strip_path: expected a boolean',
        'config.per_consumer: expected a boolean; config.colour: unknown field',
      ],
    },
  ];

  it.each(REFUSALS)('$name: exit 1, zero writes', async ({ setup, file, stderr }) => {
    const { sim } = await gateway({ edition: 'community' });
    setup?.(sim);
    const path = write(file);
    const r = await snapgate(['apply', '--kong-url', sim.url, path, '--yes']);
    expect(r.code).toBe(1);
    for (const s of stderr) {
      if (typeof s === 'string') expect(r.stderr).toContain(s);
      else expect(r.stderr).toMatch(s);
    }
    expect(sim.state.writes).toBe(0);
    // diff shows the same plan and says apply would refuse it
    const diffed = await snapgate(['diff', '--kong-url', sim.url, path]);
    expect(diffed.stderr).toContain('apply would refuse this plan');
  });

  it('a write Kong still rejects (an entity check only Lua can run) is reported on stderr, exit 1', async () => {
    const { sim } = await gateway({ edition: 'community' });
    // rate-limiting's conditional entity check: policy redis needs config.redis.host (schema.lua)
    const file = write(`_format_version: "3.0"
services:
  - name: a
    host: a.internal
    plugins:
      - name: rate-limiting
        config: { minute: 5, policy: redis }
`);
    const r = await snapgate(['apply', '--kong-url', sim.url, file, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^snapgate: apply did not converge: creating plugin rate-limiting.*Kong 400/);
    expect(r.stderr).toContain('1 ok, 1 failed');
  });
});
