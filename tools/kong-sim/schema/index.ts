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

/** Bundled plugins of Kong OSS 3.10 (kong/constants.lua). */
export const OSS_PLUGINS = [
  'jwt',
  'acl',
  'correlation-id',
  'cors',
  'oauth2',
  'tcp-log',
  'udp-log',
  'file-log',
  'http-log',
  'key-auth',
  'hmac-auth',
  'basic-auth',
  'ip-restriction',
  'request-transformer',
  'response-transformer',
  'request-size-limiting',
  'rate-limiting',
  'response-ratelimiting',
  'syslog',
  'loggly',
  'datadog',
  'ldap-auth',
  'statsd',
  'bot-detection',
  'aws-lambda',
  'request-termination',
  'prometheus',
  'proxy-cache',
  'session',
  'acme',
  'grpc-gateway',
  'grpc-web',
  'pre-function',
  'post-function',
  'azure-functions',
  'zipkin',
  'opentelemetry',
  'ai-proxy',
  'ai-prompt-decorator',
  'ai-prompt-template',
  'ai-prompt-guard',
  'ai-request-transformer',
  'ai-response-transformer',
  'standard-webhooks',
  'redirect',
] as const;

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
  plugins: ReadonlySet<string>;
  vaults: ReadonlySet<string>;
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
    plugins: new Set<string>([...OSS_PLUGINS, ...(enterprise ? ENTERPRISE_PLUGINS : [])]),
    vaults: new Set<string>(enterprise ? ENTERPRISE_VAULTS : OSS_VAULTS),
  };
}
