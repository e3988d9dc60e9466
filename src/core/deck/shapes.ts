/**
 * What a decK file may say about each kind: its own fields, its references and the children nested
 * under it. The field lists are the union of decK's file schema (go-database-reconciler
 * pkg/file/kong_json_schema.json, every definition `additionalProperties: false`) and Kong's entity
 * schemas (kong/db/schema/entities/*.lua, kong/plugins/<plugin>/daos.lua), so a file decK accepts and a
 * dump of a live gateway both import; anything else is refused as an unknown key.
 */
import { type EntityKind, type KongKind, kindsOfSection } from '../catalogue/index.ts';

/** A nested array under an entity: its items are `kind` entities whose `parentField` is the parent. */
export interface ChildSlot {
  key: string;
  kind: EntityKind;
  parentField: string;
}

export interface DeckShape {
  /** own fields, written and read as they are. */
  fields: readonly string[];
  /** foreign-key fields (the catalogue's `foreignKeys`), written as ids, read as ids or names. */
  refs: readonly string[];
  children: readonly ChildSlot[];
}

/**
 * Keys an entry may carry that the import drops: server-managed or per-node fields (dumps, `GET /config`)
 * and the `_comment` / `_ignore` Kong's declarative schema adds to every entity record
 * (kong/db/schema/others/declarative_config.lua `add_extra_attributes`).
 */
export const IGNORED_FIELDS: readonly string[] = ['created_at', 'updated_at', 'ws_id', '_comment', '_ignore'];

const common = ['id', 'tags'];

const credentialSlots: ChildSlot[] = kindsOfSection('credentials').map((k) => ({
  key: k,
  kind: k,
  parentField: 'consumer',
}));

/** decK's shapes: Kong's kinds only (other gateway types have no decK files). */
export const SHAPES: Readonly<Record<KongKind, DeckShape>> = {
  services: {
    fields: [
      ...common,
      'name',
      'retries',
      'protocol',
      'host',
      'port',
      'path',
      'connect_timeout',
      'write_timeout',
      'read_timeout',
      'tls_verify',
      'tls_verify_depth',
      'tls_sans',
      'enabled',
      'url',
    ],
    refs: ['client_certificate', 'ca_certificates'],
    children: [
      { key: 'routes', kind: 'routes', parentField: 'service' },
      { key: 'plugins', kind: 'plugins', parentField: 'service' },
      { key: 'filter_chains', kind: 'filter_chains', parentField: 'service' },
    ],
  },
  routes: {
    fields: [
      ...common,
      'name',
      'protocols',
      'https_redirect_status_code',
      'strip_path',
      'preserve_host',
      'request_buffering',
      'response_buffering',
      'snis',
      'sources',
      'destinations',
      'methods',
      'hosts',
      'paths',
      'headers',
      'regex_priority',
      'path_handling',
      'expression',
      'priority',
    ],
    refs: ['service'],
    children: [
      { key: 'plugins', kind: 'plugins', parentField: 'route' },
      { key: 'filter_chains', kind: 'filter_chains', parentField: 'route' },
    ],
  },
  consumers: {
    fields: [...common, 'username', 'custom_id'],
    refs: [],
    children: [{ key: 'plugins', kind: 'plugins', parentField: 'consumer' }, ...credentialSlots],
  },
  consumer_groups: {
    fields: [...common, 'name'],
    refs: [],
    children: [{ key: 'plugins', kind: 'plugins', parentField: 'consumer_group' }],
  },
  consumer_group_members: { fields: ['id'], refs: ['consumer_group', 'consumer'], children: [] },
  plugins: {
    fields: [
      ...common,
      'name',
      'instance_name',
      'config',
      'protocols',
      'enabled',
      'ordering',
      'partials',
      'condition',
      'run_on',
      '_config',
    ],
    refs: ['service', 'route', 'consumer', 'consumer_group'],
    children: [],
  },
  upstreams: {
    fields: [
      ...common,
      'name',
      'algorithm',
      'hash_on',
      'hash_fallback',
      'hash_on_header',
      'hash_fallback_header',
      'hash_on_cookie',
      'hash_on_cookie_path',
      'hash_on_query_arg',
      'hash_fallback_query_arg',
      'hash_on_uri_capture',
      'hash_fallback_uri_capture',
      'slots',
      'healthchecks',
      'host_header',
      'use_srv_name',
      'sticky_sessions_cookie',
      'sticky_sessions_cookie_path',
    ],
    refs: ['client_certificate'],
    children: [{ key: 'targets', kind: 'targets', parentField: 'upstream' }],
  },
  targets: { fields: [...common, 'target', 'weight', 'failover'], refs: ['upstream'], children: [] },
  certificates: {
    fields: [...common, 'cert', 'key', 'cert_alt', 'key_alt'],
    refs: [],
    children: [{ key: 'snis', kind: 'snis', parentField: 'certificate' }],
  },
  snis: { fields: [...common, 'name'], refs: ['certificate'], children: [] },
  ca_certificates: { fields: [...common, 'cert', 'cert_digest'], refs: [], children: [] },
  vaults: { fields: [...common, 'prefix', 'name', 'description', 'config'], refs: [], children: [] },
  key_sets: {
    fields: [...common, 'name'],
    refs: [],
    children: [{ key: 'keys', kind: 'keys', parentField: 'set' }],
  },
  keys: { fields: [...common, 'name', 'kid', 'jwk', 'pem', 'x5t'], refs: ['set'], children: [] },
  filter_chains: {
    fields: [...common, 'name', 'enabled', 'filters'],
    refs: ['service', 'route'],
    children: [],
  },
  keyauth_credentials: { fields: [...common, 'key', 'ttl'], refs: ['consumer'], children: [] },
  basicauth_credentials: { fields: [...common, 'username', 'password'], refs: ['consumer'], children: [] },
  jwt_secrets: {
    fields: [...common, 'key', 'secret', 'rsa_public_key', 'algorithm'],
    refs: ['consumer'],
    children: [],
  },
  hmacauth_credentials: { fields: [...common, 'username', 'secret'], refs: ['consumer'], children: [] },
  acls: { fields: [...common, 'group'], refs: ['consumer'], children: [] },
  oauth2_credentials: {
    fields: [...common, 'name', 'client_id', 'client_secret', 'hash_secret', 'redirect_uris', 'client_type'],
    refs: ['consumer'],
    children: [],
  },
  mtls_auth_credentials: {
    fields: [...common, 'subject_name'],
    refs: ['consumer', 'ca_certificate'],
    children: [],
  },
};

