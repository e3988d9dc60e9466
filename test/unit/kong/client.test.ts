import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKongClient, type KongClientOptions } from '../../../src/kong/client.ts';
import { KongApiError, KongAuthError, KongUnreachableError } from '../../../src/kong/errors.ts';
import { type Handler, json, reset, startStub } from './http-stub.ts';

type AnyKongError = KongApiError & KongUnreachableError;
/** The error a call rejects with (the test fails if it resolves). */
async function failure(p: Promise<unknown>): Promise<AnyKongError> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as AnyKongError,
  );
}

const stubs: { close(): Promise<void> }[] = [];
/** Every behaviour below holds for both transports (transport.ts). */
const TRANSPORTS = ['node', 'axios'] as const;
let currentTransport: (typeof TRANSPORTS)[number] = 'node';
afterEach(async () => {
  for (const s of stubs.splice(0)) await s.close();
});

async function setup(
  handlers: Handler[] | Parameters<typeof startStub>[0],
  extra: Partial<KongClientOptions> = {},
) {
  const transport = currentTransport;
  const stub = await startStub(handlers);
  stubs.push(stub);
  const waits: number[] = [];
  const client = createKongClient({
    url: stub.url,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    now: () => Date.parse('2025-01-01T00:00:00Z'),
    transport,
    ...extra,
  });
  return { stub, client, waits };
}

/**
 * A paging server on its own thread, answering `?offset=` from `pages`: `count[0]` is the number of
 * requests it has received (Atomics-notified), readable while the main thread is blocked.
 */
