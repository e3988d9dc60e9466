import { describe, expect, it } from 'vitest';
import { sim } from './helpers.ts';

/**
 * Konnect mode. Sources: Kong/developer.konghq.com api-specs/konnect/control-planes/v2/openapi.yaml
 * (list-control-planes, ControlPlane, BaseError), api-specs/konnect/control-planes-config/v2/openapi.yaml
 * (core-entities paths, Kong paging, HTTP401Error, bearer security schemes) and
 * Kong/go-database-reconciler@8f5e476 (pkg/dump/dump.go, pkg/file/builder.go, pkg/konnect/utils.go).
 */

const TOKEN = 'kpat_simulated0000000000000000000000000000000000';
const auth = { authorization: `Bearer ${TOKEN}` };

async function konnect(extra: Record<string, unknown> = {}) {
  return sim({
    konnect: {
      token: TOKEN,
      controlPlanes: [
        {
          name: 'prod',
          seed: { _format_version: '3.0', services: [{ name: 'orders', host: 'orders.internal' }] },
        },
        { name: 'staging' },
        { name: 'group', clusterType: 'CLUSTER_TYPE_CONTROL_PLANE_GROUP' },
      ],
    },
    ...extra,
  });
}

async function cpId(k: Awaited<ReturnType<typeof konnect>>, name: string): Promise<string> {
  const list = await k.call('GET', `/v2/control-planes?filter[name][eq]=${name}`, undefined, auth);
  return list.body.data[0].id;
}

