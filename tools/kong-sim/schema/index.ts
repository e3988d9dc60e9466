import { bundledPlugin, bundledPlugins, type PluginSchema } from '../kong-schema.ts';
import {
  caCertificates,
  certificates,
  consumers,
  filterChains,
  keySets,
  keys,
  plugins,
  routes,
  services,
  snis,
  targets,
  vaults,
} from './core.ts';
import {
  acls,
  basicauthCredentials,
  consumerGroups,
  hmacauthCredentials,
  jwtSecrets,
  keyauthCredentials,
  mtlsAuthCredentials,
  oauth2Credentials,
} from './credentials.ts';
import { foreign } from './typedefs.ts';
import type { EntitySchema } from './types.ts';
import { upstreams } from './upstreams.ts';

export type Edition = 'community' | 'enterprise';

/** A few Enterprise plugins decK files commonly carry. */
export const ENTERPRISE_PLUGINS = [
  'rate-limiting-advanced',
  'openid-connect',
  'mtls-auth',
  'request-validator',
  'proxy-cache-advanced',
  'canary',
  'jwt-signer',
  'key-auth-enc',
  'ldap-auth-advanced',
  'oauth2-introspection',
  'opa',
  'exit-transformer',
  'route-transformer-advanced',
  'request-transformer-advanced',
  'response-transformer-advanced',
  'graphql-rate-limiting-advanced',
] as const;

/** Vault types: OSS bundles `env`; Enterprise adds the cloud vaults. */
export const OSS_VAULTS = ['env'] as const;
export const ENTERPRISE_VAULTS = ['env', 'aws', 'gcp', 'hcv', 'azure', 'conjur'] as const;

/**
 * All entity schemas in dependency order (parents before children): the order of Kong's topological
 * export (kong/db/schema/topological_sort.lua), used for /config output and for cascade bookkeeping.
 */
export function buildSchemas(edition: Edition): EntitySchema[] {
  const enterprise = edition === 'enterprise';
  const pluginSchema: EntitySchema = enterprise
    ? {
        ...plugins,
        cacheKey: ['name', 'route', 'service', 'consumer', 'consumer_group'],
        fields: { ...plugins.fields, consumer_group: foreign('consumer_groups', { onDelete: 'cascade' }) },
      }
    : plugins;
  const all: EntitySchema[] = [
    certificates,
    caCertificates,
    consumers,
    vaults,
    keySets,
    services,
    upstreams,
    snis,
    keys,
    consumerGroups,
    keyauthCredentials,
    basicauthCredentials,
    jwtSecrets,
    hmacauthCredentials,
    acls,
    oauth2Credentials,
    mtlsAuthCredentials,
    routes,
    targets,
    pluginSchema,
    filterChains,
  ];
  return all.filter((s) => enterprise || !s.enterprise);
}

export interface SchemaRegistry {
  edition: Edition;
  list: EntitySchema[];
  byName: Map<string, EntitySchema>;
  byAdminPath: Map<string, EntitySchema>;
  /** children[parent] = every (child schema, FK field) pointing at parent. */
  children: Map<string, { schema: EntitySchema; field: string }[]>;
  /** the node's enabled plugins (`loaded_plugins`); tests may remove one to disable it. */
  plugins: Set<string>;
  /** custom plugin schemas registered by tests, served and applied like bundled ones. */
  customPlugins: Map<string, PluginSchema>;
  vaults: ReadonlySet<string>;
}

/** The subschema of an enabled plugin: a registered custom one, else Kong's bundled one. */
export function pluginSchemaFor(registry: SchemaRegistry, name: string): PluginSchema | undefined {
  if (!registry.plugins.has(name)) return undefined;
  return registry.customPlugins.get(name) ?? bundledPlugin(name);
}

export function buildRegistry(edition: Edition): SchemaRegistry {
  const list = buildSchemas(edition);
  const byName = new Map(list.map((s) => [s.name, s]));
  const byAdminPath = new Map(list.map((s) => [s.adminPath, s]));
  const children = new Map<string, { schema: EntitySchema; field: string }[]>();
  for (const schema of list) {
    for (const [field, def] of Object.entries(schema.fields)) {
      if (def.type !== 'foreign' || !def.reference) continue;
      const arr = children.get(def.reference) ?? [];
      arr.push({ schema, field });
      children.set(def.reference, arr);
    }
  }
  const enterprise = edition === 'enterprise';
  return {
    edition,
    list,
    byName,
    byAdminPath,
    children,
    plugins: new Set<string>([...bundledPlugins(), ...(enterprise ? ENTERPRISE_PLUGINS : [])]),
    customPlugins: new Map(),
    vaults: new Set<string>(enterprise ? ENTERPRISE_VAULTS : OSS_VAULTS),
  };
}
