/**
 * Live gateway → Snapshot. DB mode pages every collection with `size=1000` (the Admin API maximum,
 * kong/api/endpoints.lua; decK does the same), many collections at once under one concurrency bound.
 * Nested-only kinds need their parents first: targets are listed per upstream
 * (`/upstreams/{u}/targets`, top-level /targets is disabled in kong/api/routes/targets.lua), consumer-group
 * members per group (`/consumer_groups/{g}/consumers`). DB-less gateways are read with one `GET /config`
 * (kong/api/routes/config.lua) and parsed as Kong's flat declarative format.
 */

import type {
  DumpOptions as PortDumpOptions,
  DumpProgress as PortDumpProgress,
} from '../app/ports/gateway.ts';
import { fromDeckFile } from '../core/deck/index.ts';
import {
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
  type SnapshotSink,
  serverFieldStripper,
} from '../core/index.ts';
import { ADMIN_PATHS } from './admin-paths.ts';
import { type KongClient, seg } from './client.ts';
import { describeGateway, type GatewayInfo } from './describe.ts';
import { KongAbortedError, KongApiError } from './errors.ts';
import { NOT_ON_KONNECT, withoutKonnectManaged } from './konnect.ts';
import { Semaphore } from './pool.ts';

/** The port's dump progress, with Kong's kinds. */
export interface DumpProgress extends PortDumpProgress {
  kind: EntityKind;
}

/** The port's dump options, with Kong's progress and gateway description (`describeGateway`). */
export interface DumpOptions extends Omit<PortDumpOptions, 'onProgress' | 'gateway'> {
  onProgress?: (p: DumpProgress) => void;
  gateway?: GatewayInfo;
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

/** Live gateway → Snapshot: every entity kept in memory as an EntityMap per kind. */
export async function dumpGateway(client: KongClient, opts: DumpOptions = {}): Promise<Snapshot> {
  return collectSnapshot((sink) => dumpInto(client, sink, opts));
}

/** A snapshot in memory from a dump into a sink (`dumpInto`, or the multi-workspace dump). */
export async function collectSnapshot(
  dump: (sink: SnapshotSink) => Promise<SnapshotMeta>,
): Promise<Snapshot> {
  const entities: Partial<Record<EntityKind, EntityMap>> = {};
  // a kind joins the snapshot only when complete: one that fails half-way (and is tolerated) stays out
  const pending = new Map<EntityKind, { map: EntityMap; ids: number }>();
  const meta = await dump({
    add(kind, list) {
      let into = pending.get(kind);
      if (!into) {
        into = { map: {}, ids: 0 };
        pending.set(kind, into);
      }
      const { map } = into;
      const stripper = serverFieldStripper(kind);
      // distinct ids counted on the way: cheaper than Object.keys of a 50k-key map at close (own keys
      // only: an id such as `constructor` is not taken for one seen before)
      let ids = into.ids;
      for (const e of list) {
        if (!Object.hasOwn(map, e.id)) ids++;
        map[e.id] = stripper.strip(e);
      }
      into.ids = ids;
    },
    close(kind) {
      const into = pending.get(kind);
      pending.delete(kind);
      entities[kind] = into?.map ?? {};
      return into?.ids ?? 0;
    },
  });
  return { meta, entities };
}

/**
 * Live gateway → `sink`, kind by kind and page by page, without keeping the entities: a backup turns each
 * page into artifact bytes as it arrives (storage/serialize.ts), so 146k entities never sit in the heap
 * at once. Returns the snapshot's metadata, with the counts `close` reported for every complete kind.
 */
export async function dumpInto(
  client: KongClient,
  into: SnapshotSink,
  opts: DumpOptions = {},
): Promise<SnapshotMeta> {
  const gateway = opts.gateway ?? (await describeGateway(client));
  const takenAt = opts.takenAt ?? new Date().toISOString();
  const konnect = client.flavour === 'konnect';
  // Konnect: kinds it does not offer are not part of its backups, nor are the entities it manages itself
  const kinds = kindsFor(opts.only).filter((k) => !(konnect && NOT_ON_KONNECT[k]));
  const sink = konnect ? withoutKonnectManaged(into) : into;
  sink.begin?.(kinds);
  const counts = new Map<EntityKind, number>();
  const done = (kind: EntityKind) => {
    const n = sink.close(kind);
    counts.set(kind, n);
    opts.onProgress?.({ kind, fetched: n, done: true });
  };
  if (gateway.database === 'off') await readConfig(client, kinds, sink, done, opts);
  else await readCollections(client, kinds, sink, done, opts);
  return {
    format: 1,
    kongVersion: gateway.version,
    edition: gateway.edition,
    database: gateway.database,
    workspace: client.workspace,
    takenAt,
    counts: Object.fromEntries(ENTITY_KINDS.flatMap((k) => (counts.has(k) ? [[k, counts.get(k)]] : []))),
  };
}

async function readConfig(
  client: KongClient,
  kinds: EntityKind[],
  sink: SnapshotSink,
  done: (kind: EntityKind) => void,
  opts: DumpOptions,
): Promise<void> {
  const body = await client.get<{ config?: unknown }>('/config', opts.signal ? { signal: opts.signal } : {});
  const text = typeof body?.config === 'string' ? body.config : JSON.stringify(body?.config ?? {});
  const parsed = fromDeckFile(text);
  for (const kind of kinds) {
    sink.add(kind, Object.values(parsed.entities[kind] ?? {}));
    done(kind);
  }
}

/** Kinds whose ids the dump needs for nested lists (targets per upstream, members per group). */
const PARENT_KINDS = new Set<EntityKind>(['upstreams', 'consumer_groups']);

async function readCollections(
  client: KongClient,
  kinds: EntityKind[],
  sink: SnapshotSink,
  done: (kind: EntityKind) => void,
  opts: DumpOptions,
): Promise<void> {
  const gate = new Semaphore(Math.max(1, opts.parallelism ?? 8));
  const wanted = new Set(kinds);
  // One list failing fails the dump: `stop` then cancels every other list (no request is sent after it,
  // a retry's wait ends at once) and nothing more reaches the sink or the progress callback. The caller's
  // signal stops it the same way.
  const stop = new AbortController();
  const stopOnCaller = () => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) stopOnCaller();
  opts.signal?.addEventListener('abort', stopOnCaller, { once: true });
  const live = () => !stop.signal.aborted;
  const progress = (kind: EntityKind, fetched: number) =>
    live() && opts.onProgress?.({ kind, fetched, done: false });
  const signal = { signal: stop.signal };
  const guarded: SnapshotSink = {
    ...sink,
    add: (kind, rows) => {
      if (live()) sink.add(kind, rows);
    },
  };

