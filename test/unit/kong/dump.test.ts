import { afterEach, describe, expect, it } from 'vitest';
import { createKongClient } from '../../../src/kong/client.ts';
import type { GatewayInfo } from '../../../src/kong/describe.ts';
import { dumpGateway, dumpInto } from '../../../src/kong/dump.ts';
import { StreamingSerializer, serializeSnapshot } from '../../../src/storage/index.ts';
import { type Handler, json, type Recorded, startStub } from './http-stub.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const OSS: GatewayInfo = {
  version: '3.9.1',
  edition: 'community',
  database: 'postgres',
  role: 'traditional',
  workspace: null,
  hostname: null,
};

/** A gateway whose collections hold `rows`; any collection not listed answers 404 like OSS does for EE paths. */
async function gateway(
  rows: Record<string, unknown[]>,
  extra: (req: Recorded) => Handler | undefined = () => undefined,
) {
  const stub = await startStub((req) => {
    const special = extra(req);
    if (special) return special;
    const url = new URL(req.url, 'http://x');
    const data = rows[url.pathname];
    if (!data) return json(404, { message: 'Not found' });
    const size = Number(url.searchParams.get('size') ?? 100);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const page = data.slice(offset, offset + size);
    const more = offset + size < data.length;
    return json(200, { data: page, offset: more ? String(offset + size) : undefined, next: null });
  });
  const client = createKongClient({ url: stub.url, sleep: async () => {} });
  closers.push(async () => {
    client.close();
    await stub.close();
  });
  return { client, stub };
}

