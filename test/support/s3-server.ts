/**
 * A real S3-compatible server for tests (s3rver in a child process, see s3rver-child.mjs), plus a small
 * fault proxy in front of it: 503 SlowDown on demand, and a record of each request's method, path, query
 * and x-amz-* headers (what snapgate asked the store for).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Secret } from '../../src/config/index.ts';
import type { S3TargetConfig } from '../../src/config/types.ts';

/** s3rver's built-in account. */
export const S3_ACCESS_KEY = 'S3RVER';
export const S3_SECRET_KEY = 'S3RVER';

/** An S3 target's config for a bucket on a test server (path-style, s3rver's account). */
export function s3Config(
  endpoint: string,
  bucket: string,
  extra: Partial<S3TargetConfig> = {},
): S3TargetConfig {
  return {
    type: 's3',
    endpoint,
    region: 'us-east-1',
    bucket,
    prefix: 'snapgate/',
    forcePathStyle: true,
    credentials: { accessKeyId: new Secret(S3_ACCESS_KEY), secretAccessKey: new Secret(S3_SECRET_KEY) },
    objectLock: null,
    ...extra,
  };
}

export interface S3Server {
  /** s3rver's own address */
  endpoint: string;
  port: number;
  /** where s3rver keeps buckets and objects */
  dir: string;
  createBucket(name: string): Promise<void>;
  /** unfinished multipart uploads in `bucket`, read from s3rver's own files */
  uploadsOnDisk(bucket: string): Promise<string[]>;
  /** kills the server process at once (SIGKILL), as a crash would */
  kill(): Promise<void>;
  /** starts it again on the same port and directory */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const CHILD = join(import.meta.dirname, 's3rver-child.mjs');

async function spawnServer(dir: string, port: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CHILD, dir, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const started = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before listening`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  return { child, port: started };
}

export async function startS3Server(): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), 'snapgate-s3rver-'));
  let running = await spawnServer(dir, 0);
  const port = running.port;
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (signal: NodeJS.Signals) => {
    const { child } = running;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  return {
    endpoint,
    port,
    dir,
    async createBucket(name) {
      await new Promise<void>((resolve, reject) => {
        const req = request(`${endpoint}/${name}`, { method: 'PUT' }, (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`create bucket: HTTP ${res.statusCode}`)),
          );
        });
        req.on('error', reject);
        req.end();
      });
    },
    async uploadsOnDisk(bucket) {
      return readdir(join(dir, bucket, '._S3rver_uploads')).catch(() => []);
    },
    kill: () => stop('SIGKILL'),
    async restart() {
      await stop('SIGKILL');
      running = await spawnServer(dir, port);
    },
    async close() {
      await stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SeenRequest {
  method: string;
  path: string;
  query: string;
  /** x-amz-* request headers (signatures and dates left out) */
  amz: Record<string, string>;
}

export interface FaultProxy {
  endpoint: string;
  /** every request that reached the proxy, in order */
  requests: SeenRequest[];
  /** answers the next `n` requests (matching `when`, if given) with 503 SlowDown instead of passing them on */
  slowDown(n: number, when?: (r: SeenRequest) => boolean): void;
  close(): Promise<void>;
}

const SLOW_DOWN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>' +
  '<Message>Please reduce your request rate.</Message><RequestId>proxy</RequestId></Error>';

export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  const requests: SeenRequest[] = [];
  let faults: { left: number; when: (r: SeenRequest) => boolean } = { left: 0, when: () => true };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const amz = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([k]) => k.startsWith('x-amz-') && !['x-amz-date', 'x-amz-content-sha256'].includes(k))
        .map(([k, v]) => [k, String(v)]),
    );
    const seen: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.search, amz };
    requests.push(seen);
    if (faults.left > 0 && faults.when(seen)) {
      faults.left--;
      req.resume();
      req.on('end', () => {
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end(SLOW_DOWN);
      });
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    slowDown(n, when = () => true) {
      faults = { left: n, when };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