  /**
   * One top-level collection, handed page by page to the sink (which strips) when it is wanted; resolves to the ids
   * seen for parent kinds (an empty set for others) and to undefined when the gateway does not offer it.
   * Cached: targets and members need their parents' ids whether or not those are dumped.
   */
  const cache = new Map<EntityKind, Promise<Set<string> | undefined>>();
  const list = (kind: EntityKind): Promise<Set<string> | undefined> => {
    let p = cache.get(kind);
    if (!p) {
      const path = ADMIN_PATHS[kind].collection as string;
      const ids = new Set<string>();
      const keepIds = PARENT_KINDS.has(kind);
      const feed = wanted.has(kind);
      p = gate
        .run(() =>
          client.listAll<Entity>(path, {
            ...signal,
            onRows: (rows) => {
              if (keepIds) for (const row of rows) ids.add(row.id);
              if (feed) guarded.add(kind, rows);
            },
            onPage: (n) => feed && progress(kind, n),
          }),
        )
        .then(
          () => ids,
          (err: unknown) => {
            if (tolerated(kind, err)) return undefined;
            throw err;
          },
        );
      cache.set(kind, p);
    }
    return p;
  };

  const record = (kind: EntityKind, listed: unknown) => {
    if (!live()) return;
    if (listed !== undefined) return done(kind);
    sink.skip?.(kind);
    opts.onProgress?.({ kind, fetched: 0, done: true, skipped: true });
  };

  const tasks = kinds.map(async (kind) => {
    if (kind === 'targets' && client.flavour === 'konnect') {
      // Konnect lists every target at once (go-database-reconciler GetAllTargetsFromKonnect)
      const targets = gate.run(() =>
        client.listAll<Entity>('/targets', {
          ...signal,
          onRows: (rows) => guarded.add('targets', rows),
          onPage: (n) => progress(kind, n),
        }),
      );
      return record(kind, await targets);
    }
    if (kind === 'targets') {
      const upstreams = await list('upstreams');
      return record(
        kind,
        await listTargets(client, gate, upstreams, guarded, signal, (n) => progress(kind, n)),
      );
    }
    if (kind === 'consumer_group_members') {
      const groups = await list('consumer_groups');
      return record(kind, groups && (await listMembers(client, gate, [...groups], guarded, signal)));
    }
    return record(kind, await list(kind));
  });
  const settled = await Promise.allSettled(
    tasks.map((task) =>
      task.catch((err: unknown) => {
        stop.abort(err);
        throw err;
      }),
    ),
  );
  opts.signal?.removeEventListener('abort', stopOnCaller);
  // every list has stopped: report the failure that stopped the others, not their cancellations
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const cause = failures.find((err) => !(err instanceof KongAbortedError)) ?? failures[0];
  if (failures.length > 0) throw cause;
}

async function listTargets(
  client: KongClient,
  gate: Semaphore,
  upstreams: Set<string> | undefined,
  sink: SnapshotSink,
  signal: { signal?: AbortSignal },
  onFetched: (n: number) => void,
): Promise<true> {
  let fetched = 0;
  await Promise.all(
    [...(upstreams ?? [])].map((id) =>
      gate.run(() =>
        client.listAll<Entity>(`/upstreams/${seg(id)}/targets`, {
          ...signal,
          onRows: (rows) => {
            sink.add('targets', rows);
            fetched += rows.length;
            onFetched(fetched);
          },
        }),
      ),
    ),
  );
  return true;
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
  sink: SnapshotSink,
  signal: { signal?: AbortSignal },
): Promise<true> {
  await Promise.all(
    groupIds.map((g) =>
      gate.run(async () => {
        let offset: string | undefined;
        do {
          const page = await client.get<MembersPage>(`/consumer_groups/${seg(g)}/consumers`, {
            query: { size: 1000, offset },
            ...signal,
          });
          const members = (page?.data ?? page?.consumers ?? []).map((c) => {
            const id = memberId(g, c.id);
            return { id, consumer_group: { id: g }, consumer: { id: c.id } };
          });
          sink.add('consumer_group_members', members);
          offset =
            Array.isArray(page?.data) && typeof page.offset === 'string' && page.offset
              ? page.offset
              : undefined;
        } while (offset);
      }),
    ),
  );
  return true;
}
