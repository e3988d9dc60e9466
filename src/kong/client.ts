/**
 * The Kong Admin API client: one per gateway, keep-alive agents, the admin token header, an optional
 * workspace prefix, per-request timeouts and bounded retries (see retry.ts), JSON in and out. The wire is
 * a transport (transport.ts: node:http by default, axios when a proxy is configured). Errors come out
 * typed (errors.ts). The token lives only in the transport's header object: it is never part of an
 * error, a retry notice or `toJSON()`.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import {
  describeNetworkError,
  KongAbortedError,
  KongApiError,
  KongAuthError,
  KongUnreachableError,
} from './errors.ts';
import { RateGate } from './rate-gate.ts';
import {
  attemptsAllowed,
  backoffMs,
  DEFAULT_RETRY_POLICY,
  type Failure,
  parseRetryAfter,
  type RetryPolicy,
} from './retry.ts';
import { axiosTransport, nodeTransport, type TransportResponse } from './transport.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type KongFlavour = 'kong' | 'konnect';

export interface KongTlsOptions {
  /** PEM file with the CA that signed the Admin API's certificate. */
  caFile?: string;
  /** PEM client certificate and key for mutual TLS. */
  certFile?: string;
  keyFile?: string;
  /** skip certificate verification; an explicit opt-in for lab gateways only. */
  insecure?: boolean;
}

export interface KongClientOptions {
  /** Admin API base URL, e.g. `http://127.0.0.1:8001`. */
  url: string;
  token?: string | undefined;
  workspace?: string | null | undefined;
  /**
   * Which API answers: `kong` (a self-hosted Admin API, the default) or `konnect` (a Konnect control
   * plane's core-entities API: no `GET /`, `/status` or `/config`, a top-level `/targets`; see konnect.ts).
   */
  flavour?: KongFlavour;
  /**
   * A path every entity request is under (Konnect: `/v2/control-planes/{id}/core-entities`); `root`
   * requests are not. The workspace prefix, if any, follows it.
   */
  basePath?: string;
  /** `Authorization: Bearer <token>` instead of `Kong-Admin-Token` (Konnect's personal and system tokens). */
  bearerToken?: string | undefined;
  /** per-request timeout; big `size=1000` pages need more than decK's 10 s. */
  timeoutMs?: number;
  tls?: KongTlsOptions;
  /** sockets kept open per host: size it to the apply/dump parallelism. */
  maxSockets?: number;
  retry?: Partial<RetryPolicy>;
  /**
   * `node` (node:http, the default) or `axios` (the default when HTTP(S)_PROXY is set: axios honours
   * it). Same requests and answers; see transport.ts for why there are two.
   */
  transport?: 'node' | 'axios';
  /** injected for tests: the wait between retries, the jitter source and the clock for HTTP dates. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (info: RetryNotice) => void;
}

export interface RetryNotice {
  method: HttpMethod;
  path: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** skip the workspace prefix (gateway-wide endpoints such as `/status`). */
  root?: boolean;
  /** statuses ≥ 400 the caller handles itself instead of getting a KongApiError. */
  allowStatus?: readonly number[];
}

export interface KongResponse<T = unknown> {
  status: number;
  data: T;
  headers: Record<string, unknown>;
}

export interface ListOptions<T = Record<string, unknown>> {
  size?: number;
  tags?: string;
  signal?: AbortSignal;
  onPage?: (fetched: number) => void;
  /**
   * Take each page's rows as it arrives instead of collecting them: `listAll` then returns an empty
   * array. A dump of 100k+ entities transforms rows page by page, so the raw page objects die young
   * instead of being promoted to the old generation along with the copies.
   */
  onRows?: (rows: T[]) => void;
}

export interface KongClient {
  /** base URL without credentials, for messages. */
  readonly baseUrl: string;
  readonly workspace: string | null;
  readonly flavour: KongFlavour;
  request<T = unknown>(method: HttpMethod, path: string, opts?: RequestOptions): Promise<KongResponse<T>>;
  get<T = unknown>(path: string, opts?: RequestOptions): Promise<T>;
  /** every row of a paged collection, following Kong's `offset` with our own `size`. */
  listAll<T = Record<string, unknown>>(path: string, opts?: ListOptions<T>): Promise<T[]>;
  close(): void;
  toJSON(): { baseUrl: string; workspace: string | null; authenticated: boolean };
}

/** A retry's wait; it ends as soon as the caller's signal fires (the loop then throws KongAbortedError). */
function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, signal?.aborted ? 0 : ms);
    signal?.addEventListener('abort', finish, { once: true });
  });
}

