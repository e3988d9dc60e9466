/**
 * Where each kind lives on Kong's Admin API (kong/api/routes/*.lua and the DAO endpoints Kong generates
 * from each schema, kong/api/endpoints.lua; plugin DAOs in kong/plugins/<plugin>/api.lua). These are Kong
 * facts, so they live here and not in the gateway-neutral catalogue (`src/core/catalogue`), which keeps
 * only what the entities are: keys, references, levels, secrets.
 */
import { AWS_KINDS, type AwsKind, type EntityKind } from '../core/index.ts';

export interface AdminPath {
  /** top-level collection, or null when Kong offers the kind only under its parent (targets, members) */
  collection: string | null;
  /** the segment after `/<parent collection>/<parent id>/` for kinds owned by a parent (`key-auth`) */
  nested?: string;
  /** writes must go to the nested path (credentials, targets, members), as decK writes them */
  writeNested: boolean;
  /** the field Kong accepts in place of the id in URLs (`/services/{name}`) */
  endpointKey?: string;
}

/** A kind of another gateway type (AWS API Gateway's): nowhere on Kong's Admin API, and never dumped or
 * written by Kong's gateway, which walks Kong's catalogue only. */
const NOT_ON_KONG: AdminPath = Object.freeze({ collection: null, writeNested: false });
const OTHER_GATEWAYS = Object.fromEntries(AWS_KINDS.map((k) => [k, NOT_ON_KONG])) as Record<
  AwsKind,
  AdminPath
>;

export const ADMIN_PATHS: Readonly<Record<EntityKind, AdminPath>> = {
  certificates: { collection: '/certificates', writeNested: false },
  ca_certificates: { collection: '/ca_certificates', writeNested: false },
  consumers: { collection: '/consumers', writeNested: false, endpointKey: 'username' },
  vaults: { collection: '/vaults', writeNested: false, endpointKey: 'prefix' },
  key_sets: { collection: '/key-sets', writeNested: false, endpointKey: 'name' },
  services: { collection: '/services', writeNested: false, endpointKey: 'name' },
  upstreams: { collection: '/upstreams', writeNested: false, endpointKey: 'name' },
  snis: { collection: '/snis', nested: 'snis', writeNested: false, endpointKey: 'name' },
  keys: { collection: '/keys', writeNested: false, endpointKey: 'name' },
  consumer_groups: { collection: '/consumer_groups', writeNested: false, endpointKey: 'name' },
  keyauth_credentials: {
    collection: '/key-auths',
    nested: 'key-auth',
    writeNested: true,
    endpointKey: 'key',
  },
  basicauth_credentials: {
    collection: '/basic-auths',
    nested: 'basic-auth',
    writeNested: true,
    endpointKey: 'username',
  },
  jwt_secrets: { collection: '/jwts', nested: 'jwt', writeNested: true, endpointKey: 'key' },
  hmacauth_credentials: {
    collection: '/hmac-auths',
    nested: 'hmac-auth',
    writeNested: true,
    endpointKey: 'username',
  },
  acls: { collection: '/acls', nested: 'acls', writeNested: true },
  oauth2_credentials: {
    collection: '/oauth2',
    nested: 'oauth2',
    writeNested: true,
    endpointKey: 'client_id',
  },
  mtls_auth_credentials: { collection: '/mtls-auths', nested: 'mtls-auth', writeNested: true },
  routes: { collection: '/routes', writeNested: false, endpointKey: 'name' },
  // kong/api/routes/upstreams.lua: top-level /targets is disabled
  targets: { collection: null, nested: 'targets', writeNested: true, endpointKey: 'target' },
  // kong/api/routes/consumer_groups.lua: /consumer_groups/{group}/consumers
  consumer_group_members: { collection: null, nested: 'consumers', writeNested: true },
  plugins: { collection: '/plugins', writeNested: false, endpointKey: 'instance_name' },
  filter_chains: { collection: '/filter-chains', writeNested: false, endpointKey: 'name' },
  ...OTHER_GATEWAYS,
};