describe('dumpGateway (DB mode)', () => {
  it('reads every kind, strips server fields and the certificate snis pseudo-field', async () => {
    const { client } = await gateway({
      '/services': [{ id: 's1', name: 'orders', created_at: 1, updated_at: 2, port: 80 }],
      '/routes': [],
      '/consumers': [],
      '/plugins': [],
      '/upstreams': [
        { id: 'u1', name: 'up' },
        { id: 'u2', name: 'up2' },
      ],
      '/upstreams/u1/targets': [{ id: 't1', target: 'a:80', upstream: { id: 'u1' } }],
      '/upstreams/u2/targets': [{ id: 't2', target: 'b:80', upstream: { id: 'u2' } }],
      '/certificates': [{ id: 'c1', cert: 'C', key: 'K', snis: ['a.example'] }],
      '/snis': [],
      '/ca_certificates': [],
      '/key-auths': [],
      '/basic-auths': [],
      '/jwts': [],
      '/hmac-auths': [],
      '/acls': [],
      '/oauth2': [],
    });
    const progress: string[] = [];
    const snap = await dumpGateway(client, {
      gateway: OSS,
      takenAt: '2025-01-01T00:00:00Z',
      onProgress: (p) => p.done && progress.push(`${p.kind}${p.skipped ? ' skipped' : ''}`),
    });
    expect(snap.entities.services).toEqual({ s1: { id: 's1', name: 'orders', port: 80 } });
    expect(snap.entities.certificates?.c1).toEqual({ id: 'c1', cert: 'C', key: 'K' });
    expect(Object.keys(snap.entities.targets ?? {}).sort()).toEqual(['t1', 't2']);
    // Enterprise and optional kinds answer 404 on this gateway: absent, not an error
    expect(snap.entities.consumer_groups).toBeUndefined();
    expect(progress).toContain('consumer_groups skipped');
    expect(progress).toContain('vaults skipped');
    expect(snap.meta).toMatchObject({
      kongVersion: '3.9.1',
      database: 'postgres',
      takenAt: '2025-01-01T00:00:00Z',
    });
  });

  it('dumpInto streams the same dump into a sink: pages per kind, each dumped kind closed once, skipped kinds never', async () => {
    const consumers = Array.from({ length: 2501 }, (_, i) => ({
      id: `c${String(i).padStart(4, '0')}`,
      username: `u${i}`,
      created_at: i,
    }));
    const rows = {
      '/services': [{ id: 's1', name: 'orders', port: 80, updated_at: 3 }],
      '/upstreams': [{ id: 'u1' }, { id: 'u2' }],
      '/upstreams/u1/targets': [{ id: 't9', target: 'a:80', upstream: { id: 'u1' } }],
      '/upstreams/u2/targets': [{ id: 't1', target: 'b:80', upstream: { id: 'u2' } }],
      '/consumers': consumers,
    };
    const { client } = await gateway(rows);
    const only = ['services', 'upstreams', 'targets', 'consumers'] as const;
    const pages: string[] = [];
    const closed: string[] = [];
    const serializer = new StreamingSerializer();
    const meta = await dumpInto(
      client,
      {
        add: (kind, list) => {
          expect(closed).not.toContain(kind); // nothing arrives after close
          pages.push(`${kind}:${list.length}`);
          serializer.add(kind, list);
        },
        close: (kind) => {
          closed.push(kind);
          return serializer.close(kind);
        },
      },
      { gateway: OSS, takenAt: '2025-01-01T00:00:00Z', only },
    );
    expect(pages.filter((p) => p.startsWith('consumers:'))).toEqual([
      'consumers:1000',
      'consumers:1000',
      'consumers:501',
    ]);
    expect(closed.sort()).toEqual(['consumers', 'services', 'targets', 'upstreams']);
    expect(meta.counts).toEqual({ services: 1, upstreams: 2, targets: 2, consumers: 2501 });
    // the bytes a backup writes from the stream are those of the snapshot dumpGateway returns
    const snap = await dumpGateway(client, { gateway: OSS, takenAt: '2025-01-01T00:00:00Z', only });
    expect(meta).toEqual(snap.meta);
    const streamed = serializer.finish(meta);
    const whole = serializeSnapshot(snap);
    expect(Buffer.concat(streamed.chunks).equals(Buffer.concat(whole.chunks))).toBe(true);
    expect(Buffer.concat(streamed.chunks).toString()).not.toContain('created_at');
  });

  it('fails when a core collection is missing: a backup must not silently skip services', async () => {
    const { client } = await gateway({});
    await expect(dumpGateway(client, { gateway: OSS, only: ['services'] })).rejects.toThrow(/404/);
  });

  it('limits reads to the sections asked for, and pages past 1000 rows', async () => {
    const consumers = Array.from({ length: 2501 }, (_, i) => ({ id: `c${i}`, username: `u${i}` }));
    const { client, stub } = await gateway({ '/consumers': consumers });
    const snap = await dumpGateway(client, { gateway: OSS, only: ['consumers'] });
    expect(Object.keys(snap.entities.consumers ?? {})).toHaveLength(2501);
    expect(Object.keys(snap.entities)).toEqual(['consumers']);
    expect(stub.requests.map((r) => r.url)).toEqual([
      '/consumers?size=1000',
      '/consumers?size=1000&offset=1000',
      '/consumers?size=1000&offset=2000',
    ]);
  });

  it('reads consumer-group members in both answer shapes', async () => {
    const { client } = await gateway(
      {
        '/consumer_groups': [
          { id: 'g1', name: 'gold' },
          { id: 'g2', name: 'silver' },
        ],
      },
      (req) => {
        if (req.url.startsWith('/consumer_groups/g1/consumers'))
          return json(200, { consumers: [{ id: 'c1' }] });
        if (req.url.startsWith('/consumer_groups/g2/consumers'))
          return json(200, { data: [{ id: 'c2' }], next: null });
        return undefined;
      },
    );
    const snap = await dumpGateway(client, {
      gateway: { ...OSS, edition: 'enterprise' },
      only: ['consumer_groups'],
    });
    expect(snap.entities.consumer_group_members).toEqual({
      'g1:c1': { id: 'g1:c1', consumer_group: { id: 'g1' }, consumer: { id: 'c1' } },
      'g2:c2': { id: 'g2:c2', consumer_group: { id: 'g2' }, consumer: { id: 'c2' } },
    });
  });
});
