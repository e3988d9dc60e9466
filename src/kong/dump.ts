/**
 * Live gateway → Snapshot. DB mode pages every collection with `size=1000` (the Admin API maximum,
 * kong/api/endpoints.lua; decK does the same), many collections at once under one concurrency bound.
 * Nested-only kinds need their parents first: targets are listed per upstream
 * (`/upstreams/{u}/targets`, top-level /targets is disabled in kong/api/routes/targets.lua), consumer-group
 * members per group (`/consumer_groups/{g}/consumers`). DB-less gateways are read with one `GET /config`
 * (kong/api/routes/config.lua) and parsed as Kong's flat declarative format.
 */

import { fromDeckFile } from '../core/deck/index.ts';
import {
  buildSnapshot,
  CATALOGUE,
  ENTITY_KINDS,
  type Entity,
  type EntityKind,
  type EntityMap,
  kindsOfSection,
  memberId,
  type Section,
  type Snapshot,
  type SnapshotMeta,
  stripServerFields,
} from '../core/index.ts';
import { type KongClient, seg } from './client.ts';
import { describeGateway, type GatewayInfo } from './describe.ts';
import { KongApiError } from './errors.ts';
import { Semaphore } from './pool.ts';

export interface DumpProgress {
  kind: EntityKind;
  /** entities of this kind fetched so far. */
  fetched: number;
  /** true once the kind is complete. */
  done: boolean;
  /** the gateway does not offer this kind (Enterprise-only endpoint on OSS, older Kong). */
  skipped?: boolean;
}

export interface DumpOptions {
  only?: readonly Section[] | null;
  /** list requests in flight at once (default 8). */
  parallelism?: number;
  onProgress?: (p: DumpProgress) => void;
  /**
   * Called once per kind with its final map as soon as that kind is complete, while other kinds may
   * still be listed: a backup serializes finished kinds during the dump instead of after it.
   */
  onKind?: (kind: EntityKind, map: EntityMap) => void;
  /** ISO-8601 time recorded in the snapshot (default: now). */
  takenAt?: string;
  /** from an earlier `describeGateway`, to avoid a second (slow) `GET /`. */
  gateway?: GatewayInfo;
  signal?: AbortSignal;
}

/**
 * Kinds a gateway may legitimately not have: 404 means "no such endpoint here" (Enterprise-only kinds on
 * OSS, key sets before 3.1, filter chains without WASM). Core kinds answering 404 is a real error.
 */
const OPTIONAL_KINDS = new Set<EntityKind>(['vaults', 'key_sets', 'keys', 'filter_chains']);

function tolerated(kind: EntityKind, err: unknown): boolean {
  if (!(err instanceof KongApiError)) return false;
  const enterprise = CATALOGUE[kind].enterprise;
  // 403 only for Enterprise kinds: on core kinds it means the token may not read them, and a backup
  // silently missing services would be worse than a failed one.
  if (err.status === 403) return enterprise;
  return err.status === 404 && (enterprise || OPTIONAL_KINDS.has(kind));
}

export function kindsFor(only: readonly Section[] | null | undefined): EntityKind[] {
  if (!only || only.length === 0) return [...ENTITY_KINDS];
  const wanted = new Set(only.flatMap((s) => kindsOfSection(s)));
  return ENTITY_KINDS.filter((k) => wanted.has(k));
}

export async function dumpGateway(client: KongClient, opts: DumpOptions = {}): Promise<Snapshot> {
  const gateway = opts.gateway ?? (await describeGateway(client));
  const meta: Omit<SnapshotMeta, 'counts'> = {
    format: 1,
    kongVersion: gateway.version,
    edition: gateway.edition,
    database: gateway.database,
    workspace: client.workspace,
    takenAt: opts.takenAt ?? new Date().toISOString(),
  };
  const kinds = kindsFor(opts.only);
  const entities =
    gateway.database === 'off'
      ? await readConfig(client, kinds, opts)
      : await readCollections(client, kinds, opts);
  return buildSnapshot(meta, entities);
}

async function readConfig(
  client: KongClient,
  kinds: EntityKind[],
  opts: DumpOptions,
): Promise<Partial<Record<EntityKind, EntityMap>>> {
  const body = await client.get<{ config?: unknown }>('/config', opts.signal ? { signal: opts.signal } : {});
  const text = typeof body?.config === 'string' ? body.config : JSON.stringify(body?.config ?? {});
  const parsed = fromDeckFile(text);
  const out: Partial<Record<EntityKind, EntityMap>> = {};
  for (const kind of kinds) {
    const map: EntityMap = {};
    for (const [id, e] of Object.entries(parsed.entities[kind] ?? {})) map[id] = stripServerFields(kind, e);
    out[kind] = map;
    opts.onProgress?.({ kind, fetched: Object.keys(map).length, done: true });
    opts.onKind?.(kind, map);
  }
  return out;
}

