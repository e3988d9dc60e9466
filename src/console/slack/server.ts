import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs, readRaw, uploadedBytes } from './body.ts';
import { createSocketMode, type FakeSocketMode } from './socket.ts';
import type {
  FakeEphemeral,
  FakeFile,
  FakeMessage,
  FakeUser,
  RecordedCall,
  ResponseUrlPost,
} from './state.ts';
import { type Identity, type Reply, type ResponseContext, Workspace } from './workspace.ts';

export type { ResponseContext };

/** Extra HTTP routes served by the same server (the console's page); answers true when it handled one. */
export type ExtraRoutes = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;

export interface FakeSlackOptions {
  /** The bot token every Web API call must carry (default `xoxb-fake-snapgate`). */
  token?: string;
  users?: FakeUser[];
  /** User group id → member user ids */
  usergroups?: Record<string, string[]>;
  identity?: Partial<Identity>;
  /** 127.0.0.1 port; default 0 (a free one) */
  port?: number;
  routes?: ExtraRoutes;
  /** The app-level token `apps.connections.open` takes (default `xapp-1-fake-snapgate`). */
  appToken?: string;
  /** How long Socket Mode waits for an ack before delivering an envelope again (default 3000 ms). */
  socketAckTimeoutMs?: number;
}

export interface FakeSlack {
  /** Web API base URL ending in `/api/`: give it to WebClient/Bolt as `slackApiUrl`. */
  url: string;
  /** The server's origin, e.g. `http://127.0.0.1:41234` */
  origin: string;
  token: string;
  identity: Identity;
  /** Socket Mode: `apps.connections.open`, the WebSocket at `/link/`, envelopes and acks (socket.ts). */
  socket: FakeSocketMode;
  calls: RecordedCall[];
  /** Every message and reply in every channel, in post order, with updates applied. */
  messages: FakeMessage[];
  ephemerals: FakeEphemeral[];
  files: FakeFile[];
  /** Bodies POSTed to response URLs made by `responseUrl(id)`. */
  responses: ResponseUrlPost[];
  /** Everything the fake found wrong (invalid payloads, unknown threads, size mismatches). */
  problems: string[];
  users: Map<string, FakeUser>;
  usergroups: Map<string, string[]>;
  /** Top-level messages of a channel, oldest first. */
  channel(channel: string): FakeMessage[];
  /** Replies to the message `ts` in `channel`, oldest first. */
  thread(channel: string, ts: string): FakeMessage[];
  message(channel: string, ts: string): FakeMessage | undefined;
  callsTo(method: string): RecordedCall[];
  /**
   * A response_url for a slash command or click; posts to it land in `responses` with this id. With a
   * context they are also shown as Slack would (ephemeral, in channel, replacing or deleting a message).
   */
  responseUrl(id: string, context?: ResponseContext): string;
  /** The workspace model (its `listeners` get every change). */
  workspace: Workspace;
  /** The next `times` calls of `method` answer HTTP 429 with `Retry-After: retryAfterSec`. */
  inject429(method: string, retryAfterSec: number, times?: number): void;
  /** The next `times` calls of `method` answer `{ ok: false, error }`. */
  injectError(method: string, error: string, times?: number): void;
  /** The next `times` calls of `method` answer HTTP `status` (e.g. 500, 503) with an HTML error page. */
  injectHttpStatus(method: string, status: number, times?: number): void;
  /** Resolves with the predicate's first truthy value; rejects after `timeoutMs` with what was seen. */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Throws listing every problem, so a test fails loudly on a payload Slack would have refused. */
  assertNoProblems(): void;
  close(): Promise<void>;
}

/** Uses of one response_url Slack allows (5 within 30 minutes; node-slack-sdk interactive-messages docs). */
const RESPONSE_URL_USES = 5;

