/**
 * The two transports (src/kong/transport.ts) put the same bytes on the wire and read the same answers;
 * the client's choice between them; what only one layer can get wrong: credentials in the URL, a path
 * prefix, cancelling a request in flight, TLS with a CA file / insecure opt-in / an unknown CA, and
 * HTTP(S)_PROXY (axios's job).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKongClient } from '../../../src/kong/client.ts';
import { KongAbortedError, KongUnreachableError } from '../../../src/kong/errors.ts';
import { json, type Recorded, startStub } from './http-stub.ts';

const TRANSPORTS = ['node', 'axios'] as const;
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const c of closers.splice(0).reverse()) await c();
});

async function stub(handler: Parameters<typeof startStub>[0]) {
  const s = await startStub(handler);
  closers.push(() => s.close());
  return s;
}

/** What a server can see of a request, minus the host (each transport talks to its own stub). */
function wire(r: Recorded) {
  const { host: _h, ...headers } = r.headers;
  return { method: r.method, url: r.url, headers, body: r.body };
}

describe('both transports', () => {
  it('send the same requests and read the same answers', async () => {
    const seen: Record<string, ReturnType<typeof wire>[]> = {};
    const answers: Record<string, unknown[]> = {};
    for (const transport of TRANSPORTS) {
      const s = await stub((req) =>
        req.method === 'DELETE'
          ? (_r, res) => {
              res.writeHead(204);
              res.end();
            }
          : json(req.method === 'PUT' ? 200 : 201, { echo: req.body ? JSON.parse(req.body) : null, n: 'ü' }),
      );
      const client = createKongClient({ url: s.url, token: 'tok', transport });
      answers[transport] = [
        await client.request('PUT', '/services/a%20b', { body: { name: 'ä', port: 80, tags: null } }),
        await client.request('GET', '/services', { query: { size: 1000, tags: 'a,b', offset: undefined } }),
        await client.request('POST', '/upstreams/u/targets', { body: { target: '[::1]:80' } }),
        await client.request('DELETE', '/services/a'),
      ].map((r) => ({ status: r.status, data: r.data, type: r.headers['content-type'] ?? null }));
      seen[transport] = s.requests.map(wire);
      client.close();
    }
    expect(seen.node).toEqual(seen.axios);
    expect(answers.node).toEqual(answers.axios);
    expect(seen.node?.[0]).toMatchObject({
      method: 'PUT',
      url: '/services/a%20b',
      headers: {
        accept: 'application/json',
        'accept-encoding': 'identity',
        'content-type': 'application/json',
        'kong-admin-token': 'tok',
        'user-agent': 'snapgate',
        'content-length': String(Buffer.byteLength('{"name":"ä","port":80,"tags":null}')),
      },
      body: '{"name":"ä","port":80,"tags":null}',
    });
    expect(seen.node?.[1]?.url).toBe('/services?size=1000&tags=a%2Cb');
    expect(seen.node?.[1]?.headers['content-type']).toBeUndefined();
    expect(answers.node?.[0]).toEqual({
      status: 200,
      data: { echo: { name: 'ä', port: 80, tags: null }, n: 'ü' },
      type: 'application/json',
    });
    expect(answers.node?.[3]).toEqual({ status: 204, data: '', type: null });
  });

  it.each(TRANSPORTS)(
    '%s: credentials in the URL become a Basic header; a path prefix is kept',
    async (t) => {
      const s = await stub([json(200, { data: [] })]);
      const url = s.url.replace('http://', 'http://ops:p%40ss@');
      const client = createKongClient({ url: `${url}/kong-admin/`, transport: t, workspace: 'ws' });
      await client.get('/services');
      expect(s.requests[0]?.url).toBe('/kong-admin/ws/services');
      expect(s.requests[0]?.headers.authorization).toBe(
        `Basic ${Buffer.from('ops:p@ss').toString('base64')}`,
      );
      expect(client.baseUrl).toBe(`${s.url}/kong-admin`);
      expect(JSON.stringify(client)).not.toContain('p%40ss');
      client.close();
    },
  );

  it.each(TRANSPORTS)('%s: a signal fired mid-request cancels it without a retry', async (t) => {
    const s = await stub([() => {}]); // never answers
    const client = createKongClient({ url: s.url, transport: t });
    const ac = new AbortController();
    const pending = client.request('GET', '/services', { signal: ac.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    const err = await pending;
    expect(err).toBeInstanceOf(KongAbortedError);
    expect((err as Error).message).toBe('request GET /services was cancelled');
    expect(s.requests).toHaveLength(1);
    client.close();
  });

  it.each(TRANSPORTS)('%s: a non-JSON answer (a proxy error page) stays text in the error', async (t) => {
    const s = await stub([
      (_r, res) => {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<h1>no such page</h1>');
      },
    ]);
    const client = createKongClient({ url: s.url, transport: t });
    await expect(client.get('/services')).rejects.toThrow(
      'Kong rejected GET /services (404): <h1>no such page</h1>',
    );
    client.close();
  });
});

describe('transport choice', () => {
  it('uses axios when HTTP_PROXY is set, so the request goes through the proxy', async () => {
    // the stub plays the proxy: a proxied request line carries the absolute URL
    const proxy = await stub([json(200, { via: 'proxy' })]);
    vi.stubEnv('HTTP_PROXY', proxy.url);
    vi.stubEnv('NO_PROXY', '');
    const client = createKongClient({ url: 'http://kong.internal:8001', token: 'tok' });
    await expect(client.get('/status', { root: true })).resolves.toEqual({ via: 'proxy' });
    expect(proxy.requests[0]?.url).toBe('http://kong.internal:8001/status');
    expect(proxy.requests[0]?.headers['kong-admin-token']).toBe('tok');
    client.close();
  });

  it('uses node:http otherwise (a proxy variable left unset is not consulted)', async () => {
    const direct = await stub([json(200, { via: 'direct' })]);
    const client = createKongClient({ url: direct.url });
    await expect(client.get('/status')).resolves.toEqual({ via: 'direct' });
    expect(direct.requests[0]?.url).toBe('/status');
    client.close();
  });
});

/** A CA and a server certificate for 127.0.0.1 signed by it, made with openssl for this run only. */
function makeTlsFiles(): { dir: string; ca: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'snapgate-tls-'));
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=test CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
  );
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
  );
  ssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
    '-out',
    f('server.pem'),
  );
  return { dir, ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('TLS', () => {
  async function tlsServer() {
    const files = makeTlsFiles();
    closers.push(() => rmSync(files.dir, { recursive: true, force: true }));
    const server = https.createServer(
      { cert: readFileSync(files.cert), key: readFileSync(files.key) },
      (_req: http.IncomingMessage, res: http.ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"tls":true}');
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, ca: files.ca };
  }

  it.each(TRANSPORTS)(
    '%s: trusts the gateway through a CA file; refuses an unknown CA in one line',
    async (t) => {
      const { url, ca } = await tlsServer();
      const trusted = createKongClient({ url, transport: t, tls: { caFile: ca } });
      await expect(trusted.get('/')).resolves.toEqual({ tls: true });
      trusted.close();

      const strict = createKongClient({ url, transport: t });
      const err = await strict.get('/').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KongUnreachableError);
      expect((err as Error).message).toMatch(/^cannot reach Kong at https:\/\/127\.0\.0\.1:\d+: TLS: /);
      strict.close();

      const insecure = createKongClient({ url, transport: t, tls: { insecure: true } });
      await expect(insecure.get('/')).resolves.toEqual({ tls: true });
      insecure.close();
    },
  );
});
