/**
 * How the client's requests reach the gateway. Two transports, one contract (`Transport`): the client
 * (client.ts) builds the path, the JSON body and the headers, a transport sends them once and hands back
 * status, headers and the body text; retries, errors and JSON stay in the client.
 *
 * - `nodeTransport` (default): one `node:http(s).request` per call on the client's keep-alive agents.
 * - `axiosTransport`: an axios instance on the same agents. axios honours `HTTP(S)_PROXY`, so the client
 *   picks it when a proxy variable is set (or when asked, `transport: 'axios'`).
 *
 * Why not axios for everything: a full restore of a 100k-entity gateway is ~150k requests, and axios's
 * per-request machinery (merging the instance config, header objects, interceptor chain, its Node adapter's
 * redirect/proxy/decompression layers) measured ~0.05 ms of CPU per call before any I/O on our benchmark
 * machine, ~0.13 ms with its adapter — more than node:http's whole cost for the same PUT, and
 * the apply is bound by the client's CPU (docs/benchmarks.md, bench:kong). Same requests, same answers.
 */
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';

export interface TransportRequest {
  method: string;
  /** path and query, already encoded, starting with `/`. */
  path: string;
  /** the JSON body, serialized. */
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface TransportResponse {
  status: number;
  /** lower-case names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface Transport {
  /** Sends once. Network failures reject with node's error (`code`: ECONNRESET, ETIMEDOUT, …). */
  send(req: TransportRequest): Promise<TransportResponse>;
}

export interface TransportOptions {
  /** base URL without a trailing slash (may carry a path prefix, e.g. behind a reverse proxy). */
  baseUrl: string;
  /** headers sent on every request (Accept, the admin token). */
  headers: Record<string, string>;
  /** deadline per request: no complete answer within this many ms is an ETIMEDOUT failure. */
  timeoutMs: number;
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

/** `code` as node's own network errors carry it, so the client's retry rules read both alike. */
function codedError(message: string, code: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/**
 * One request's settlement: the first of answer, error, deadline or abort wins. A class, not closures per
 * request: the apply sends ~150k of these, and named per-request closures cost measurable CPU.
 */
class Exchange {
  #settled = false;
  #timer: NodeJS.Timeout | undefined;
  #onAbort: (() => void) | undefined;

  constructor(
    readonly resolve: (res: TransportResponse) => void,
    readonly reject: (err: Error) => void,
    readonly signal: AbortSignal | undefined,
  ) {}

  /** Arms the deadline (the whole exchange, as axios's `timeout`) and the abort signal. */
  watch(req: http.ClientRequest, timeoutMs: number): void {
    this.#timer = setTimeout(() => {
      req.destroy();
      this.fail(codedError(`no answer within ${timeoutMs} ms`, 'ETIMEDOUT'));
    }, timeoutMs);
    if (this.signal) {
      this.#onAbort = () => {
        req.destroy();
        this.fail(codedError('request aborted', 'ERR_CANCELED'));
      };
      this.signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  fail(err: Error): void {
    if (this.#end()) this.reject(err);
  }

  answer(res: http.IncomingMessage, chunks: Buffer[]): void {
    if (!this.#end()) return;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    this.resolve(new NodeResponse(res, body.toString('utf8')));
  }

  /** true for the first caller only. */
  #end(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#timer);
    if (this.#onAbort) this.signal?.removeEventListener('abort', this.#onAbort);
    return true;
  }
}

/** node's response headers are built on first read; most answers are never asked for them. */
class NodeResponse implements TransportResponse {
  constructor(
    readonly res: http.IncomingMessage,
    readonly text: string,
  ) {}
  get status(): number {
    return this.res.statusCode ?? 0;
  }
  get headers(): Record<string, string | string[] | undefined> {
    return this.res.headers;
  }
}

export function nodeTransport(opts: TransportOptions): Transport {
  const base = new URL(opts.baseUrl);
  const secure = base.protocol === 'https:';
  const send = secure ? https.request : http.request;
  const agent = secure ? opts.httpsAgent : opts.httpAgent;
  const hostname = base.hostname.replace(/^\[|\]$/g, '');
  const port = base.port || (secure ? 443 : 80);
  const prefix = base.pathname.replace(/\/$/, '');
  const withBody = { ...opts.headers, 'Content-Type': 'application/json' };

  return {
    send: (r) =>
      new Promise<TransportResponse>((resolve, reject) => {
        if (r.signal?.aborted) {
          reject(codedError('request aborted', 'ERR_CANCELED'));
          return;
        }
        const exchange = new Exchange(resolve, reject, r.signal);
        const req = send(
          {
            agent,
            protocol: base.protocol,
            hostname,
            port,
            method: r.method,
            path: `${prefix}${r.path}`,
            headers:
              r.body === undefined
                ? opts.headers
                : { ...withBody, 'Content-Length': String(Buffer.byteLength(r.body)) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', (err) => exchange.fail(err));
            res.on('aborted', () =>
              exchange.fail(codedError('the connection closed mid-answer', 'ECONNRESET')),
            );
            res.on('end', () => exchange.answer(res, chunks));
          },
        );
        exchange.watch(req, opts.timeoutMs);
        req.on('error', (err) => exchange.fail(err));
        req.end(r.body);
      }),
  };
}

export function axiosTransport(opts: TransportOptions): Transport {
  const ax: AxiosInstance = axios.create({
    baseURL: opts.baseUrl,
    httpAgent: opts.httpAgent,
    httpsAgent: opts.httpsAgent,
    maxRedirects: 0, // a redirect could carry the token to another host
    maxBodyLength: Number.POSITIVE_INFINITY,
    maxContentLength: Number.POSITIVE_INFINITY,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    headers: opts.headers,
  });
  return {
    async send(r) {
      // axios's own `timeout` is an idle timeout in its Node adapter; the contract is a deadline
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), opts.timeoutMs);
      try {
        const res = await ax.request<string>({
          method: r.method,
          url: r.path,
          ...(r.body === undefined ? {} : { data: r.body, headers: { 'Content-Type': 'application/json' } }),
          signal: r.signal ? AbortSignal.any([r.signal, deadline.signal]) : deadline.signal,
        });
        return {
          status: res.status,
          headers: Object.fromEntries(
            Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), v as string | string[]]),
          ),
          text: typeof res.data === 'string' ? res.data : String(res.data ?? ''),
        };
      } catch (err) {
        if (deadline.signal.aborted && !r.signal?.aborted)
          throw codedError(`no answer within ${opts.timeoutMs} ms`, 'ETIMEDOUT');
        // axios wraps node's error; hand the client node's code
        const e = err as { code?: string; cause?: { code?: string }; message?: string };
        const code = e.cause?.code ?? (e.code === 'ECONNABORTED' ? 'ETIMEDOUT' : e.code) ?? 'ERR_NETWORK';
        throw codedError(e.message ?? 'network error', code);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
