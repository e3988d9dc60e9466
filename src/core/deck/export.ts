/**
 * toDeckFile: Snapshot → decK 3.0 file, nested as decK's dumper nests (go-database-reconciler
 * pkg/file/writer.go): routes, plugins and filter chains under their service or route; plugins and
 * credentials under consumers; membership as `consumers[].groups[]`; targets under upstreams; SNIs under
 * certificates. Unlike `deck gateway dump`, every id is kept (plugin configs hold raw ids of other
 * entities) and references are ids, never names, so a rename cannot re-point them.
 */
import { type Entity, type EntityKind, kindsOfSection } from '../catalogue/index.ts';
import type { Snapshot } from '../snapshot.ts';
import {
  byCodeUnit,
  fileEntity,
  type RefStyle,
  refId,
  sortEntities,
  sortKeysDeepDefined,
} from './entity-shape.ts';
import { type Doc, Layout, pruneDoc } from './layout.ts';
import { emitYaml } from './yaml-emit.ts';

export interface ToDeckFileOptions {
  format?: 'yaml' | 'json';
}

const PLUGIN_PARENTS = { service: 'services', route: 'routes', consumer: 'consumers' } as const;
const CREDENTIAL_KINDS: readonly EntityKind[] = kindsOfSection('credentials');
/** Kinds that live under exactly one parent and are nested under it whenever it is in the snapshot. */
const SINGLE_PARENT: readonly { kind: EntityKind; field: string; parent: EntityKind }[] = [
  { kind: 'targets', field: 'upstream', parent: 'upstreams' },
  { kind: 'snis', field: 'certificate', parent: 'certificates' },
  ...CREDENTIAL_KINDS.map((kind) => ({ kind, field: 'consumer', parent: 'consumers' as EntityKind })),
];

/** decK's schema: plugin and filter-chain scopes and `services.client_certificate` are bare ids. */
function refStyleOf(kind: EntityKind): RefStyle {
  return kind === 'plugins' || kind === 'filter_chains' || kind === 'services' ? 'string' : 'object';
}

