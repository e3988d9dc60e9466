/**
 * The simulator's ceiling for the Kong bench: the same GETs and PUTs snapgate makes, sent with plain
 * `node:http` (keep-alive agent, same concurrency), no snapgate code on the path. Only the JSON needed
 * to walk the pages (offset, upstream ids) is read.
 */
import http from 'node:http';

export interface RawTarget {
  host: string;
  port: number;
}

export function rawTarget(url: string): RawTarget {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

export interface RawOptions {
  /** a path before every request (Konnect: `/v2/control-planes/{id}/core-entities`) */
  prefix?: string;
  /** headers on every request (Konnect: the bearer token) */
  headers?: Record<string, string>;
  /** targets from one top-level `/targets` list (Konnect) instead of per upstream */
  topLevelTargets?: boolean;
}

function send(
  agent: http.Agent,
  t: RawTarget & RawOptions,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: t.host,
        port: t.port,
        method,
        path: `${t.prefix ?? ''}${path}`,
        headers: {
          ...t.headers,
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, Math.max(1, items.length)) }, worker));
}

/** Page one collection with size=1000 to its end; returns the rows' ids. */
async function pageAll(agent: http.Agent, t: RawTarget & RawOptions, path: string): Promise<string[]> {
  const ids: string[] = [];
  let offset: string | undefined;
  do {
    const q = `size=1000${offset ? `&offset=${encodeURIComponent(offset)}` : ''}`;
    const res = await send(agent, t, 'GET', `${path}?${q}`);
    if (res.status !== 200) return ids;
    const page = JSON.parse(res.text) as { data: { id: string }[]; offset?: string };
    for (const row of page.data) ids.push(row.id);
    offset = page.offset ?? undefined;
  } while (offset);
  return ids;
}

/** The same walk a dump makes: every collection, then targets per upstream, `parallelism` in flight. */
export async function rawList(
  url: string,
  collections: readonly string[],
  parallelism: number,
  options: RawOptions = {},
): Promise<void> {
  const t = { ...rawTarget(url), ...options };
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallelism });
  if (options.topLevelTargets) {
    await pool(
      [...collections, '/targets'],
      parallelism,
      async (path) => void (await pageAll(agent, t, path)),
    );
    agent.destroy();
    return;
  }
  let upstreamIds: string[] = [];
  await pool(collections, parallelism, async (path) => {
    const ids = await pageAll(agent, t, path);
    if (path === '/upstreams') upstreamIds = ids;
  });
  await pool(upstreamIds, parallelism, async (id) => {
    await pageAll(agent, t, `/upstreams/${id}/targets`);
  });
  agent.destroy();
}

export interface RawWrite {
  method: 'PUT' | 'POST';
  path: string;
  body: unknown;
}

/** Send each batch's writes (serialising bodies on the way, as a client must), batches in order. */
export async function rawWrites(
  url: string,
  batches: readonly RawWrite[][],
  parallelism: number,
): Promise<number> {
  const t = rawTarget(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallelism });
  let failures = 0;
  for (const batch of batches) {
    await pool(batch, parallelism, async (w) => {
      const res = await send(agent, t, w.method, w.path, JSON.stringify(w.body));
      if (res.status >= 300) failures++;
    });
  }
  agent.destroy();
  return failures;
}