async function readCollections(
  client: KongClient,
  kinds: EntityKind[],
  opts: DumpOptions,
): Promise<Partial<Record<EntityKind, EntityMap>>> {
  const gate = new Semaphore(Math.max(1, opts.parallelism ?? 8));
  const wanted = new Set(kinds);
  const out: Partial<Record<EntityKind, EntityMap>> = {};
  const progress = (kind: EntityKind, fetched: number, done: boolean) =>
    opts.onProgress?.({ kind, fetched, done });
  const signal = opts.signal ? { signal: opts.signal } : {};

  /**
   * One top-level collection, stripped page by page into a map; undefined when the gateway does not
   * offer it. Cached: targets and members need their parents' ids whether or not those are dumped.
   */
  const cache = new Map<EntityKind, Promise<EntityMap | undefined>>();
  const list = (kind: EntityKind): Promise<EntityMap | undefined> => {
    let p = cache.get(kind);
    if (!p) {
      const path = CATALOGUE[kind].collectionPath as string;
      const map: EntityMap = {};
      p = gate
        .run(() =>
          client.listAll<Entity>(path, {
            ...signal,
            onRows: (rows) => stripInto(kind, rows, map),
            onPage: (n) => wanted.has(kind) && progress(kind, n, false),
          }),
        )
        .then(
          () => map,
          (err: unknown) => {
            if (tolerated(kind, err)) return undefined;
            throw err;
          },
        );
      cache.set(kind, p);
    }
    return p;
  };

  const record = (kind: EntityKind, map: EntityMap | undefined) => {
    if (map === undefined) {
      opts.onProgress?.({ kind, fetched: 0, done: true, skipped: true });
      return;
    }
    out[kind] = map;
    progress(kind, Object.keys(map).length, true);
    opts.onKind?.(kind, map);
  };

  const tasks = kinds.map(async (kind) => {
    if (kind === 'targets')
      return record(
        kind,
        await listTargets(client, gate, await list('upstreams'), signal, (n) => progress(kind, n, false)),
      );
    if (kind === 'consumer_group_members') {
      const groups = await list('consumer_groups');
      return record(kind, groups && (await listMembers(client, gate, Object.keys(groups), signal)));
    }
    return record(kind, await list(kind));
  });
  await Promise.all(tasks);
  return out;
}

function stripInto(kind: EntityKind, rows: Entity[], map: EntityMap): void {
  for (const row of rows) map[row.id] = stripServerFields(kind, row);
}

async function listTargets(
  client: KongClient,
  gate: Semaphore,
  upstreams: EntityMap | undefined,
  signal: { signal?: AbortSignal },
  onFetched: (n: number) => void,
): Promise<EntityMap> {
  const map: EntityMap = {};
  let fetched = 0;
  await Promise.all(
    Object.keys(upstreams ?? {}).map((id) =>
      gate.run(() =>
        client.listAll<Entity>(`/upstreams/${seg(id)}/targets`, {
          ...signal,
          onRows: (rows) => {
            stripInto('targets', rows, map);
            fetched += rows.length;
            onFetched(fetched);
          },
        }),
      ),
    ),
  );
  return map;
}

interface MembersPage {
  data?: Entity[];
  consumers?: Entity[];
  offset?: string | null;
}

/**
 * Members of each group. Kong Enterprise answers `/consumer_groups/{g}/consumers` either with the whole
 * list as `{consumers: [...]}` (docs, consumer-groups reference) or paged as `{data, offset}`; both are read.
 */
async function listMembers(
  client: KongClient,
  gate: Semaphore,
  groupIds: string[],
  signal: { signal?: AbortSignal },
): Promise<EntityMap> {
  const map: EntityMap = {};
  await Promise.all(
    groupIds.map((g) =>
      gate.run(async () => {
        let offset: string | undefined;
        do {
          const page = await client.get<MembersPage>(`/consumer_groups/${seg(g)}/consumers`, {
            query: { size: 1000, offset },
            ...signal,
          });
          for (const c of page?.data ?? page?.consumers ?? []) {
            const id = memberId(g, c.id);
            map[id] = { id, consumer_group: { id: g }, consumer: { id: c.id } };
          }
          offset =
            Array.isArray(page?.data) && typeof page.offset === 'string' && page.offset
              ? page.offset
              : undefined;
        } while (offset);
      }),
    ),
  );
  return map;
}