async function pagesInWorker(pages: Record<string, unknown>) {
  const count = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const http = require('node:http');
    const { workerData, parentPort } = require('node:worker_threads');
    const { count, pages } = workerData;
    const server = http.createServer((req, res) => {
      Atomics.add(count, 0, 1);
      Atomics.notify(count, 0);
      const offset = new URL(req.url, 'http://x').searchParams.get('offset') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(pages[offset]));
    });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
    parentPort.on('message', () => server.closeAllConnections() || server.close(() => process.exit(0)));`,
    { eval: true, workerData: { count, pages } },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    count,
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

describe.each(TRANSPORTS)('%s transport', (transport) => {
  beforeEach(() => {
    currentTransport = transport;
  });

  describe('createKongClient: retries', () => {
    it.each([
      {
        name: '500 then 200 (Kong code 8 database error)',
        first: json(500, { code: 8, message: 'db' }),
        attempts: 2,
      },
      { name: '502 then 200', first: json(502, {}), attempts: 2 },
      { name: 'reset connection then 200', first: reset, attempts: 2 },
    ])('retries $name', async ({ first, attempts }) => {
      const { stub, client, waits } = await setup([first, json(200, { ok: 1 })]);
      await expect(client.get('/services/x')).resolves.toEqual({ ok: 1 });
      expect(stub.requests).toHaveLength(attempts);
      expect(waits).toHaveLength(attempts - 1);
      client.close();
    });

    it.each([
      { header: '2', waitMs: 2000 },
      { header: 'Wed, 01 Jan 2025 00:00:03 GMT', waitMs: 3000 },
    ])('honours Retry-After $header on 429', async ({ header, waitMs }) => {
      const { client, waits } = await setup([
        json(429, { message: 'busy' }, { 'retry-after': header }),
        json(200, {}),
      ]);
      await client.get('/');
      // the Retry-After wait, then a jitter of random() × 1 s (random is 0.5 here): retries never return in step
      expect(waits).toEqual([waitMs + 500]);
      client.close();
    });

    it('backs off exponentially with full jitter and gives up after maxAttempts', async () => {
      const { stub, client, waits } = await setup([json(503, { message: 'down' })], {
        retry: { maxAttempts: 4, baseDelayMs: 100 },
      });
      const err = await failure(client.get('/services'));
      expect(err).toBeInstanceOf(KongApiError);
      expect(err.status).toBe(503);
      expect(stub.requests).toHaveLength(4);
      // random() = 0.5: half of 100, 200, 400
      expect(waits).toEqual([50, 100, 200]);
      client.close();
    });

    it.each([400, 404, 409])('does not retry %i', async (status) => {
      const { stub, client } = await setup([json(status, { code: 5, name: 'x', message: 'm' })]);
      await expect(client.get('/services/x')).rejects.toBeInstanceOf(KongApiError);
      expect(stub.requests).toHaveLength(1);
      client.close();
    });
  });

  describe('createKongClient: errors', () => {
    it('turns Kong error bodies into KongApiError with code, name and fields', async () => {
      const body = {
        code: 5,
        name: 'unique constraint violation',
        message: `UNIQUE violation detected on '{name="a"}'`,
        fields: { name: 'a' },
      };
      const { client } = await setup([json(409, body)]);
      const err = (await client.request('PUT', '/services/1', { body: {} }).catch((e) => e)) as KongApiError;
      expect(err).toMatchObject({
        status: 409,
        code: 5,
        kongName: 'unique constraint violation',
        fields: { name: 'a' },
      });
      expect(err.method).toBe('PUT');
      expect(err.path).toBe('/services/1');
      expect(err.message).toContain('UNIQUE violation');
      client.close();
    });

    it('reports 401 as KongAuthError without leaking the token', async () => {
      const { client, stub } = await setup([json(401, { message: 'Invalid RBAC credentials' })], {
        token: 's3cret-token',
      });
      const err = await failure(client.get('/services'));
      expect(err).toBeInstanceOf(KongAuthError);
      expect(err.message).toMatch(/Kong rejected the admin token \(401\)/);
      expect(stub.requests[0]?.headers['kong-admin-token']).toBe('s3cret-token');
      expect(JSON.stringify(err) + err.message + String(err.stack)).not.toContain('s3cret-token');
      expect(JSON.stringify(client)).not.toContain('s3cret-token');
      client.close();
    });

    it('fails fast with one line when nothing listens', async () => {
      const { stub, client, waits } = await setup([json(200, {})]);
      await stub.close();
      stubs.length = 0;
      const err = await failure(client.get('/'));
      expect(err).toBeInstanceOf(KongUnreachableError);
      expect(err.message).toBe(`cannot reach Kong at ${stub.url}: connection refused`);
      expect(waits.length).toBeLessThanOrEqual(1);
      client.close();
    });

    it('times out slow answers and says so', async () => {
      const { client } = await setup([() => {}], { timeoutMs: 50, retry: { maxAttempts: 2 } });
      const err = await failure(client.get('/'));
      expect(err).toBeInstanceOf(KongUnreachableError);
      expect(err.message).toContain('no answer within 50 ms');
      client.close();
    });

    it('the timeout is a deadline for the whole answer: a body trickling in forever still times out', async () => {
      const trickle: Handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":[');
        const timer = setInterval(() => res.write(' '), 10); // never idle for 10 ms, never finished
        res.on('close', () => clearInterval(timer));
      };
      const { client } = await setup([trickle], { timeoutMs: 150, retry: { maxAttempts: 1 } });
      const started = Date.now();
      const err = await failure(client.get('/'));
      expect(err).toBeInstanceOf(KongUnreachableError);
      expect(err.message).toContain('no answer within 150 ms');
      expect(Date.now() - started).toBeLessThan(2000);
      client.close();
    });

    it('strips credentials from the URL it shows', () => {
      const client = createKongClient({ url: 'http://admin:pw@kong.internal:8001/' });
      expect(client.baseUrl).toBe('http://kong.internal:8001');
      client.close();
    });
  });

  describe('createKongClient: paths and paging', () => {
    it('prefixes the workspace except for root calls', async () => {
      const { client, stub } = await setup([json(200, { data: [] })], { workspace: 'team-a' });
      await client.get('/services');
      await client.get('/status', { root: true });
      expect(stub.requests.map((r) => r.url)).toEqual(['/team-a/services', '/status']);
      client.close();
    });

    it('pages with its own size and offset, ignoring a nested next that drops size', async () => {
      const pages: Record<string, unknown> = {
        '': { data: [{ id: 'a' }, { id: 'b' }], offset: 'o1', next: '/upstreams/u/targets?offset=o1' },
        o1: { data: [{ id: 'c' }], offset: 'o2', next: '/upstreams/u/targets?offset=o2' },
        o2: { data: [], next: null },
      };
      const { client, stub } = await setup((req) => {
        const offset = new URL(req.url, 'http://x').searchParams.get('offset') ?? '';
        return json(200, pages[offset]);
      });
      const seen: number[] = [];
      const rows = await client.listAll('/upstreams/u/targets', { onPage: (n) => seen.push(n), tags: 'a,b' });
      expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
      expect(seen).toEqual([2, 3, 3]);
      for (const r of stub.requests) {
        const q = new URL(r.url, 'http://x').searchParams;
        expect(q.get('size')).toBe('1000');
        expect(q.get('tags')).toBe('a,b');
      }
      client.close();
    });

    it('with onRows, asks for the next page before handing over this one; rows keep their page order', async () => {
      // the server runs in a worker thread, so it receives requests while onRows blocks the main thread
      const server = await pagesInWorker({
        '': { data: [{ id: 'a' }, { id: 'b' }], offset: 'o1' },
        o1: { data: [{ id: 'c' }], offset: 'o2' },
        o2: { data: [{ id: 'd' }] },
      });
      const client = createKongClient({ url: server.url, transport });
      const handed: { ids: string[]; received: number }[] = [];
      try {
        const rows = await client.listAll<{ id: string }>('/consumers', {
          onRows: (page) => {
            const received = handed.length + 1; // requests the server has had when this page arrived
            // block (as a big page's row handling does) until the server has the next request, ≤ 5 s;
            // the last page has no next one
            if (page[0]?.id !== 'd') Atomics.wait(server.count, 0, received, 5000);
            handed.push({ ids: page.map((r) => r.id), received: Atomics.load(server.count, 0) });
          },
        });
        expect(rows).toEqual([]);
        // while page 1 was being handled the server received the request for page 2, and so on
        expect(handed).toEqual([
          { ids: ['a', 'b'], received: 2 },
          { ids: ['c'], received: 3 },
          { ids: ['d'], received: 3 },
        ]);
      } finally {
        client.close();
        await server.close();
      }
    });

    it('with onRows, a next page that fails fails the list after the pages before it were handed over', async () => {
      const { client } = await setup((req) =>
        new URL(req.url, 'http://x').searchParams.get('offset')
          ? json(400, { message: 'bad offset' })
          : json(200, { data: [{ id: 'a' }], offset: 'o1' }),
      );
      const handed: string[] = [];
      const err = await failure(
        client.listAll<{ id: string }>('/consumers', { onRows: (p) => handed.push(...p.map((r) => r.id)) }),
      );
      expect(err).toBeInstanceOf(KongApiError);
      expect(err.status).toBe(400);
      expect(handed).toEqual(['a']);
      client.close();
    });

    it('with onRows, a caller that throws ends the list with its error; the page already asked for is dropped quietly', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const { client } = await setup((req) =>
          new URL(req.url, 'http://x').searchParams.get('offset')
            ? reset
            : json(200, { data: [{ id: 'a' }], offset: 'o1' }),
        );
        const err = await failure(
          client.listAll('/consumers', {
            onRows: () => {
              throw new Error('sink full');
            },
          }),
        );
        expect((err as Error).message).toBe('sink full');
        await new Promise((r) => setTimeout(r, 50)); // the dropped request settles meanwhile
        expect(unhandled).toEqual([]);
        client.close();
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  });
});
