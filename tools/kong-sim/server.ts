import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { Dao } from './dao.ts';
import { loadDeclarative } from './declarative-load.ts';
import { HttpError } from './errors.ts';
import { Faults } from './faults.ts';
import type { SimContext, SimReply, SimRequest } from './http-types.ts';
import { compilePlugin, type KongSchemaJson, normaliseCustomSchema } from './kong-schema.ts';
import {
  CONTROL_PLANE_GROUP,
  type ControlPlane,
  type ControlPlaneSpec,
  controlPlaneJson,
  controlPlaneOf,
  konnectError,
  listAllTargets,
  listControlPlanes,
  offeredOnKonnect,
  unauthorized,
} from './konnect.ts';
import { isWriteMethod, route } from './router.ts';
import { buildRegistry, type Edition } from './schema/index.ts';
import { Store } from './store.ts';
import { isObject } from './validate.ts';
import { type WorkspaceEntity, type WorkspaceHost, workspaceEntity, workspacesRoute } from './workspaces.ts';

/**
 * The simulator's HTTP front: auth, workspace prefix, fault injection, counters, JSON replies. A
 * simulator holds one or more cells, each a Kong configuration of its own: the one workspace, every
 * workspace of an Enterprise node (`workspaces`), or every control plane in Konnect mode (`konnect`).
 */

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
  /**
   * Enterprise with several workspaces (workspaces.ts): `default` (seeded by `seed`) plus these, each
   * with its own tables, `/workspaces` served, `/<ws>/...` routed to the workspace.
   */
  workspaces?: string[];
  /** declarative seeds for workspaces other than `default` */
  workspaceSeeds?: Record<string, Record<string, unknown> | string>;
  /** Konnect mode (konnect.ts): the regional API's control planes and their core entities. */
  konnect?: { token: string; controlPlanes: ControlPlaneSpec[] };
}

