/**
 * A scripted HTTP server for client tests: each request is answered by the next handler in the list
 * (the last one repeats), and every request is recorded. Real sockets, so retries, timeouts and
 * keep-alive go through the same code paths as against Kong.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: Recorded, res: http.ServerResponse) => void;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
}

/** Drop the connection without an answer (the client sees ECONNRESET / socket hang up). */
export const reset: Handler = (_req, res) => {
  res.socket?.destroy();
};

export async function startStub(handlers: Handler[] | ((req: Recorded) => Handler)) {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(rec);
      const handler = Array.isArray(handlers)
        ? (handlers[Math.min(requests.length - 1, handlers.length - 1)] as Handler)
        : handlers(rec);
      handler(rec, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
