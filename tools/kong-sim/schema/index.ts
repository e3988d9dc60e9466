import { bundledPlugin, bundledPlugins, type PluginSchema } from '../kong-schema.ts';
import { enterpriseEntity, ossEntity } from './entities.ts';
import type { EntitySchema } from './types.ts';

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
 * Enterprise-only kinds exist on Enterprise nodes only.
 */
const ORDER: readonly (readonly [string, 'oss' | 'enterprise'])[] = [
  ['certificates', 'oss'],
  ['ca_certificates', 'oss'],
  ['consumers', 'oss'],
  ['vaults', 'oss'],
  ['key_sets', 'oss'],
  ['services', 'oss'],
  ['upstreams', 'oss'],
  ['snis', 'oss'],
  ['keys', 'oss'],
  ['consumer_groups', 'enterprise'],
  ['keyauth_credentials', 'oss'],
  ['basicauth_credentials', 'oss'],
  ['jwt_secrets', 'oss'],
  ['hmacauth_credentials', 'oss'],
  ['acls', 'oss'],
  ['oauth2_credentials', 'oss'],
  ['mtls_auth_credentials', 'enterprise'],
  ['routes', 'oss'],
  ['targets', 'oss'],
  ['plugins', 'oss'],
  ['filter_chains', 'oss'],
];

const BUILT = new Map<Edition, EntitySchema[]>();

/** The schemas of an `edition` node, built once per process from the generated data. */
export function buildSchemas(edition: Edition): EntitySchema[] {
  let list = BUILT.get(edition);
  if (!list) {
    list = ORDER.filter(([, from]) => from === 'oss' || edition === 'enterprise').map(([name, from]) =>
      from === 'oss' ? ossEntity(name, edition) : enterpriseEntity(name),
    );
    BUILT.set(edition, list);
  }
  return list;
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
