/**
 * toDeckFile: Snapshot → decK 3.0 file, nested as decK's dumper nests (go-database-reconciler
 * pkg/file/writer.go): routes, plugins and filter chains under their service or route; plugins and
 * credentials under consumers; membership as `consumers[].groups[]`; targets under upstreams; SNIs under
 * certificates. Unlike `deck gateway dump`, every id is kept (plugin configs hold raw ids of other
 * entities) and references are ids, never names, so a rename cannot re-point them.
 */
import type { Entity, EntityKind } from '../catalogue/index.ts';
import type { Snapshot } from '../snapshot.ts';
import { byCodeUnit, fileEntity, type RefStyle, refId, sortEntities, sortKeysDeep } from './entity-shape.ts';
import { type Doc, Layout, pruneDoc } from './layout.ts';
import { emitYaml } from './yaml-emit.ts';

export interface ToDeckFileOptions {
  format?: 'yaml' | 'json';
}

const PLUGIN_PARENTS = { service: 'services', route: 'routes', consumer: 'consumers' } as const;
const CREDENTIAL_KINDS: readonly EntityKind[] = [
  'keyauth_credentials',
  'basicauth_credentials',
  'jwt_secrets',
  'hmacauth_credentials',
  'acls',
  'oauth2_credentials',
  'mtls_auth_credentials',
];
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
  const doc = sortKeysDeep(buildDeckDocument(snapshot));
  if (opts.format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  return emitYaml(doc as Doc);
}

export function buildDeckDocument(snapshot: Snapshot): Doc {
  const all = (kind: EntityKind): Entity[] =>
    sortEntities(kind, Object.values(snapshot.entities[kind] ?? {}));
  const has = (kind: EntityKind, id: string | null): id is string =>
    id !== null && snapshot.entities[kind]?.[id] !== undefined;
  const plain = (kind: EntityKind, e: Entity, omit: string[] = []): Doc =>
    fileEntity(kind, e, { omit, refStyle: () => refStyleOf(kind) });
  const layout = new Layout();

  // a plugin nests under its single parent; global and multi-scope plugins go top-level (writer.go
  // populatePlugins). Group-scoped plugins stay top-level with `consumer_group:` because decK's nested
  // ConsumerGroupPlugin shape has no `enabled`/`protocols` and would lose them.
  for (const p of all('plugins')) {
    const scopes = (['service', 'route', 'consumer', 'consumer_group'] as const).filter((s) => refId(p[s]));
    const only = scopes.length === 1 ? scopes[0] : undefined;
    const parent = only && only !== 'consumer_group' ? PLUGIN_PARENTS[only] : undefined;
    if (only && parent && has(parent, refId(p[only]))) {
      layout.nest(`${parent}.plugins`, refId(p[only])!, plain('plugins', p, [only]));
    } else layout.top('plugins', plain('plugins', p));
  }
  for (const f of all('filter_chains')) {
    const svc = refId(f.service);
    const route = refId(f.route);
    if (!route && has('services', svc))
      layout.nest('services.filter_chains', svc, plain('filter_chains', f, ['service']));
    else if (!svc && has('routes', route))
      layout.nest('routes.filter_chains', route, plain('filter_chains', f, ['route']));
    else layout.top('filter_chains', plain('filter_chains', f));
  }
  for (const r of all('routes')) {
    const route = {
      ...plain('routes', r, ['service']),
      plugins: layout.children('routes.plugins', r.id),
      filter_chains: layout.children('routes.filter_chains', r.id),
    };
    const svc = refId(r.service);
    if (has('services', svc)) layout.nest('services.routes', svc, route);
    else layout.top('routes', svc ? { ...route, service: { id: svc } } : route);
  }
  for (const { kind, field, parent } of SINGLE_PARENT) {
    for (const e of all(kind)) {
      const parentId = refId(e[field]);
      if (has(parent, parentId)) layout.nest(`${parent}.${kind}`, parentId, plain(kind, e, [field]));
      else layout.top(kind, plain(kind, e));
    }
  }
  nestMembers(snapshot, layout, has);

  const doc: Doc = { _format_version: '3.0' };
  if (snapshot.meta.workspace) doc._workspace = snapshot.meta.workspace;
  doc.services = all('services').map((s) => ({
    ...plain('services', s),
    routes: layout.children('services.routes', s.id),
    plugins: layout.children('services.plugins', s.id),
    filter_chains: layout.children('services.filter_chains', s.id),
  }));
  doc.consumers = all('consumers').map((c) => {
    const out: Doc = { ...plain('consumers', c), plugins: layout.children('consumers.plugins', c.id) };
    for (const kind of CREDENTIAL_KINDS) out[kind] = layout.children(`consumers.${kind}`, c.id);
    out.groups = layout.children('consumers.groups', c.id);
    return out;
  });
  doc.consumer_groups = all('consumer_groups').map((g) => ({
    ...plain('consumer_groups', g),
    consumers: layout.children('consumer_groups.consumers', g.id),
  }));
  doc.upstreams = all('upstreams').map((u) => ({
    ...plain('upstreams', u),
    targets: layout.children('upstreams.targets', u.id),
  }));
  doc.certificates = all('certificates').map((c) => ({
    ...plain('certificates', c),
    snis: layout.children('certificates.snis', c.id),
  }));
  for (const kind of ['ca_certificates', 'vaults', 'key_sets', 'keys'] as const) {
    doc[kind] = all(kind).map((e) => plain(kind, e));
  }
  for (const [key, list] of layout.topLevel) doc[key] = [...((doc[key] as Doc[] | undefined) ?? []), ...list];
  return pruneDoc(doc);
}

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
