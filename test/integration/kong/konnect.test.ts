/**
 * The Kong engine on a Konnect control plane (src/kong/konnect.ts, konnect-gateway.ts) against kong-sim's
 * Konnect mode, opened through the registry as the composition root opens it. Each case names the decK
 * behaviour it follows (Kong/deck cmd/common_konnect.go, Kong/go-database-reconciler pkg/dump,
 * pkg/konnect/utils.go, pkg/file/builder.go).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { planOnGateway } from '../../../src/app/plan-against-live.ts';
import type { Gateway } from '../../../src/app/ports/gateway.ts';
import { openGateway } from '../../../src/compose/gateways.ts';
import { fromDeckFile, type Snapshot } from '../../../src/core/index.ts';
import { KONNECT_TOKEN, konnectConnection } from '../../contract/implementations.ts';
import { sim as startSim } from '../../kong-sim/helpers.ts';

const CP = '/v2/control-planes';
const auth = { authorization: `Bearer ${KONNECT_TOKEN}` };

const SEED = {
  _format_version: '3.0',
  services: [
    {
      name: 'orders',
      id: '5b0f1d2e-0000-4000-8000-000000000001',
      host: 'orders.internal',
      routes: [{ name: 'orders', id: '5b0f1d2e-0000-4000-8000-000000000002', paths: ['/orders'] }],
    },
    // Konnect creates and owns these (konnect-managed tag): never backed up, never touched
    {
      name: 'konnect-analytics',
      id: '5b0f1d2e-0000-4000-8000-000000000003',
      host: 'analytics.konghq.internal',
      tags: ['konnect-managed'],
    },
  ],
  plugins: [
    {
      name: 'cors',
      id: '5b0f1d2e-0000-4000-8000-000000000004',
      tags: ['konnect-managed-plugin'],
    },
  ],
  upstreams: [
    {
      name: 'pool',
      id: '5b0f1d2e-0000-4000-8000-000000000005',
      targets: [{ target: '10.0.0.1:80', id: '5b0f1d2e-0000-4000-8000-000000000006' }],
    },
  ],
  consumers: [
    {
      username: 'ann',
      id: '5b0f1d2e-0000-4000-8000-000000000007',
      basicauth_credentials: [
        { username: 'ann', password: 'open-sesame', id: '5b0f1d2e-0000-4000-8000-000000000008' },
      ],
    },
  ],
};

type Sim = Awaited<ReturnType<typeof startSim>>;
let sim: Sim | undefined;
const gateways: Gateway[] = [];

async function start(extra: Record<string, unknown> = {}): Promise<Sim> {
  sim = await startSim({
    konnect: {
      token: KONNECT_TOKEN,
      controlPlanes: [
        { name: 'prod', seed: SEED },
        { name: 'staging' },
        { name: 'group', clusterType: 'CLUSTER_TYPE_CONTROL_PLANE_GROUP', seed: SEED },
      ],
    },
    ...extra,
  });
  return sim;
}

function open(controlPlane: string, token = KONNECT_TOKEN): Gateway {
  const g = openGateway(konnectConnection('konnect-prod', sim!.url, token, controlPlane));
  gateways.push(g);
  return g;
}

afterEach(() => {
  for (const g of gateways.splice(0)) g.close();
  sim = undefined;
});

async function restore(g: Gateway, target: Snapshot) {
  const info = await g.describe();
  const planner = await g.planner(info);
  const { plan, current } = await planOnGateway(planner, await g.dump({ gateway: info }), target, {});
  return { plan, apply: () => g.apply(plan, { current }), planner };
}

describe('Konnect control planes through the Kong engine', () => {
  it('finds the control plane by exact name (fetchKonnectControlPlaneID), or by id; none is a clear error', async () => {
    const k = await start();
    expect(await open('prod').describe()).toMatchObject({
      hostname: 'prod',
      edition: 'enterprise',
      role: 'CLUSTER_TYPE_CONTROL_PLANE',
      workspace: null,
    });
    const list = await k.call('GET', `${CP}?filter[name][eq]=staging`, undefined, auth);
    const id = list.body.data[0].id as string;
    expect((await open(id).describe()).hostname).toBe('staging');

    const missing = (await open('pro')
      .describe()
      .then(
        () => null,
        (e: unknown) => e,
      )) as Error;
    expect(missing.message).toMatch(/no Konnect control plane at http:\/\/127\.0\.0\.1:\d+ is named "pro"/);
    expect(open('pro').classifyError(missing)).toMatchObject({ code: 'gateway_error', retryable: false });

    const refused = open('prod', 'kpat_wrong');
    const err = await refused.describe().catch((e: unknown) => e);
    expect(refused.classifyError(err)).toMatchObject({
      code: 'gateway_auth',
      message: expect.stringMatching(/^Konnect rejected the access token \(401\)/),
    });
    expect(await refused.health()).toMatchObject({ ok: false });
    expect(await open('prod').health()).toMatchObject({ ok: true });
  });

  it('two control planes of one name: refused, naming both ids, until the connection names one by id (decK would take the first)', async () => {
    const k = await startSim({
      konnect: {
        token: KONNECT_TOKEN,
        controlPlanes: [
          { name: 'prod', seed: SEED },
          {
            name: 'prod',
            seed: { _format_version: '3.0', services: [{ name: 'other', host: 'o.internal' }] },
          },
        ],
      },
    });
    sim = k;
    const list = await k.call('GET', `${CP}?filter[name][eq]=prod`, undefined, auth);
    const ids = list.body.data.map((c: { id: string }) => c.id) as string[];
    expect(ids).toHaveLength(2);

    const byName = open('prod');
    const err = (await byName.dump().then(
      () => null,
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/^2 Konnect control planes at http:\/\/127\.0\.0\.1:\d+ are named "prod" \(/);
    for (const id of ids) expect(err.message).toContain(id);
    expect(err.message).toMatch(/set controlPlane to the id of one of them$/);
    expect(byName.classifyError(err)).toMatchObject({
      code: 'gateway_error',
      retryable: false,
      message: err.message,
    });
    expect(await byName.health()).toMatchObject({ ok: false, message: err.message });
    // nothing was read from either control plane's configuration
    // the list above, then one control-plane lookup each for the dump and the health check: no
    // core-entities request reached either control plane
    expect(k.state.requests).toBe(3);

    // by id: that control plane, and only it (the simulator lists them in the order given above)
    const servicesOf = async (id: string) =>
      Object.values((await open(id).dump()).entities.services ?? {}).map((s) => s.name);
    expect(await servicesOf(ids[0] as string)).toEqual(['orders']);
    expect(await servicesOf(ids[1] as string)).toEqual(['other']);
  });

  it('a dump leaves out konnect-managed entities and OAuth2 (not offered); targets come from the top-level /targets list', async () => {
    await start();
    const snap = await open('prod').dump();
    expect(Object.values(snap.entities.services ?? {}).map((s) => s.name)).toEqual(['orders']);
    expect(snap.entities.plugins ?? {}).toEqual({});
    expect(snap.entities).not.toHaveProperty('oauth2_credentials');
    expect(Object.keys(snap.entities.targets ?? {})).toEqual(['5b0f1d2e-0000-4000-8000-000000000006']);
    expect(snap.meta).toMatchObject({ kongVersion: '3.5.0.0', edition: 'enterprise', workspace: null });
    // the basic-auth password is the stored hash, as Konnect returns it
    const cred = Object.values(snap.entities.basicauth_credentials ?? {})[0]!;
    expect(cred.password).toMatch(/^[0-9a-f]{40}$/);
  });

  it('break → restore → zero drift: konnect-managed entities are never deleted; a basic-auth hash is written back with skip_hash (Kong/deck#1765) and still works', async () => {
    const k = await start();
    const g = open('prod');
    const backup = await g.dump();
    const cp = `${CP}/${(await k.call('GET', `${CP}?filter[name][eq]=prod`, undefined, auth)).body.data[0].id}/core-entities`;
    const hash = Object.values(backup.entities.basicauth_credentials ?? {})[0]!.password;
    // break: delete the credential and a route, add a service
    await k.call(
      'DELETE',
      `${cp}/consumers/ann/basic-auth/5b0f1d2e-0000-4000-8000-000000000008`,
      undefined,
      auth,
    );
    await k.call('DELETE', `${cp}/routes/orders`, undefined, auth);
    await k.call('POST', `${cp}/services`, { name: 'rogue', host: 'rogue.internal' }, auth);

    const { plan, apply } = await restore(g, backup);
    expect(plan.refusals).toEqual([]);
    // stored hashes round-trip on Konnect: nothing to warn about
    expect(plan.warnings).toEqual([]);
    const changed = plan.steps.map((s) => `${s.op} ${s.kind} ${s.name}`).sort();
    expect(changed).toEqual([
      'create basicauth_credentials ann for consumer ann',
      'create routes orders',
      'delete services rogue',
    ]);
    const result = await apply();
    expect(result.ok).toBe(true);

    const stored = await k.call(
      'GET',
      `${cp}/consumers/ann/basic-auth/5b0f1d2e-0000-4000-8000-000000000008`,
      undefined,
      auth,
    );
    expect(stored.body.password).toBe(hash);
    // Konnect's own entities are still there
    expect((await k.call('GET', `${cp}/services/konnect-analytics`, undefined, auth)).status).toBe(200);
    expect(k.state.cell('prod').counts().plugins).toBe(1);
    const again = await restore(open('prod'), backup);
    expect(again.plan.steps).toEqual([]);
  });

  it('refuses, before any write, what Konnect cannot take: OAuth2 credentials, and any write to a control plane group', async () => {
    const k = await start();
    const withOauth = fromDeckFile(
      [
        '_format_version: "3.0"',
        'consumers:',
        '  - username: bob',
        '    id: 6c1a2b3c-0000-4000-8000-000000000001',
        '    oauth2_credentials:',
        '      - name: app',
        '        client_id: app-client',
        '        client_secret: app-secret',
        '        redirect_uris: [https://app.example/cb]',
        '        id: 6c1a2b3c-0000-4000-8000-000000000002',
        '',
      ].join('\n'),
    );
    const staging = await restore(open('staging'), withOauth);
    expect(staging.plan.refusals.map((r) => r.message)).toEqual([
      expect.stringMatching(
        /Kong Konnect control plane staging\) cannot take oauth2_credentials \(Konnect offers no OAuth2 credentials\)/,
      ),
    ]);

    const group = await restore(open('group'), withOauth);
    expect(group.plan.refusals.map((r) => r.message).join('\n')).toMatch(
      /control plane group, which is read-only: restore into one of its member control planes/,
    );
    expect(k.state.cell('staging').writes + k.state.cell('group').writes).toBe(0);
  });

  it('rides out Konnect rate limits (429 "API rate limit exceeded" with Retry-After, Kong/deck#1364)', async () => {
    const k = await start({ rateLimit: 5 });
    const snap = await open('prod').dump({ parallelism: 8 });
    expect(Object.keys(snap.entities.services ?? {})).toHaveLength(1);
    expect(k.state.requests).toBeGreaterThan(5);
  }, 60_000);
});
