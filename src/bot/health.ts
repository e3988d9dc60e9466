/**
 * `/healthz` and `/readyz` of `snapgate serve`, kept small so metrics (issue 14) can add checks and a
 * `/metrics` route here:
 * - `GET /healthz`: 200 while the process runs and answers (liveness).
 * - `GET /readyz`: 200 when this instance can take Slack requests; 503 with the reason otherwise
 *   ("Slack disconnected" while Socket Mode is reconnecting). Both answer JSON: `{ status, checks }`.
 * HTTP mode serves them on the Bolt receiver's port next to `/slack/events` (customRoutes); Socket Mode has
 * no inbound server of its own, so `startHealthServer` opens a small one on `PORT`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One readiness check: `ok: false` makes `/readyz` answer 503 with `reason`. */
export interface ReadinessCheck {
  name: string;
  check(): { ok: boolean; reason?: string; details?: Record<string, unknown> };
}

export interface HealthRoute {
  path: string;
  method: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export function healthRoutes(checks: ReadinessCheck[]): HealthRoute[] {
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => answer(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        const results = checks.map((c) => ({ name: c.name, ...c.check() }));
        const failing = results.find((r) => !r.ok);
        answer(res, failing ? 503 : 200, {
          status: failing ? (failing.reason ?? `${failing.name} not ready`) : 'ready',
          checks: Object.fromEntries(results.map((r) => [r.name, { ok: r.ok, ...r.details }])),
        });
      },
    },
  ];
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${JSON.stringify(body)}\n`);
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** A listener for the health routes alone (Socket Mode); `port` 0 picks a free one. */
export async function startHealthServer(port: number, routes: HealthRoute[]): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://health').pathname;
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
