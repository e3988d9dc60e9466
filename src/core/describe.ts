/**
 * Human labels for entities, decK-style, with their parents: `rate-limiting (global)`,
 * `key-auth for service orders`, `api.example.com:8000 for upstream up1`, `<id> for consumer alice`.
 * A label never contains a credential key or secret: credentials are named by their public identifier
 * (username, group, client id, jwt key) or their id.
 */
import { CATALOGUE, type Entity, type EntityKind } from './catalogue/index.ts';
import { normalizeTarget } from './normalize.ts';
import type { Snapshot } from './snapshot.ts';

/** Singular noun per kind, for messages (`route r1 points at service s9`). */
export const KIND_NOUN: Readonly<Record<EntityKind, string>> = {
  certificates: 'certificate',
  ca_certificates: 'CA certificate',
  consumers: 'consumer',
  vaults: 'vault',
  key_sets: 'key set',
  services: 'service',
  upstreams: 'upstream',
  snis: 'SNI',
  keys: 'key',
  consumer_groups: 'consumer group',
  keyauth_credentials: 'key-auth credential',
  basicauth_credentials: 'basic-auth credential',
  jwt_secrets: 'JWT credential',
  hmacauth_credentials: 'HMAC credential',
  acls: 'ACL',
  oauth2_credentials: 'OAuth2 credential',
  mtls_auth_credentials: 'mTLS credential',
  routes: 'route',
  targets: 'target',
  consumer_group_members: 'consumer group membership',
  plugins: 'plugin',
  filter_chains: 'filter chain',
  restapis: 'REST API',
  resources: 'resource',
  models: 'model',
  request_validators: 'request validator',
  authorizers: 'authorizer',
  gateway_responses: 'gateway response',
  methods: 'method',
  method_responses: 'method response',
  integrations: 'integration',
  integration_responses: 'integration response',
  documentation_parts: 'documentation part',
  documentation_versions: 'documentation version',
  stages: 'stage',
  api_keys: 'API key',
  usage_plans: 'usage plan',
  usage_plan_keys: 'usage plan key',
  domain_names: 'custom domain name',
  base_path_mappings: 'base path mapping',
  vpc_links: 'VPC link',
  client_certificates: 'client certificate',
};

/** Plugin scope fields, in the order decK names them. */
const PLUGIN_SCOPES: readonly [string, EntityKind][] = [
  ['service', 'services'],
  ['route', 'routes'],
  ['consumer', 'consumers'],
  ['consumer_group', 'consumer_groups'],
];

function refId(e: Entity, field: string): string | null {
  const v = e[field];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string')
    return (v as { id: string }).id;
  return null;
}

/** The entity's own label (no parents), from the catalogue; targets shown with their normalized port. */
export function ownLabel(kind: EntityKind, e: Entity): string {
  if (kind === 'targets' && typeof e.target === 'string') return normalizeTarget(e.target);
  return CATALOGUE[kind].label(e);
}

/** Label of the entity `kind`/`id` looked up in `snapshot`; the bare id when it is not there. */
export function labelOf(snapshot: Snapshot | undefined, kind: EntityKind, id: string): string {
  const e = snapshot?.entities[kind]?.[id];
  return e ? ownLabel(kind, e) : id;
}

function parentPhrase(
  snapshot: Snapshot | undefined,
  field: string,
  kind: EntityKind,
  e: Entity,
): string | null {
  const id = refId(e, field);
  return id === null ? null : `${KIND_NOUN[kind]} ${labelOf(snapshot, kind, id)}`;
}

export function describeEntity(snapshot: Snapshot | undefined, kind: EntityKind, e: Entity): string {
  const def = CATALOGUE[kind];
  if (kind === 'plugins') {
    const scopes = PLUGIN_SCOPES.map(([f, k]) => parentPhrase(snapshot, f, k, e)).filter((s) => s !== null);
    const own = ownLabel(kind, e);
    return scopes.length === 0 ? `${own} (global)` : `${own} for ${scopes.join(' and ')}`;
  }
  if (kind === 'consumer_group_members') {
    const consumer = parentPhrase(snapshot, 'consumer', 'consumers', e) ?? 'consumer ?';
    const group = parentPhrase(snapshot, 'consumer_group', 'consumer_groups', e) ?? 'consumer group ?';
    return `${consumer} in ${group}`;
  }
  if (kind === 'filter_chains') {
    const scope =
      parentPhrase(snapshot, 'service', 'services', e) ?? parentPhrase(snapshot, 'route', 'routes', e);
    return scope ? `${ownLabel(kind, e)} for ${scope}` : ownLabel(kind, e);
  }
  if (def.nested) {
    const parent = parentPhrase(snapshot, def.nested.parentField, def.nested.parentKind, e);
    return parent ? `${ownLabel(kind, e)} for ${parent}` : ownLabel(kind, e);
  }
  return ownLabel(kind, e);
}