describe('kong-sim Konnect mode', () => {
  it('list-control-planes: filter[name][eq] is an exact match; page[size]/page[number] and meta.page as the spec', async () => {
    const k = await konnect();
    const one = await k.call('GET', '/v2/control-planes?filter[name][eq]=prod', undefined, auth);
    expect(one.status).toBe(200);
    expect(one.body.data).toHaveLength(1);
    expect(one.body.data[0]).toMatchObject({
      name: 'prod',
      config: { cluster_type: 'CLUSTER_TYPE_CONTROL_PLANE' },
    });
    expect(one.body.meta).toEqual({ page: { number: 1, size: 10, total: 1 } });
    expect(
      (await k.call('GET', '/v2/control-planes?filter[name][eq]=pro', undefined, auth)).body.data,
    ).toEqual([]);
    const page2 = await k.call('GET', '/v2/control-planes?page[size]=2&page[number]=2', undefined, auth);
    expect(page2.body.data.map((c: { name: string }) => c.name)).toEqual(['group']);
    expect(page2.body.meta.page).toEqual({ number: 2, size: 2, total: 3 });
    const id = one.body.data[0].id;
    expect((await k.call('GET', `/v2/control-planes/${id}`, undefined, auth)).body.name).toBe('prod');
  });

  it('two control planes of one name: filter[name][eq] lists both (ControlPlaneFilterParameters: "exactly matches"), each its own configuration, found by id', async () => {
    // Konnect answers 409 "Control Plane with provided name already exists." to create-control-plane,
    // but update-control-plane (a rename) lists no 409: an organization can end up with two of one name
    const k = await sim({
      konnect: {
        token: TOKEN,
        controlPlanes: [
          { name: 'prod', seed: { _format_version: '3.0', services: [{ name: 'a', host: 'a.internal' }] } },
          { name: 'prod', seed: { _format_version: '3.0', services: [{ name: 'b', host: 'b.internal' }] } },
          { name: 'staging' },
        ],
      },
    });
    const list = await k.call('GET', '/v2/control-planes?filter[name][eq]=prod', undefined, auth);
    expect(list.body.data.map((c: { name: string }) => c.name)).toEqual(['prod', 'prod']);
    expect(list.body.meta.page.total).toBe(2);
    const [first, second] = list.body.data.map((c: { id: string }) => c.id) as [string, string];
    expect(first).not.toBe(second);
    const names = async (id: string) =>
      (await k.call('GET', `/v2/control-planes/${id}/core-entities/services`, undefined, auth)).body.data.map(
        (s: { name: string }) => s.name,
      );
    expect([await names(first), await names(second)].sort()).toEqual([['a'], ['b']]);
    expect(k.state.cell(first).name).toBe('prod');
    expect(() => k.state.cell('prod')).toThrow(/2 control planes named prod/);
    expect(k.state.cell('staging').name).toBe('staging');
  });

  it('every request needs the bearer token: 401 BaseError on the control-planes API, {message, status} on core-entities', async () => {
    const k = await konnect();
    const cps = await k.call('GET', '/v2/control-planes');
    expect(cps.status).toBe(401);
    expect(cps.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: expect.any(String) });
    expect(cps.body.instance).toMatch(/^kong:trace:/);
    const id = await cpId(k, 'prod');
    const wrong = await k.call('GET', `/v2/control-planes/${id}/core-entities/services`, undefined, {
      authorization: 'Bearer spat_wrong',
    });
    expect(wrong).toMatchObject({ status: 401, body: { message: 'Unauthorized', status: 401 } });
    // the self-hosted header is not Konnect's
    const kongHeader = await k.call('GET', `/v2/control-planes/${id}/core-entities/services`, undefined, {
      'kong-admin-token': TOKEN,
    });
    expect(kongHeader.status).toBe(401);
  });

  it('core-entities is the Admin API of one control plane: Kong paging (size, offset, next), upserts and deletes per control plane', async () => {
    const k = await konnect();
    const prod = `/v2/control-planes/${await cpId(k, 'prod')}/core-entities`;
    const staging = `/v2/control-planes/${await cpId(k, 'staging')}/core-entities`;
    for (let i = 0; i < 3; i++) {
      expect((await k.call('POST', `${staging}/services`, { name: `s${i}`, host: 'h' }, auth)).status).toBe(
        201,
      );
    }
    const page = await k.call('GET', `${staging}/services?size=2`, undefined, auth);
    expect(page.body.data).toHaveLength(2);
    expect(typeof page.body.offset).toBe('string');
    const rest = await k.call(
      'GET',
      `${staging}/services?size=2&offset=${encodeURIComponent(page.body.offset)}`,
      undefined,
      auth,
    );
    expect(rest.body.data).toHaveLength(1);
    expect(rest.body.next).toBeNull();
    // the same name in another control plane is no conflict: control planes are separate configurations
    expect((await k.call('POST', `${prod}/services`, { name: 's0', host: 'h' }, auth)).status).toBe(201);
    expect(k.state.cell('prod').counts().services).toBe(2);
    expect(k.state.cell('staging').counts().services).toBe(3);
    expect(k.state.cell('staging').writes).toBe(3);
    expect(k.state.cell('prod').writes).toBe(1);
    // DELETE: 204 also when the entity does not exist ("Successfully deleted … or the resource didn't exist")
    expect(
      (await k.call('DELETE', `${prod}/services/0b4e6c1e-5a4f-4f5e-9d43-3f2f3a2b1c00`, undefined, auth))
        .status,
    ).toBe(204);
  });

  it('no OAuth2 credentials in Konnect (dump.go skips them); top-level /targets is listed (GetAllTargetsFromKonnect); no GET / or /status', async () => {
    const k = await konnect();
    const cp = `/v2/control-planes/${await cpId(k, 'prod')}/core-entities`;
    await k.call('POST', `${cp}/consumers`, { username: 'ann' }, auth);
    expect((await k.call('GET', `${cp}/oauth2`, undefined, auth)).status).toBe(404);
    expect((await k.call('GET', `${cp}/consumers/ann/oauth2`, undefined, auth)).status).toBe(404);
    expect((await k.call('GET', `${cp}`, undefined, auth)).status).toBe(404);
    expect((await k.call('GET', `${cp}/status`, undefined, auth)).status).toBe(404);
    const up = await k.call('POST', `${cp}/upstreams`, { name: 'pool' }, auth);
    await k.call('POST', `${cp}/upstreams/pool/targets`, { target: '10.0.0.1:80' }, auth);
    await k.call('POST', `${cp}/upstreams/pool/targets`, { target: '10.0.0.2:80' }, auth);
    const all = await k.call('GET', `${cp}/targets?size=1`, undefined, auth);
    expect(all.body.data).toHaveLength(1);
    expect(all.body.data[0].upstream).toEqual({ id: up.body.id });
    const second = await k.call(
      'GET',
      `${cp}/targets?size=1&offset=${encodeURIComponent(all.body.offset)}`,
      undefined,
      auth,
    );
    expect(second.body.data).toHaveLength(1);
    expect(second.body.next).toBeNull();
  });

  it('basic-auth: a password is hashed unless skip_hash is true, which stores the sent hash as is (builder.go, Kong/deck#1765)', async () => {
    const k = await konnect();
    const cp = `/v2/control-planes/${await cpId(k, 'prod')}/core-entities`;
    await k.call('POST', `${cp}/consumers`, { username: 'ann' }, auth);
    const hashed = await k.call(
      'POST',
      `${cp}/consumers/ann/basic-auth`,
      { username: 'ann', password: 'secret' },
      auth,
    );
    expect(hashed.status).toBe(201);
    expect(hashed.body.password).toMatch(/^[0-9a-f]{40}$/);
    expect(hashed.body.password).not.toBe('secret');
    const id = '6b7f3f57-2d3a-4c86-a0c7-0ad3fb0c3b11';
    const kept = await k.call(
      'PUT',
      `${cp}/consumers/ann/basic-auth/${id}`,
      { username: 'ann2', password: hashed.body.password, skip_hash: true },
      auth,
    );
    expect(kept.status).toBe(200);
    expect(kept.body.password).toBe(hashed.body.password);
    expect(kept.body).not.toHaveProperty('skip_hash');
  });

  it('a control plane group is read-only: writes refused, reads served', async () => {
    const k = await konnect();
    const cp = `/v2/control-planes/${await cpId(k, 'group')}/core-entities`;
    expect((await k.call('GET', `${cp}/services`, undefined, auth)).status).toBe(200);
    const w = await k.call('POST', `${cp}/services`, { name: 'x', host: 'h' }, auth);
    expect(w.status).toBe(400);
    expect(w.body.message).toMatch(/read-only/);
    expect(k.state.cell('group').counts().services).toBe(0);
  });

  it('429 answers carry "API rate limit exceeded" and Retry-After (Kong/deck#1364)', async () => {
    const k = await konnect({ rateLimit: 1 });
    const cp = `/v2/control-planes/${await cpId(k, 'prod')}/core-entities`;
    const answers = await Promise.all([1, 2, 3].map(() => k.call('GET', `${cp}/services`, undefined, auth)));
    const limited = answers.find((a) => a.status === 429);
    expect(limited?.body).toEqual({ message: 'API rate limit exceeded' });
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('unknown control plane ids and non-Konnect paths are 404s', async () => {
    const k = await konnect();
    const missing = await k.call(
      'GET',
      '/v2/control-planes/7f9fd312-a987-4628-b4c5-bb4f4fddd5f7/core-entities/services',
      undefined,
      auth,
    );
    expect(missing).toMatchObject({ status: 404, body: { status: 404, title: 'Not Found' } });
    expect((await k.call('GET', '/services', undefined, auth)).status).toBe(404);
  });
});
