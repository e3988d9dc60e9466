/**
 * A deterministic, seeded synthetic Kong gateway for benchmarks and load tests: `syntheticGateway()` builds a
 * Snapshot of realistic full entities with valid foreign keys, `mutate()` returns a copy with about
 * `fraction` of the entities changed, added or removed, foreign keys still valid. Same options and seed,
 * same bytes.
 */
import {
  buildSnapshot,
  CATALOGUE,
  ENTITY_KINDS,
  type Entity,
  type EntityKind,
  type EntityMap,
  type Snapshot,
} from '../src/core/index.ts';
import { makeCredential, pickCredentialKind } from './synthetic-credentials.ts';
import {
  CONSUMER_PLUGIN_NAMES,
  makeCaCertificate,
  makeCertificate,
  makeConsumer,
  makePlugin,
  makeRoute,
  makeService,
  makeSni,
  makeTarget,
  makeUpstream,
  PLUGIN_NAMES,
  pluginConfig,
  Rng,
} from './synthetic-entities.ts';

export interface SyntheticOptions {
  services: number;
  routes: number;
  consumers: number;
  credentials: number;
  plugins: number;
  upstreams: number;
  targetsPerUpstream: number;
  certificates: number;
  snisPerCertificate: number;
  caCertificates: number;
  seed: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = {
  services: 10000,
  routes: 20000,
  consumers: 50000,
  credentials: 50000,
  plugins: 10000,
  upstreams: 1000,
  targetsPerUpstream: 5,
  certificates: 200,
  snisPerCertificate: 2,
  caCertificates: 20,
  seed: 42,
};

const META = {
  format: 1,
  kongVersion: '3.9.1',
  edition: 'community',
  database: 'postgres',
  workspace: null,
  takenAt: '2025-01-01T00:00:00.000Z',
} as const;

function put(map: EntityMap, e: Entity): Entity {
  map[e.id] = e;
  return e;
}

function ids(map: EntityMap): string[] {
  return Object.keys(map);
}

export function syntheticGateway(options: Partial<SyntheticOptions> = {}): Snapshot {
  const o = { ...DEFAULT_SYNTHETIC, ...options };
  const rng = new Rng(o.seed);
  const m = Object.fromEntries(ENTITY_KINDS.map((k) => [k, {} as EntityMap])) as Record<
    EntityKind,
    EntityMap
  >;

  for (let i = 0; i < o.caCertificates; i++) put(m.ca_certificates, makeCaCertificate(rng));
  const caIds = ids(m.ca_certificates);
  for (let i = 0; i < o.certificates; i++) {
    const cert = put(m.certificates, makeCertificate(rng));
    for (let j = 0; j < o.snisPerCertificate; j++)
      put(m.snis, makeSni(rng, `c${i}-s${j}.example.com`, cert.id));
  }
  for (let i = 0; i < o.services; i++) {
    const cas = caIds.length > 0 && rng.next() < 0.05 ? [rng.pick(caIds)] : [];
    put(m.services, makeService(rng, `svc-${i}`, cas));
  }
  const serviceIds = ids(m.services);
  for (let i = 0; i < o.routes; i++) {
    put(m.routes, makeRoute(rng, `route-${i}`, serviceIds[i % serviceIds.length] as string));
  }
  for (let i = 0; i < o.consumers; i++) put(m.consumers, makeConsumer(rng, `consumer-${i}`));
  const consumerIds = ids(m.consumers);
  for (let i = 0; i < o.credentials && consumerIds.length > 0; i++) {
    const kind = pickCredentialKind(rng);
    put(m[kind], makeCredential(rng, kind, consumerIds[i % consumerIds.length] as string, String(i)));
  }
  for (let i = 0; i < o.upstreams; i++) {
    const up = put(m.upstreams, makeUpstream(rng, `upstream-${i}`));
    for (let j = 0; j < o.targetsPerUpstream; j++) {
      put(m.targets, makeTarget(rng, up.id, `10.${i >> 8}.${i & 255}.${j + 1}:8080`));
    }
  }
  addPlugins(rng, m, o.plugins, 'p');
  return buildSnapshot(META, m);
}

/** Plugins spread over scopes (70 % service, 15 % route, 10 % consumer, a few global), cache keys unique. */
function addPlugins(rng: Rng, m: Record<EntityKind, EntityMap>, count: number, salt: string): void {
  const taken = new Set<string>();
  for (const p of Object.values(m.plugins)) taken.add(cacheKey(p));
  const serviceIds = ids(m.services);
  const routeIds = ids(m.routes);
  const consumerIds = ids(m.consumers);
  let added = 0;
  for (let attempt = 0; added < count && attempt < count * 20; attempt++) {
    const r = rng.next();
    const scope: { service?: string; route?: string; consumer?: string } = {};
    if (r < 0.7 && serviceIds.length > 0) scope.service = rng.pick(serviceIds);
    else if (r < 0.85 && routeIds.length > 0) scope.route = rng.pick(routeIds);
    else if (r < 0.95 && consumerIds.length > 0) scope.consumer = rng.pick(consumerIds);
    const plugin = makePlugin(rng, rng.pick(scope.consumer ? CONSUMER_PLUGIN_NAMES : PLUGIN_NAMES), scope);
    const key = cacheKey(plugin);
    if (taken.has(key)) continue;
    taken.add(key);
    plugin.tags = [...(plugin.tags as string[]), `batch:${salt}`];
    put(m.plugins, plugin);
    added++;
  }
}

function cacheKey(p: Entity): string {
  const ref = (f: string) => (p[f] as { id?: string } | null)?.id ?? '';
  return `${p.name}|${ref('service')}|${ref('route')}|${ref('consumer')}`;
}

/** Copy of `s` with ~`fraction` of each kind's entities changed (60 %), removed (20 %) or added (20 %). */
export function mutate(s: Snapshot, fraction: number, seed: number): Snapshot {
  const rng = new Rng(seed);
  const m = Object.fromEntries(ENTITY_KINDS.map((k) => [k, { ...(s.entities[k] ?? {}) }])) as Record<
    EntityKind,
    EntityMap
  >;
  const counts = Object.fromEntries(
    ENTITY_KINDS.map((k) => [k, Math.round(Object.keys(m[k]).length * fraction)]),
  ) as Record<EntityKind, number>;
  for (const kind of ENTITY_KINDS) {
    const all = ids(m[kind]);
    for (let i = 0; i < Math.round(counts[kind] * 0.6) && all.length > 0; i++) {
      const id = rng.pick(all);
      const e = m[kind][id];
      if (e) m[kind][id] = changeOne(rng, kind, e);
    }
  }
  const children = childIndex(m);
  for (const kind of ENTITY_KINDS) {
    const all = ids(m[kind]);
    for (let i = 0; i < Math.round(counts[kind] * 0.2) && all.length > 0; i++) {
      removeWithDependents(m, children, kind, rng.pick(all));
    }
  }
  addSome(rng, m, counts, seed);
  return buildSnapshot(s.meta, m);
}

function changeOne(rng: Rng, kind: EntityKind, e: Entity): Entity {
  const tags = Array.isArray(e.tags) ? (e.tags as string[]) : [];
  const copy: Entity = { ...e, tags: [...tags.filter((t) => !t.startsWith('rev:')), `rev:${rng.hex(6)}`] };
  if (kind === 'services') copy.read_timeout = 1000 * (1 + rng.int(120));
  if (kind === 'routes') copy.paths = [`/${String(e.name)}/v${1 + rng.int(9)}`];
  if (kind === 'plugins') copy.config = pluginConfig(rng, String(e.name));
  if (kind === 'targets') copy.weight = rng.int(1000);
  return copy;
}

type ChildIndex = Map<string, { kind: EntityKind; id: string; field: string; array: boolean }[]>;

/** parent `kind:id` → the entities referencing it, built once so removals are not a scan each. */
function childIndex(m: Record<EntityKind, EntityMap>): ChildIndex {
  const index: ChildIndex = new Map();
  for (const kind of ENTITY_KINDS) {
    for (const fk of CATALOGUE[kind].foreignKeys) {
      for (const e of Object.values(m[kind])) {
        const v = e[fk.field];
        const parents = fk.array ? (Array.isArray(v) ? (v as string[]) : []) : [(v as { id?: string })?.id];
        for (const pid of parents) {
          if (typeof pid !== 'string') continue;
          const key = `${fk.references}:${pid}`;
          const list = index.get(key) ?? [];
          list.push({ kind, id: e.id, field: fk.field, array: fk.array === true });
          index.set(key, list);
        }
      }
    }
  }
  return index;
}

/** Removes an entity and, transitively, everything referencing it, so no FK dangles. */
function removeWithDependents(
  m: Record<EntityKind, EntityMap>,
  children: ChildIndex,
  kind: EntityKind,
  id: string,
): void {
  if (!m[kind][id]) return;
  delete m[kind][id];
  for (const child of children.get(`${kind}:${id}`) ?? []) {
    const e = m[child.kind][child.id];
    if (!e) continue;
    if (child.array) {
      m[child.kind][child.id] = { ...e, [child.field]: (e[child.field] as string[]).filter((x) => x !== id) };
    } else {
      removeWithDependents(m, children, child.kind, child.id);
    }
  }
}

function addSome(
  rng: Rng,
  m: Record<EntityKind, EntityMap>,
  counts: Record<EntityKind, number>,
  seed: number,
) {
  const n = (k: EntityKind) => Math.round(counts[k] * 0.2);
  for (let i = 0; i < n('consumers'); i++) put(m.consumers, makeConsumer(rng, `consumer-m${seed}-${i}`));
  for (let i = 0; i < n('services'); i++) put(m.services, makeService(rng, `svc-m${seed}-${i}`, []));
  const serviceIds = ids(m.services);
  for (let i = 0; i < n('routes') && serviceIds.length > 0; i++) {
    put(m.routes, makeRoute(rng, `route-m${seed}-${i}`, rng.pick(serviceIds)));
  }
  const consumerIds = ids(m.consumers);
  const credentialKinds = ENTITY_KINDS.filter((k) => CATALOGUE[k].section === 'credentials');
  const credentialCount = credentialKinds.reduce((sum, k) => sum + n(k), 0);
  for (let i = 0; i < credentialCount && consumerIds.length > 0; i++) {
    const kind = pickCredentialKind(rng);
    put(m[kind], makeCredential(rng, kind, rng.pick(consumerIds), `m${seed}-${i}`));
  }
  const upstreamIds = ids(m.upstreams);
  for (let i = 0; i < n('targets') && upstreamIds.length > 0; i++) {
    put(m.targets, makeTarget(rng, rng.pick(upstreamIds), `172.16.${seed & 255}.${i}:9000`));
  }
  addPlugins(rng, m, n('plugins'), `m${seed}`);
}