interface Injection {
  kind: '429' | 'error' | 'status';
  value: number | string;
  times: number;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const token = options.token ?? 'xoxb-fake-snapgate';
  const identity: Identity = {
    teamId: 'T0SNAPGATE',
    teamName: 'snapgate-test',
    botUserId: 'U0SNAPBOT',
    botId: 'B0SNAPBOT',
    ...options.identity,
  };
  let origin = '';
  const ws = new Workspace(identity, (id) => `${origin}/upload/v1/${id}`);
  for (const u of options.users ?? []) ws.users.set(u.id, u);
  for (const [id, members] of Object.entries(options.usergroups ?? {})) ws.usergroups.set(id, members);
  const calls: RecordedCall[] = [];
  const responses: ResponseUrlPost[] = [];
  const injections = new Map<string, Injection[]>();
  const contexts = new Map<string, ResponseContext>();
  const socket = createSocketMode(() => origin, {
    appToken: options.appToken ?? 'xapp-1-fake-snapgate',
    appId: 'A0SNAPGATE',
    ...(options.socketAckTimeoutMs !== undefined ? { ackTimeoutMs: options.socketAckTimeoutMs } : {}),
  });

  const takeInjection = (method: string): Injection | undefined => {
    const queue = injections.get(method);
    const next = queue?.[0];
    if (!next) return undefined;
    if (--next.times <= 0) queue.shift();
    return next;
  };

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  async function handleApi(method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = await parseArgs(req.headers['content-type'] ?? '', await readRaw(req));
    const at = Date.now();
    if ('invalid' in parsed) {
      calls.push({ method, body: {}, at, outcome: String(parsed.invalid) });
      return json(res, 200, { ok: false, error: parsed.invalid });
    }
    const { token: bodyToken, ...body } = parsed;
    const record = (outcome: string) => calls.push({ method, body, at, outcome });
    const injected = takeInjection(method);
    if (injected?.kind === '429') {
      record('429');
      return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(injected.value) });
    }
    if (injected?.kind === 'status') {
      record(String(injected.value));
      res.writeHead(Number(injected.value), { 'content-type': 'text/html' });
      res.end('<html><body>Slack is having trouble</body></html>');
      return;
    }
    const auth = req.headers.authorization;
    const given = auth?.startsWith('Bearer ')
      ? auth.slice(7)
      : typeof bodyToken === 'string'
        ? bodyToken
        : undefined;
    let reply: Reply;
    // apps.connections.open takes the app-level token only; every other method the bot token only
    const expected = method === 'apps.connections.open' ? socket.appToken : token;
    if (!given) reply = { ok: false, error: 'not_authed' };
    else if (given !== expected)
      reply = {
        ok: false,
        error: given === token || given === socket.appToken ? 'not_allowed_token_type' : 'invalid_auth',
      };
    else if (injected?.kind === 'error') reply = { ok: false, error: String(injected.value) };
    else if (method === 'apps.connections.open') reply = socket.connectionsOpen();
    else reply = ws.call(method, body);
    record(reply.ok ? 'ok' : reply.error);
    json(res, 200, reply);
  }

  async function handleUpload(fileId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bytes = await uploadedBytes(req.headers['content-type'] ?? '', await readRaw(req));
    const known = ws.receiveUpload(fileId, bytes);
    calls.push({
      method: 'upload',
      body: { file_id: fileId, bytes: bytes.length },
      at: Date.now(),
      outcome: known ? 'ok' : 'not_found',
    });
    res.writeHead(known ? 200 : 404, { 'content-type': 'text/plain' });
    res.end(known ? `OK - ${bytes.length}` : 'Not Found');
  }

  async function handleResponseUrl(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = await parseArgs(req.headers['content-type'] ?? 'application/json', await readRaw(req));
    if ('invalid' in parsed) return json(res, 400, { ok: false, error: parsed.invalid });
    if (responses.filter((r) => r.id === id).length >= RESPONSE_URL_USES) {
      ws.problem(`response_url ${id}: used more than ${RESPONSE_URL_USES} times`);
      return json(res, 404, { ok: false, error: 'used_url' });
    }
    responses.push({ id, body: parsed, at: Date.now() });
    if (parsed.delete_original !== true && parsed.delete_original !== 'true') {
      const refused = ws.refusal(`response_url ${id}`, parsed);
      if (refused) return json(res, 400, { ok: false, error: refused });
    }
    const context = contexts.get(id);
    if (context) ws.applyResponse(context, parsed);
    json(res, 200, { ok: true });
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (
      options.routes &&
      !path.startsWith('/api/') &&
      !path.startsWith('/upload/') &&
      !path.startsWith('/response/')
    ) {
      options.routes(req, res, path).then(
        (handled) => {
          if (!handled) json(res, 404, { ok: false, error: 'not_found' });
        },
        (err: unknown) => {
          ws.problem(`console crashed on ${path}: ${String(err)}`);
          if (!res.headersSent) json(res, 500, { ok: false, error: 'fatal_error' });
          else res.end();
        },
      );
      return;
    }
    const route =
      /^\/api\/([\w.]+)$/.exec(path) ??
      /^\/(upload)\/v1\/(\w+)$/.exec(path) ??
      /^\/(response)\/([\w.-]+)$/.exec(path);
    const handled =
      req.method !== 'POST' || !route
        ? Promise.resolve(json(res, 404, { ok: false, error: 'not_found' }))
        : route[1] === 'upload'
          ? handleUpload(route[2]!, req, res)
          : route[1] === 'response'
            ? handleResponseUrl(route[2]!, req, res)
            : handleApi(route[1]!, req, res);
    handled.catch((err: unknown) => {
      ws.problem(`fake-slack crashed on ${path}: ${String(err)}`);
      if (!res.headersSent) json(res, 500, { ok: false, error: 'fatal_error' });
    });
  });
  server.on('upgrade', (req, sock, head) => socket.handleUpgrade(req, sock, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/api/`,
    origin,
    token,
    identity,
    socket,
    calls,
    messages: ws.messages,
    ephemerals: ws.ephemerals,
    files: ws.files,
    responses,
    problems: ws.problems,
    users: ws.users,
    usergroups: ws.usergroups,
    channel: (channel) => ws.messages.filter((m) => m.channel === channel && !m.threadTs),
    thread: (channel, ts) => ws.messages.filter((m) => m.channel === channel && m.threadTs === ts),
    message: (channel, ts) => ws.message(channel, ts),
    callsTo: (method) => calls.filter((c) => c.method === method),
    responseUrl: (id, context) => {
      if (context) contexts.set(id, context);
      return `${origin}/response/${encodeURIComponent(id)}`;
    },
    workspace: ws,
    inject429: (method, retryAfterSec, times = 1) =>
      inject(injections, method, { kind: '429', value: retryAfterSec, times }),
    injectError: (method, error, times = 1) =>
      inject(injections, method, { kind: 'error', value: error, times }),
    injectHttpStatus: (method, status, times = 1) =>
      inject(injections, method, { kind: 'status', value: status, times }),
    waitFor: (predicate, timeoutMs = 5000) =>
      waitFor(predicate, timeoutMs, () => describe(calls, ws.problems)),
    assertNoProblems: () => {
      if (ws.problems.length)
        throw new Error(`fake Slack saw ${ws.problems.length} problem(s):\n${ws.problems.join('\n')}`);
    },
    close: async () => {
      await socket.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}

function inject(map: Map<string, Injection[]>, method: string, injection: Injection): void {
  map.set(method, [...(map.get(method) ?? []), injection]);
}

async function waitFor<T>(
  predicate: () => T | undefined | null | false,
  timeoutMs: number,
  seen: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`waitFor: condition not met within ${timeoutMs} ms; ${seen()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function describe(calls: RecordedCall[], problems: string[]): string {
  const last = calls.slice(-10).map((c) => `${c.method}→${c.outcome}`);
  return `last calls: [${last.join(', ')}]${problems.length ? `; problems: ${problems.join(' | ')}` : ''}`;
}