/**
 * Top-level arrays: decK's (`services`, `consumers`, …) plus Kong's flat DB-less format, where every DAO
 * is a top-level array and children point at parents (kong/db/declarative/export.lua). Kong names the
 * consumer-group membership DAO `consumer_group_consumers`.
 */
export const TOP_LEVEL_KINDS: Readonly<Record<string, EntityKind>> = {
  services: 'services',
  routes: 'routes',
  consumers: 'consumers',
  consumer_groups: 'consumer_groups',
  plugins: 'plugins',
  filter_chains: 'filter_chains',
  upstreams: 'upstreams',
  certificates: 'certificates',
  ca_certificates: 'ca_certificates',
  vaults: 'vaults',
  keys: 'keys',
  key_sets: 'key_sets',
  targets: 'targets',
  snis: 'snis',
  keyauth_credentials: 'keyauth_credentials',
  basicauth_credentials: 'basicauth_credentials',
  jwt_secrets: 'jwt_secrets',
  hmacauth_credentials: 'hmacauth_credentials',
  acls: 'acls',
  oauth2_credentials: 'oauth2_credentials',
  mtls_auth_credentials: 'mtls_auth_credentials',
  consumer_group_consumers: 'consumer_group_members',
};

/** The flat format's key for each kind (inverse of TOP_LEVEL_KINDS for the flat DAO names). */
export function flatKey(kind: EntityKind): string {
  return kind === 'consumer_group_members' ? 'consumer_group_consumers' : kind;
}

/** File-level keys that are not entity arrays. `_comment`/`_ignore` are Kong's declarative extras. */
export const META_KEYS: readonly string[] = [
  '_format_version',
  '_transform',
  '_info',
  '_workspace',
  '_konnect',
  '_plugin_configs',
  '_comment',
  '_ignore',
];

/** decK keys for entities snapgate does not back up: refused by name rather than silently dropped. */
export const UNSUPPORTED_KEYS: readonly string[] = [
  'partials',
  'licenses',
  'rbac_roles',
  'service_packages',
  'custom_entities',
  'cloned_plugins',
  'custom_plugins',
];
