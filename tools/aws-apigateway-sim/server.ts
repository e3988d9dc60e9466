/**
 * The simulator's HTTP front: SigV4 shape check, fault injection and latency, routing to the operation,
 * JSON replies and AWS's error shape. Always bound to 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from './errors.ts';
import { Faults } from './faults.ts';
import { registerAccount } from './http-account.ts';
import { registerApiParts } from './http-api-parts.ts';
import { registerClientCertificates } from './http-client-certificates.ts';
import { registerDocumentation } from './http-documentation.ts';
import { registerImport } from './http-import.ts';
import { registerRestApis } from './http-restapis.ts';
import { registerVpcLinks } from './http-vpclinks.ts';
import { IdSource } from './ids.ts';
import { type Reply, Router } from './router.ts';
import { checkSignature } from './sigv4.ts';
import { Store } from './store.ts';

export interface AwsApiGatewaySimOptions {
  /** 0 = a random free port */
  port?: number;
  accountId?: string;
  /** seed for the id generator, so a test's ids are stable */
  idSeed?: number;
  latencyMs?: number;
  failRate?: number;
  rateLimit?: number;
}

export interface AwsApiGatewaySimState {
  readonly store: Store;
  readonly faults: Faults;
  requests: number;
  /** POST/PUT/PATCH/DELETE received, whatever their outcome */
  writes: number;
  /** requests by `METHOD uri-template` */
  byOperation: Record<string, number>;
  /** runs an operation in process, without HTTP or signing (seeding, tests) */
  call(method: string, path: string, body?: Record<string, unknown>): Reply;
}

export interface AwsApiGatewaySim {
  url: string;
  state: AwsApiGatewaySimState;
  close(): Promise<void>;
}

export function createRouter(): Router {
  const router = new Router();
  registerRestApis(router);
  registerApiParts(router);
  registerDocumentation(router);
  registerAccount(router);
  registerVpcLinks(router);
  registerClientCertificates(router);
  registerImport(router);
  return router;
}

function dispatch(
  router: Router,
  store: Store,
  method: string,
  url: URL,
  body: Record<string, unknown>,
): Reply {
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
  const found = router.match(method, path);
  if (!found) throw new AwsError(404, 'UnknownOperationException', `No operation matches ${method} ${path}`);
  return found.route.handler({ store, params: found.params, query: url.searchParams, body });
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (chunks.length === 0) return {};
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new AwsError(400, 'SerializationException', 'Could not parse request body into json');
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: AwsError): void {
  // the service appends a namespace after ':'; the SDK keeps the part before it
  send(
    res,
    err.status,
    { message: err.message },
    {
      'x-amzn-errortype': `${err.type}:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/`,
      ...err.headers,
    },
  );
}

export async function startAwsApiGatewaySim(
  options: AwsApiGatewaySimOptions = {},
): Promise<AwsApiGatewaySim> {
  const store = new Store(new IdSource(options.idSeed));
  if (options.accountId) store.accountId = options.accountId;
  const faults = new Faults();
  faults.latencyMs = options.latencyMs ?? 0;
  faults.failRate = options.failRate ?? 0;
  faults.rateLimit = options.rateLimit ?? 0;
  const router = createRouter();
  const state: AwsApiGatewaySimState = {
    store,
    faults,
    requests: 0,
    writes: 0,
    byOperation: {},
    call: (method, path, body = {}) => {
      const url = new URL(path, 'http://sim.local');
      return dispatch(router, store, method, url, body);
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      state.requests++;
      const method = req.method ?? 'GET';
      if (method !== 'GET') state.writes++;
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const caller = checkSignature(req.headers);
        const body = await readBody(req);
        if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
        const found = router.match(method, url.pathname);
        const op = `${method} ${found?.route.uri ?? url.pathname}`;
        state.byOperation[op] = (state.byOperation[op] ?? 0) + 1;
        const arn = `arn:aws:apigateway:${caller.region}::${url.pathname}`;
        const fault = faults.pick(Date.now(), `apigateway:${method}`, arn, store.accountId);
        if (fault) throw fault;
        const reply = dispatch(router, store, method, url, body);
        send(res, reply.status, reply.body);
      } catch (err) {
        if (err instanceof AwsError) sendError(res, err);
        else send(res, 500, { message: 'Internal server error' }, { 'x-amzn-errortype': 'InternalFailure' });
      }
    })();
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