export function toDeckFile(snapshot: Snapshot, opts: ToDeckFileOptions = {}): string {
  const doc = buildDeckDocument(snapshot);
  if (opts.format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  return emitYaml(doc);
}

/**
 * Child slots of a file entity by name: each holds a list of finished file docs (or `{ id }`), or
 * undefined when empty (the key is then left out). Named slots of a kind are fixed, so each entity passes
 * only the values, in `names` order.
 */
interface Slots {
  names: readonly string[];
  values: readonly unknown[];
}

/**
 * The file form of one entity with its child slots, keys sorted at every depth and `undefined` members
 * left out — built in one copy (a 146k-entity export used to copy the whole document three times: spread,
 * prune, sort). A slot replaces an entity field of the same name, and an empty slot removes it.
 */
function fileDoc(kind: EntityKind, e: Entity, omit: readonly string[], slots?: Slots): Doc {
  const style = refStyleOf(kind);
  const fields = fileEntity(kind, e, { omit, refStyle: () => style });
  if (slots) for (const name of slots.names) delete fields[name];
  const keys = Object.keys(fields);
  const slotValues = new Map<string, unknown>();
  if (slots) {
    for (let i = 0; i < slots.names.length; i++) {
      const value = slots.values[i];
      if (value === undefined) continue;
      const name = slots.names[i] as string;
      slotValues.set(name, value);
      keys.push(name);
    }
  }
  keys.sort();
  const out: Doc = {};
  for (const key of keys) {
    // slot values are finished file docs: already sorted, copied no further
    const v = slotValues.has(key) ? slotValues.get(key) : sortKeysDeepDefined(fields[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

const NO_OMIT: readonly string[] = [];
const ROUTE_SLOTS = ['plugins', 'filter_chains'] as const;
const TOP_ROUTE_SLOTS = [...ROUTE_SLOTS, 'service'] as const;
const SERVICE_SLOTS = ['routes', 'plugins', 'filter_chains'] as const;
const CONSUMER_SLOTS = ['plugins', ...CREDENTIAL_KINDS, 'groups'] as const;

export function buildDeckDocument(snapshot: Snapshot): Doc {
  const all = (kind: EntityKind): Entity[] =>
    sortEntities(kind, Object.values(snapshot.entities[kind] ?? {}));
  const has = (kind: EntityKind, id: string | null): id is string =>
    id !== null && snapshot.entities[kind]?.[id] !== undefined;
  const layout = new Layout();
  const slot = (name: string) => layout.slot(name);

  // a plugin nests under its single parent; global and multi-scope plugins go top-level (writer.go
  // populatePlugins). Group-scoped plugins stay top-level with `consumer_group:` because decK's nested
  // ConsumerGroupPlugin shape has no `enabled`/`protocols` and would lose them.
  for (const p of all('plugins')) {
    const scopes = (['service', 'route', 'consumer', 'consumer_group'] as const).filter((s) => refId(p[s]));
    const only = scopes.length === 1 ? scopes[0] : undefined;
    const parent = only && only !== 'consumer_group' ? PLUGIN_PARENTS[only] : undefined;
    if (only && parent && has(parent, refId(p[only]))) {
      layout.nest(`${parent}.plugins`, refId(p[only])!, fileDoc('plugins', p, [only]));
    } else layout.top('plugins', fileDoc('plugins', p, NO_OMIT));
  }
  for (const f of all('filter_chains')) {
    const svc = refId(f.service);
    const route = refId(f.route);
    if (!route && has('services', svc))
      layout.nest('services.filter_chains', svc, fileDoc('filter_chains', f, ['service']));
    else if (!svc && has('routes', route))
      layout.nest('routes.filter_chains', route, fileDoc('filter_chains', f, ['route']));
    else layout.top('filter_chains', fileDoc('filter_chains', f, NO_OMIT));
  }
  const routePlugins = slot('routes.plugins');
  const routeChains = slot('routes.filter_chains');
  for (const r of all('routes')) {
    const children = [routePlugins.get(r.id), routeChains.get(r.id)];
    const svc = refId(r.service);
    if (has('services', svc)) {
      layout.nest(
        'services.routes',
        svc,
        fileDoc('routes', r, ['service'], { names: ROUTE_SLOTS, values: children }),
      );
    } else {
      // a top-level route names its service as `{ id }` (when it has one)
      const values = [...children, svc ? { id: svc } : undefined];
      layout.top('routes', fileDoc('routes', r, ['service'], { names: TOP_ROUTE_SLOTS, values }));
    }
  }
  for (const { kind, field, parent } of SINGLE_PARENT) {
    for (const e of all(kind)) {
      const parentId = refId(e[field]);
      if (has(parent, parentId)) layout.nest(`${parent}.${kind}`, parentId, fileDoc(kind, e, [field]));
      else layout.top(kind, fileDoc(kind, e, NO_OMIT));
    }
  }
  nestMembers(snapshot, layout, has);

  const doc: Doc = { _format_version: '3.0' };
  if (snapshot.meta.workspace) doc._workspace = snapshot.meta.workspace;
  const [svcRoutes, svcPlugins, svcChains] = SERVICE_SLOTS.map((k) => slot(`services.${k}`)) as [
    SlotMap,
    SlotMap,
    SlotMap,
  ];
  doc.services = all('services').map((s) =>
    fileDoc('services', s, NO_OMIT, {
      names: SERVICE_SLOTS,
      values: [svcRoutes.get(s.id), svcPlugins.get(s.id), svcChains.get(s.id)],
    }),
  );
  const consumerSlots = CONSUMER_SLOTS.map((k) => slot(`consumers.${k}`));
  doc.consumers = all('consumers').map((c) =>
    fileDoc('consumers', c, NO_OMIT, {
      names: CONSUMER_SLOTS,
      values: consumerSlots.map((m) => m.get(c.id)),
    }),
  );
  const groupConsumers = slot('consumer_groups.consumers');
  doc.consumer_groups = all('consumer_groups').map((g) =>
    fileDoc('consumer_groups', g, NO_OMIT, { names: ['consumers'], values: [groupConsumers.get(g.id)] }),
  );
  const upstreamTargets = slot('upstreams.targets');
  doc.upstreams = all('upstreams').map((u) =>
    fileDoc('upstreams', u, NO_OMIT, { names: ['targets'], values: [upstreamTargets.get(u.id)] }),
  );
  const certificateSnis = slot('certificates.snis');
  doc.certificates = all('certificates').map((c) =>
    fileDoc('certificates', c, NO_OMIT, { names: ['snis'], values: [certificateSnis.get(c.id)] }),
  );
  for (const kind of ['ca_certificates', 'vaults', 'key_sets', 'keys'] as const) {
    doc[kind] = all(kind).map((e) => fileDoc(kind, e, NO_OMIT));
  }
  for (const [key, list] of layout.topLevel) doc[key] = [...((doc[key] as Doc[] | undefined) ?? []), ...list];
  return pruneDoc(doc);
}

type SlotMap = ReadonlyMap<string, Doc[]>;

/** Membership is written from the consumer's side, as decK does (`consumers[].groups[]`). */
function nestMembers(snapshot: Snapshot, layout: Layout, has: (k: EntityKind, id: string | null) => boolean) {
  const groups = snapshot.entities.consumer_groups ?? {};
  const members = Object.values(snapshot.entities.consumer_group_members ?? {}).map((m) => ({
    groupId: refId(m.consumer_group) ?? '',
    consumerId: refId(m.consumer) ?? '',
  }));
  const nameOf = (id: string): string => {
    const name = groups[id]?.name;
    return typeof name === 'string' ? name : '';
  };
  members.sort(
    (a, b) => byCodeUnit(nameOf(a.groupId), nameOf(b.groupId)) || byCodeUnit(a.groupId, b.groupId),
  );
  for (const { groupId, consumerId } of members) {
    const name = nameOf(groupId);
    if (has('consumers', consumerId))
      layout.nest('consumers.groups', consumerId, name ? { id: groupId, name } : { id: groupId });
    else layout.nest('consumer_groups.consumers', groupId, { id: consumerId });
  }
}
