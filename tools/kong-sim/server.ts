import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { Dao } from './dao.ts';
import { loadDeclarative } from './declarative-load.ts';
import { HttpError } from './errors.ts';
import { Faults } from './faults.ts';
import type { SimContext, SimRequest } from './http-types.ts';
import { compilePlugin, type KongSchemaJson, normaliseCustomSchema } from './kong-schema.ts';
import { isWriteMethod, route } from './router.ts';
import { buildRegistry, type Edition } from './schema/index.ts';
import { Store } from './store.ts';
import { isObject } from './validate.ts';

/** The simulator's HTTP front: auth, workspace prefix, fault injection, counters, JSON replies. */

export interface KongSimOptions {
  /** 0 = a random free port; always bound to 127.0.0.1. */
  port?: number;
  /** a Kong declarative config (flat or nested), as an object or a path to a YAML/JSON file. */
  seed?: Record<string, unknown> | string;
  dbless?: boolean;
  /** when set, every request needs `Kong-Admin-Token: <token>`. */
  token?: string;
  /** when set, every entity path lives under `/<workspace>/`. */
  workspace?: string;
  edition?: Edition;
  version?: string;
  latencyMs?: number;
  failRate?: number;
  /** requests per second before 429. */
  rateLimit?: number;
  dropRate?: number;
  /**
   * The node's enabled plugins (`kong.conf` `plugins`); default: every bundled plugin (+ the
   * Enterprise ones on an Enterprise node). Leave one out to test a gateway without it.
   */
  plugins?: string[];
  /** Custom plugins: name → schema as `GET /schemas/plugins/{name}` serves it (`{fields: [...]}`). */
  customPlugins?: Record<string, { fields: Record<string, unknown>[]; entity_checks?: unknown[] }>;
}

export interface KongSimState {
  /** the live entity store (replaced by each successful POST /config). */
  readonly store: Store;
  /** every POST/PUT/PATCH/DELETE received on an entity or /config endpoint, whatever its outcome. */
  writes: number;
  /** the subset of `writes` answered 2xx/3xx. */
  writesSucceeded: number;
  requests: number;
  byMethod: Record<string, number>;
  faults: Faults;
  /** entity counts per kind (+ consumer_group_members). */
  counts(): Record<string, number>;
  /** the enabled plugins (`GET /plugins/enabled`); delete one to disable it at run time. */
  readonly plugins: Set<string>;
  /** registers (and enables) a custom plugin schema, as a node with the plugin installed. */
  registerPlugin(
    name: string,
    schema: { fields: Record<string, unknown>[]; entity_checks?: unknown[] },
  ): void;
}

export interface KongSim {
  url: string;
  port: number;
  state: KongSimState;
  close(): Promise<void>;
}

const clock = { nowSeconds: () => Date.now() / 1000 };

function loadSeed(seed: KongSimOptions['seed']): Record<string, unknown> | undefined {
  if (seed === undefined) return undefined;
  if (typeof seed !== 'string') return seed;
  const parsed = parseYaml(readFileSync(seed, 'utf8'));
  if (!isObject(parsed)) throw new Error(`seed file ${seed} does not hold a declarative config object`);
  return parsed;
}

export async function startKongSim(opts: KongSimOptions = {}): Promise<KongSim> {
  const registry = buildRegistry(opts.edition ?? 'community');
  const registerPlugin: KongSimState['registerPlugin'] = (name, schema) => {
    const json = normaliseCustomSchema(schema as unknown as KongSchemaJson);
    registry.customPlugins.set(name, compilePlugin(name, json));
    registry.plugins.add(name);
  };
  if (opts.plugins) {
    registry.plugins.clear();
    for (const p of opts.plugins) registry.plugins.add(p);
  }
  for (const [name, schema] of Object.entries(opts.customPlugins ?? {})) registerPlugin(name, schema);
  const dbless = opts.dbless ?? false;
  const ctx: SimContext = {
    registry,
    dbless,
    dao: new Dao(new Store(registry), { dbless, clock }),
    configHash: '0'.repeat(32),
  };
  const seed = loadSeed(opts.seed);
  if (seed) {
    const result = loadDeclarative(registry, seed, clock, seed._transform !== false);
    if (result.failed.length > 0) {
      const f = result.failed[0]!;
      throw new Error(`seed rejected: ${f.kind} ${f.path.join('.')}: ${JSON.stringify(f.errors)}`);
    }
    ctx.dao = new Dao(result.store, { dbless, clock });
  }
  const faults = new Faults();
  faults.latencyMs = opts.latencyMs ?? 0;
  faults.failRate = opts.failRate ?? 0;
  faults.rateLimit = opts.rateLimit ?? 0;
  faults.dropRate = opts.dropRate ?? 0;
  const state: KongSimState = {
    get store() {
      return ctx.dao.store;
    },
    writes: 0,
    writesSucceeded: 0,
    requests: 0,
    byMethod: {},
    faults,
    counts() {
      return { ...ctx.dao.store.counts(), consumer_group_members: ctx.dao.store.memberCount() };
    },
    plugins: registry.plugins,
    registerPlugin,
  };
  const node = {
    version: opts.version ?? '3.9.3',
    nodeId: randomUUID(),
    edition: opts.edition ?? 'community',
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { message: 'An unexpected error occurred' });
      process.stderr.write(`kong-sim: ${String((err as Error)?.stack ?? err)}\n`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const method = req.method ?? 'GET';
    state.requests++;
    state.byMethod[method] = (state.byMethod[method] ?? 0) + 1;
    const url = new URL(req.url ?? '/', 'http://kong-sim');
    let raw = url.pathname.split('/').filter((s) => s !== '');
    const isEntityWrite =
      isWriteMethod(method) && !(raw.length === 0 || ['status', 'kong'].includes(raw.at(-1)!));
    if (isEntityWrite) state.writes++;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.shouldDrop() && (!faults.writesOnly || isEntityWrite)) {
      req.socket.destroy();
      return;
    }
    if (opts.token !== undefined && req.headers['kong-admin-token'] !== opts.token) {
      // Kong Enterprise RBAC (kong/api/api_helpers.lua wording)
      return send(res, 401, { message: 'Invalid credentials. Token or User credentials required' });
    }
    if (!faults.writesOnly || isEntityWrite) {
      const failure = faults.pick(Date.now());
      if (failure) return send(res, failure.status, failure.body, failure.headers);
    }
    if (opts.workspace !== undefined && !(raw.length === 1 && raw[0] === 'status')) {
      if (raw[0] !== opts.workspace && raw.length > 0) return send(res, 404, { message: 'Not found' });
      raw = raw.slice(1);
    }
    let body: Record<string, unknown> = {};
    if (rawBody.length > 0 && (req.headers['content-type'] ?? '').includes('json')) {
      try {
        const parsed = JSON.parse(rawBody);
        body = isObject(parsed) ? parsed : {};
      } catch {
        return send(res, 400, { message: 'Cannot parse JSON body' });
      }
    }
    const simReq: SimRequest = {
      method,
      segments: raw.map((s) => decodeURIComponent(s)),
      rawSegments: raw,
      query: url.searchParams,
      body,
      rawBody,
      contentType: String(req.headers['content-type'] ?? ''),
    };
    try {
      const reply = route(ctx, simReq, node, state.requests);
      if (isEntityWrite && reply.status < 400) state.writesSucceeded++;
      send(res, reply.status, reply.body, reply.headers);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      send(res, err.status, err.body, err.headers);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined || status === 204 || status === 304 ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': String(Buffer.byteLength(text)),
    Server: 'kong/3.9.3',
  });
  res.end(text);
}