/** Resolves after pending ticks and I/O callbacks have run (a request just made has been written). */
function afterIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Percent-encode one path segment (names may hold characters that are special in URLs). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/** `?a=1&b=x`, undefined values left out. */
export function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  let out = '';
  for (const key in query) {
    const value = query[key];
    if (value === undefined) continue;
    out += `${out ? '&' : '?'}${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
  }
  return out;
}

/** Kong answers JSON; anything else (a proxy's HTML error page) stays text for the error message. */
function parseBody(text: string): unknown {
  if (text.length === 0) return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A response whose body is parsed when first read: an apply's ~150k successful PUTs never look at the
 * echoed entity, and parsing it anyway cost ~5% of a full apply's CPU.
 */
class ParsedLater implements KongResponse<unknown> {
  readonly status: number;
  readonly #res: TransportResponse;
  #text: string | null;
  #data: unknown;

  constructor(res: TransportResponse) {
    this.status = res.status;
    this.#res = res;
    this.#text = res.text;
  }

  /** read on demand: node builds the header object on first access, and most answers never need it */
  get headers(): Record<string, unknown> {
    return this.#res.headers;
  }

  get data(): unknown {
    if (this.#text !== null) {
      this.#data = parseBody(this.#text);
      this.#text = null;
    }
    return this.#data;
  }
}

function basicCredentials(u: URL): string {
  const text = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  return Buffer.from(text).toString('base64');
}

function displayUrl(raw: string): string {
  const u = new URL(raw);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
}

function hasProxyEnv(): boolean {
  return ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'].some((v) => Boolean(process.env[v]));
}

function buildAgents(opts: KongClientOptions): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const maxSockets = Math.max(1, opts.maxSockets ?? 16);
  const tls = opts.tls ?? {};
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    maxSockets,
    rejectUnauthorized: tls.insecure !== true,
    ...(tls.caFile ? { ca: readFileSync(tls.caFile) } : {}),
    ...(tls.certFile ? { cert: readFileSync(tls.certFile) } : {}),
    ...(tls.keyFile ? { key: readFileSync(tls.keyFile) } : {}),
  });
  return { httpAgent, httpsAgent };
}

export function createKongClient(opts: KongClientOptions): KongClient {
  let parsed: URL;
  try {
    parsed = new URL(opts.url);
  } catch {
    throw new Error(`invalid Kong Admin API URL: ${JSON.stringify(opts.url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Kong Admin API URL must be http(s): ${displayUrl(opts.url)}`);
  }
  const baseUrl = displayUrl(opts.url);
  const workspace = opts.workspace ? opts.workspace : null;
  const flavour: KongFlavour = opts.flavour ?? 'kong';
  const prefix = `${(opts.basePath ?? '').replace(/\/+$/, '')}${workspace ? `/${seg(workspace)}` : ''}`;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
  const sleep = opts.sleep ?? sleepReal;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const { httpAgent, httpsAgent } = buildAgents(opts);
  // one Retry-After pause and one pace for all of this client's requests (rate-gate.ts)
  const gate = new RateGate({ now, sleep, random });

  const headers: Record<string, string> = {
    Accept: 'application/json',
    // uncompressed: the Admin API sits on a private network and a 150k-request run is CPU-bound on both ends
    'Accept-Encoding': 'identity',
    'User-Agent': 'snapgate',
    ...(opts.token ? { 'Kong-Admin-Token': opts.token } : {}),
    ...(opts.bearerToken ? { Authorization: `Bearer ${opts.bearerToken}` } : {}),
    // credentials in the URL (an Admin API behind a basic-auth proxy) become the header, not part of
    // the URL the transports see
    ...(parsed.username || parsed.password ? { Authorization: `Basic ${basicCredentials(parsed)}` } : {}),
  };
  const transportOpts = { baseUrl: baseUrl, headers, timeoutMs, httpAgent, httpsAgent };
  const transport =
    (opts.transport ?? (hasProxyEnv() ? 'axios' : 'node')) === 'axios'
      ? axiosTransport(transportOpts)
      : nodeTransport(transportOpts);

  async function once(
    method: HttpMethod,
    url: string,
    ro: RequestOptions,
  ): Promise<KongResponse<unknown> | Failure> {
    let res: TransportResponse;
    try {
      res = await transport.send({
        method,
        path: `${url}${queryString(ro.query)}`,
        body: ro.body === undefined ? undefined : JSON.stringify(ro.body),
        signal: ro.signal,
      });
    } catch (err) {
      if (ro.signal?.aborted) throw new KongAbortedError(method, url);
      const errno = (err as { code?: string }).code;
      return { type: 'network', errno, timedOut: errno === 'ETIMEDOUT' };
    }
    return new ParsedLater(res);
  }

  async function request<T>(
    method: HttpMethod,
    path: string,
    ro: RequestOptions = {},
  ): Promise<KongResponse<T>> {
    const url = ro.root ? path : `${prefix}${path}`;
    for (let attempt = 1; ; attempt++) {
      if (ro.signal?.aborted) throw new KongAbortedError(method, url);
      await gate.admit(ro.signal);
      if (ro.signal?.aborted) throw new KongAbortedError(method, url);
      const res = await once(method, url, ro);
      if (!('type' in res) && res.status !== 429) gate.answered();
      const failure: Failure | null =
        'type' in res
          ? res
          : res.status === 429 || res.status >= 500
            ? { type: 'status', status: res.status }
            : null;
      if (!failure) {
        const r = res as KongResponse<unknown>;
        if (r.status >= 400 && !ro.allowStatus?.includes(r.status)) {
          const init = { status: r.status, method, path: url, body: r.data };
          if (r.status === 401 || (r.status === 403 && path === '/')) throw new KongAuthError(init);
          throw new KongApiError(init);
        }
        return r as KongResponse<T>;
      }
      if (attempt >= attemptsAllowed(failure, policy)) {
        if (failure.type === 'status') {
          const r = res as KongResponse<unknown>;
          throw new KongApiError({ status: r.status, method, path: url, body: r.data });
        }
        const reason = failure.timedOut
          ? `no answer within ${timeoutMs} ms`
          : describeNetworkError(failure.errno, 'network error');
        throw new KongUnreachableError({ baseUrl, reason, errno: failure.errno, method, path: url });
      }
      const retryAfter =
        failure.type === 'status'
          ? parseRetryAfter(
              (res as KongResponse<unknown>).headers['retry-after'],
              now(),
              policy.maxRetryAfterMs,
            )
          : undefined;
      const delayMs = retryAfter ?? backoffMs(attempt - 1, policy, random);
      const reason = failure.type === 'status' ? `HTTP ${failure.status}` : (failure.errno ?? 'timeout');
      opts.onRetry?.({ method, path: url, attempt, delayMs, reason });
      // a rate limit (or a server asking for time) pauses every request of this client, and the retries
      // come back paced and jittered through the gate; other failures back off on their own
      const rateLimited = failure.type === 'status' && (failure.status === 429 || retryAfter !== undefined);
      if (rateLimited) gate.throttled(delayMs);
      else await sleep(delayMs, ro.signal);
    }
  }

  async function listAll<T>(path: string, lo: ListOptions<T> = {}): Promise<T[]> {
    const size = lo.size ?? 1000;
    const out: T[] = [];
    let fetched = 0;
    // Build each page's URL ourselves: Kong's `next` for nested collections drops `size` and `tags`
    // (kong/api/endpoints.lua), so following it would silently fall back to pages of 100.
    type Page = KongResponse<{ data?: T[]; offset?: string | null }>;
    const pageAt = (offset: string | undefined): Promise<Page> =>
      request<{ data?: T[]; offset?: string | null }>('GET', path, {
        query: { size, tags: lo.tags, offset },
        ...(lo.signal ? { signal: lo.signal } : {}),
      });
    let next: Promise<Page> | undefined = pageAt(undefined);
    while (next) {
      const page: Page = await next;
      const data = page.data?.data;
      if (!Array.isArray(data)) {
        throw new KongApiError({
          status: page.status,
          method: 'GET',
          path,
          body: { message: 'response has no data array' },
        });
      }
      const offset: string | undefined =
        typeof page.data.offset === 'string' && page.data.offset.length > 0 ? page.data.offset : undefined;
      // One collection's pages are a chain of round trips: the next page is asked for before this one's
      // rows are handled, and the rows wait until node has written that request (it does so on the next
      // tick), so the caller's work on a page overlaps the server's on the next one instead of adding to
      // every link of the chain. Still one request in flight per list; the rows keep their page order.
      next = offset === undefined ? undefined : pageAt(offset);
      if (next && lo.onRows) {
        next.catch(() => {}); // handled by the await above on the next turn; not an unhandled rejection meanwhile
        await afterIo();
      }
      fetched += data.length;
      if (lo.onRows) lo.onRows(data);
      else for (const row of data) out.push(row);
      lo.onPage?.(fetched);
    }
    return out;
  }

  return {
    baseUrl,
    workspace,
    flavour,
    request,
    get: async <T>(path: string, ro?: RequestOptions) => (await request<T>('GET', path, ro)).data,
    listAll,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
    toJSON: () => ({ baseUrl, workspace, authenticated: Boolean(opts.token || opts.bearerToken) }),
  };
}