/** One cell's configuration and counters: a workspace, or a Konnect control plane. */
export interface CellState {
  name: string;
  id: string;
  readonly store: Store;
  /** POST/PUT/PATCH/DELETE received for this cell's entities */
  writes: number;
  writesSucceeded: number;
  counts(): Record<string, number>;
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
  /** GETs of `/schemas/...` by path, outside a workspace prefix (which schemas a client read, how often) */
  schemaReads: Record<string, number>;
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
  /**
   * every cell: workspaces by name, Konnect control planes by id (two may share a name); `store`/`counts`
   * above are the first one's
   */
  readonly cells: ReadonlyMap<string, CellState>;
  /** a workspace by name, a control plane by id or by its name when no other has it */
  cell(key: string): CellState;
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

interface Cell extends CellState {
  ctx: SimContext;
  /** Konnect: the control plane this cell is */
  controlPlane?: ControlPlane;
  /** Enterprise workspaces: the workspace entity */
  workspace?: WorkspaceEntity;
}

export async function startKongSim(opts: KongSimOptions = {}): Promise<KongSim> {
  const konnect = opts.konnect;
  const edition: Edition = opts.edition ?? (konnect ? 'enterprise' : 'community');
  const registry = buildRegistry(edition);
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
  const multiWorkspace = opts.workspaces !== undefined;
  if (multiWorkspace && (opts.workspace !== undefined || dbless || konnect)) {
    throw new Error('workspaces cannot be combined with workspace, dbless or konnect');
  }
  if (konnect && (opts.workspace !== undefined || dbless || opts.token !== undefined)) {
    throw new Error('konnect mode cannot be combined with workspace, dbless or token');
  }
  // Enterprise workspaces share one id space (store.ts); control planes are separate databases
  const owners = multiWorkspace ? new Map<string, Store>() : undefined;

  const newCell = (name: string, id: string, seedOpt: KongSimOptions['seed']): Cell => {
    const ctx: SimContext = {
      registry,
      dbless,
      dao: new Dao(new Store(registry), { dbless, clock }),
      configHash: '0'.repeat(32),
    };
    const seed = loadSeed(seedOpt);
    if (seed) {
      const result = loadDeclarative(registry, seed, clock, seed._transform !== false);
      if (result.failed.length > 0) {
        const f = result.failed[0]!;
        throw new Error(`seed rejected: ${f.kind} ${f.path.join('.')}: ${JSON.stringify(f.errors)}`);
      }
      ctx.dao = new Dao(result.store, { dbless, clock });
    }
    if (owners) {
      const store = ctx.dao.store;
      for (const kind of Object.keys(store.counts()))
        for (const rid of store.table(kind).rows.keys())
          if (owners.has(rid))
            throw new Error(`seed of workspace ${name}: id ${rid} is used by another workspace`);
      ctx.dao.store.shareIds(owners);
    }
    return {
      name,
      id,
      ctx,
      get store() {
        return ctx.dao.store;
      },
      writes: 0,
      writesSucceeded: 0,
      counts() {
        return { ...ctx.dao.store.counts(), consumer_group_members: ctx.dao.store.memberCount() };
      },
    };
  };

  const cells = new Map<string, Cell>();
  const now = new Date();
  if (konnect) {
    if (konnect.controlPlanes.length === 0) throw new Error('konnect mode needs at least one control plane');
    // keyed by id: Konnect's names are not a key (list-control-planes' `filter[name][eq]` answers a list,
    // and an organization may hold two control planes of one name, see konnect.ts)
    for (const spec of konnect.controlPlanes) {
      const cp = controlPlaneOf(spec, now);
      if (cells.has(cp.id)) throw new Error(`two control planes with id ${cp.id}`);
      cells.set(cp.id, { ...newCell(cp.name, cp.id, spec.seed), controlPlane: cp });
    }
  } else if (multiWorkspace) {
    const names = ['default', ...(opts.workspaces ?? []).filter((w) => w !== 'default')];
    for (const name of names) {
      const ws = workspaceEntity(name, clock.nowSeconds());
      const cell = newCell(name, ws.id, name === 'default' ? opts.seed : opts.workspaceSeeds?.[name]);
      cells.set(name, Object.assign(cell, { workspace: ws }));
    }
  } else {
    const name = opts.workspace ?? 'default';
    cells.set(name, newCell(name, randomUUID(), opts.seed));
  }
  const first = (): Cell => cells.values().next().value as Cell;

  const workspaceHost: WorkspaceHost = {
    all: () => [...cells.values()].flatMap((c) => (c.workspace ? [c.workspace] : [])),
    find: (key) =>
      [...cells.values()].find((c) => c.workspace && (c.workspace.id === key || c.workspace.name === key))
        ?.workspace,
    add(ws) {
      cells.set(ws.name, Object.assign(newCell(ws.name, ws.id, undefined), { workspace: ws }));
    },
    remove(name) {
      cells.delete(name);
    },
    entityCount: (name) => cells.get(name)?.store.total() ?? 0,
  };

  const faults = new Faults();
  faults.latencyMs = opts.latencyMs ?? 0;
  faults.failRate = opts.failRate ?? 0;
  faults.rateLimit = opts.rateLimit ?? 0;
  faults.dropRate = opts.dropRate ?? 0;
  const state: KongSimState = {
    get store() {
      return first().store;
    },
    writes: 0,
    writesSucceeded: 0,
    requests: 0,
    byMethod: {},
    schemaReads: {},
    faults,
    counts() {
      return first().counts();
    },
    plugins: registry.plugins,
    registerPlugin,
    cells,
    cell(key) {
      const c = cells.get(key);
      if (c) return c;
      // Konnect: cells are keyed by id; a name finds its control plane when only one has it
      const named = konnect ? [...cells.values()].filter((cell) => cell.name === key) : [];
      if (named.length > 1) {
        throw new Error(`kong-sim has ${named.length} control planes named ${key}: ask for one by id`);
      }
      if (!named[0]) throw new Error(`kong-sim has no workspace or control plane named ${key}`);
      return named[0];
    },
  };
  const node = {
    version: opts.version ?? '3.9.3',
    nodeId: randomUUID(),
    edition,
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { message: 'An unexpected error occurred' });
      process.stderr.write(`kong-sim: ${String((err as Error)?.stack ?? err)}\n`);
    });
  });

  /**
   * The cell a request is for and the Admin API path inside it, or a reply of its own (Konnect's
   * control-planes API, Enterprise `/workspaces`).
   */
  function locate(
    method: string,
    raw: string[],
    query: URLSearchParams,
  ): { cell: Cell; raw: string[] } | { reply: SimReply } | { workspaces: string[] } {
    if (konnect) {
      if (raw[0] !== 'v2' || raw[1] !== 'control-planes') throw konnectError(404, 'Not Found', 'Not found');
      const cps = [...cells.values()].map((c) => c.controlPlane!);
      if (raw.length === 2 && method === 'GET') return { reply: listControlPlanes(cps, query) };
      const cell = cells.get(raw[2]!);
      if (!cell) throw konnectError(404, 'Not Found', 'ControlPlane not found');
      if (raw.length === 3 && method === 'GET')
        return { reply: { status: 200, body: controlPlaneJson(cell.controlPlane!) } };
      if (raw[3] !== 'core-entities') throw konnectError(404, 'Not Found', 'Not found');
      const inner = raw.slice(4);
      if (!offeredOnKonnect(inner.map((s) => decodeURIComponent(s)))) {
        throw new HttpError(404, { message: 'Not found' });
      }
      if (isWriteMethod(method) && cell.controlPlane!.clusterType === CONTROL_PLANE_GROUP) {
        // a control plane group's configuration is the union of its members' (read-only)
        throw new HttpError(400, {
          message: 'control plane groups are read-only: write to a member control plane',
        });
      }
      if (inner.length === 1 && inner[0] === 'targets' && method === 'GET') {
        return { reply: listAllTargets(cell.store, query) };
      }
      return { cell, raw: inner };
    }
    if (multiWorkspace) {
      let cell = cells.get('default')!;
      let inner = raw;
      const named = raw.length > 0 ? cells.get(decodeURIComponent(raw[0]!)) : undefined;
      if (named) {
        cell = named;
        inner = raw.slice(1);
      }
      if (inner[0] === 'workspaces') return { workspaces: inner };
      return { cell, raw: inner };
    }
    const cell = first();
    if (opts.workspace !== undefined && !(raw.length === 1 && raw[0] === 'status')) {
      if (raw[0] !== opts.workspace && raw.length > 0) throw new HttpError(404, { message: 'Not found' });
      return { cell, raw: raw.slice(1) };
    }
    return { cell, raw };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const method = req.method ?? 'GET';
    state.requests++;
    state.byMethod[method] = (state.byMethod[method] ?? 0) + 1;
    const url = new URL(req.url ?? '/', 'http://kong-sim');
    const raw = url.pathname.split('/').filter((s) => s !== '');
    if (method === 'GET' && raw[0] === 'schemas') {
      state.schemaReads[url.pathname] = (state.schemaReads[url.pathname] ?? 0) + 1;
    }
    const isEntityWrite =
      isWriteMethod(method) && !(raw.length === 0 || ['status', 'kong'].includes(raw.at(-1)!));
    if (isEntityWrite) state.writes++;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.shouldDrop() && (!faults.writesOnly || isEntityWrite)) {
      req.socket.destroy();
      return;
    }
    if (konnect && req.headers.authorization !== `Bearer ${konnect.token}`) {
      const e = unauthorized(raw[3] === 'core-entities');
      return send(res, e.status, e.body);
    }
    if (opts.token !== undefined && req.headers['kong-admin-token'] !== opts.token) {
      // Kong Enterprise RBAC (kong/api/api_helpers.lua wording)
      return send(res, 401, { message: 'Invalid credentials. Token or User credentials required' });
    }
    if (!faults.writesOnly || isEntityWrite) {
      const failure = faults.pick(Date.now());
      if (failure) return send(res, failure.status, failure.body, failure.headers);
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
    let cell: Cell | undefined;
    try {
      const located = locate(method, raw, url.searchParams);
      const simReq = (segments: string[]): SimRequest => ({
        method,
        segments: segments.map((s) => decodeURIComponent(s)),
        rawSegments: segments,
        query: url.searchParams,
        body,
        rawBody,
        contentType: String(req.headers['content-type'] ?? ''),
      });
      if (!('cell' in located)) {
        const reply =
          'reply' in located
            ? located.reply
            : workspacesRoute(workspaceHost, simReq(located.workspaces), clock.nowSeconds());
        if (isEntityWrite && reply.status < 400) state.writesSucceeded++;
        return send(res, reply.status, reply.body, reply.headers);
      }
      cell = located.cell;
      if (isEntityWrite) cell.writes++;
      // Konnect's basic-auth `skip_hash`: the password is stored as sent (not a field Kong OSS knows)
      const skipHash = Boolean(konnect) && body.skip_hash === true;
      if (konnect && 'skip_hash' in body) {
        body = { ...body };
        delete body.skip_hash;
      }
      cell.ctx.dao.skipHash = skipHash;
      let reply: SimReply;
      try {
        reply = route(cell.ctx, simReq(located.raw), node, state.requests);
      } finally {
        cell.ctx.dao.skipHash = false;
      }
      if (isEntityWrite && reply.status < 400) {
        state.writesSucceeded++;
        cell.writesSucceeded++;
      }
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
