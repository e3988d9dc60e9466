/**
 * The operator endpoints, one set for `serve` and `worker`:
 * - `GET /healthz`: 200 while the process runs and answers (liveness).
 * - `GET /readyz`: 200 when every readiness check passes; 503 with the first failing part named
 *   (`{ status, checks }`, JSON).
 * - `GET /metrics`: the Prometheus text format (only when metrics are given).
 * `serve` in HTTP mode mounts these routes on the Bolt receiver next to `/slack/events`; `serve` in Socket
 * Mode and `snapgate worker --metrics-port` open `startOpsServer`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ReadinessCheck, runChecks } from './readiness.ts';

export interface OpsRoute {
  path: string;
  method: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** What `/metrics` renders: the registry's text and its content type. */
export interface MetricsSource {
  contentType: string;
  render(): Promise<string>;
}

export function opsRoutes(checks: readonly ReadinessCheck[], metrics?: MetricsSource): OpsRoute[] {
  const routes: OpsRoute[] = [
    { path: '/healthz', method: 'GET', handler: (_req, res) => answer(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        void runChecks(checks).then(
          (r) => answer(res, r.ok ? 200 : 503, { status: r.status, checks: r.checks }),
          (err: unknown) => answer(res, 503, { status: `readiness failed: ${(err as Error).message}` }),
        );
      },
    },
  ];
  if (metrics) {
    routes.push({
      path: '/metrics',
      method: 'GET',
      handler: (_req, res) => {
        void metrics.render().then(
          (text) => {
            res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
            res.end(text);
          },
          (err: unknown) => answer(res, 500, { status: `metrics failed: ${(err as Error).message}` }),
        );
      },
    });
  }
  return routes;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${JSON.stringify(body)}\n`);
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** A listener for the ops routes alone; `port` 0 picks a free one. */
export async function startOpsServer(port: number, routes: readonly OpsRoute[]): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    const route = routes.find((r) => r.path === path);
    if (!route) return answer(res, 404, { status: 'not found' });
    if (req.method !== route.method && !(route.method === 'GET' && req.method === 'HEAD'))
      return answer(res, 405, { status: 'method not allowed' });
    route.handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
