import {
  atLeastOneOf,
  entityErrors,
  isEmpty,
  mergeErrors,
  mutuallyExclusive,
  mutuallyRequired,
  nullUnless,
} from './checks.ts';
import {
  certificate,
  createdAt,
  foreign,
  host,
  id,
  openRecord,
  path,
  port,
  privateKey,
  protocol,
  protocols,
  stringSet,
  tags,
  timeout,
  updatedAt,
  utf8Name,
  wildcardHost,
} from './typedefs.ts';
import type { EntitySchema } from './types.ts';

/** Core entities, field by field after kong/db/schema/entities/*.lua (Kong 3.10). */

const TLS_PROTOCOLS = ['https', 'tls'];

/** kong/db/schema/entities/services.lua */
export const services: EntitySchema = {
  name: 'services',
  adminPath: 'services',
  endpointKey: 'name',
  fields: {
    id,
    created_at: createdAt,
    updated_at: updatedAt,
    name: utf8Name,
    retries: { type: 'integer', default: 5, between: [0, 32767] },
    protocol: { ...protocol, required: true, default: 'http' },
    host: { ...host, required: true },
    port: { ...port, required: true, default: 80 },
    path,
    connect_timeout: { ...timeout, default: 60000 },
    write_timeout: { ...timeout, default: 60000 },
    read_timeout: { ...timeout, default: 60000 },
    tags,
    client_certificate: foreign('certificates'),
    tls_verify: { type: 'boolean' },
    tls_verify_depth: { type: 'integer', between: [0, 64] },
    ca_certificates: { type: 'array', elements: { type: 'string', uuid: true } },
    enabled: { type: 'boolean', required: true, default: true },
  },
  entityChecks: (e) =>
    mergeErrors(
      ['tcp', 'tls', 'udp', 'grpc', 'grpcs'].includes(String(e.protocol)) && !isEmpty(e.path)
        ? {
            path: 'value must be null',
            '@entity': ["failed conditional validation given value of field 'protocol'"],
          }
        : undefined,
      nullUnless(e, 'protocol', TLS_PROTOCOLS, 'client_certificate'),
      nullUnless(e, 'protocol', TLS_PROTOCOLS, 'tls_verify'),
      nullUnless(e, 'protocol', TLS_PROTOCOLS, 'tls_verify_depth'),
      nullUnless(e, 'protocol', TLS_PROTOCOLS, 'ca_certificates'),
    ),
};

/** routes_subschemas.lua: what an http/https/grpc/stream route must match on. */
function routeChecks(e: Record<string, unknown>) {
  const protos = Array.isArray(e.protocols) ? (e.protocols as string[]) : [];
  const needOne = (fields: string[], label: string) =>
    fields.some((f) => !isEmpty(e[f]))
      ? undefined
      : `must set one of ${fields.map((f) => `'${f}'`).join(', ')} when 'protocols' is ${label}`;
  if (protos.includes('https'))
    return entityErrors(needOne(['methods', 'hosts', 'headers', 'paths', 'snis'], "'https'"));
  if (protos.includes('http'))
    return entityErrors(needOne(['methods', 'hosts', 'headers', 'paths'], "'http'"));
  if (protos.includes('grpcs'))
    return entityErrors(needOne(['hosts', 'headers', 'paths', 'snis'], "'grpcs'"));
  if (protos.includes('grpc')) return entityErrors(needOne(['hosts', 'headers', 'paths'], "'grpc'"));
  if (protos.some((p) => ['tcp', 'tls', 'udp'].includes(p)))
    return entityErrors(needOne(['sources', 'destinations', 'snis'], "'tcp', 'tls' or 'udp'"));
  return undefined;
}

/** kong/db/schema/entities/routes.lua (traditional_compatible router). */
export const routes: EntitySchema = {
  name: 'routes',
  adminPath: 'routes',
  endpointKey: 'name',
  fields: {
    id,
    created_at: createdAt,
    updated_at: updatedAt,
    name: utf8Name,
    protocols: { ...protocols, default: ['http', 'https'] },
    https_redirect_status_code: {
      type: 'integer',
      oneOf: [426, 301, 302, 307, 308],
      default: 426,
      required: true,
    },
    strip_path: { type: 'boolean', required: true, default: true },
    preserve_host: { type: 'boolean', required: true, default: false },
    request_buffering: { type: 'boolean', required: true, default: true },
    response_buffering: { type: 'boolean', required: true, default: true },
    tags,
    service: foreign('services'),
    snis: stringSet,
    sources: { type: 'set', elements: { type: 'record' } },
    destinations: { type: 'set', elements: { type: 'record' } },
    methods: stringSet,
    hosts: { type: 'array', elements: { type: 'string' } },
    paths: { type: 'array', elements: { type: 'string' } },
    headers: { type: 'map' },
    regex_priority: { type: 'integer', default: 0 },
    path_handling: { type: 'string', default: 'v0', oneOf: ['v0', 'v1'] },
  },
  entityChecks: routeChecks,
};

/** kong/db/schema/entities/consumers.lua */
export const consumers: EntitySchema = {
  name: 'consumers',
  adminPath: 'consumers',
  endpointKey: 'username',
  fields: {
    id,
    created_at: createdAt,
    updated_at: updatedAt,
    username: { type: 'string', unique: true },
    custom_id: { type: 'string', unique: true },
    tags,
  },
  entityChecks: (e) => entityErrors(atLeastOneOf(e, ['custom_id', 'username'])),
};

/** kong/db/schema/entities/plugins.lua; Enterprise adds the consumer_group scope (see enterprise.ts). */
export const plugins: EntitySchema = {
  name: 'plugins',
  adminPath: 'plugins',
  endpointKey: 'instance_name',
  cacheKey: ['name', 'route', 'service', 'consumer'],
  fields: {
    id,
    name: { type: 'string', required: true },
    instance_name: utf8Name,
    created_at: createdAt,
    updated_at: updatedAt,
    route: foreign('routes', { onDelete: 'cascade' }),
    service: foreign('services', { onDelete: 'cascade' }),
    consumer: foreign('consumers', { onDelete: 'cascade' }),
    config: openRecord,
    protocols,
    enabled: { type: 'boolean', required: true, default: true },
    tags,
  },
};

/** kong/db/schema/entities/certificates.lua; `snis` is a transient pseudo-field (kong/db/dao/certificates.lua). */
export const certificates: EntitySchema = {
  name: 'certificates',
  adminPath: 'certificates',
  fields: {
    id,
    created_at: createdAt,
    updated_at: updatedAt,
    cert: { ...certificate, required: true },
    key: { ...privateKey, required: true },
    cert_alt: certificate,
    key_alt: privateKey,
    tags,
    snis: { type: 'array', elements: wildcardHost, transient: true },
  },
  entityChecks: (e) => entityErrors(mutuallyRequired(e, ['cert_alt', 'key_alt'])),
};

/** kong/db/schema/entities/snis.lua */
export const snis: EntitySchema = {
  name: 'snis',
  adminPath: 'snis',
  endpointKey: 'name',
  fields: {
    id,
    name: { ...wildcardHost, required: true, unique: true },
    created_at: createdAt,
    updated_at: updatedAt,
    tags,
    certificate: foreign('certificates', { required: true }),
  },
};

/** kong/db/schema/entities/ca_certificates.lua: `cert_digest` is derived from the certificate and unique. */
export const caCertificates: EntitySchema = {
  name: 'ca_certificates',
  adminPath: 'ca_certificates',
  fields: {
    id,
    created_at: createdAt,
    updated_at: updatedAt,
    cert: { ...certificate, required: true },
    cert_digest: { type: 'string', unique: true },
    tags,
  },
};

/** kong/db/schema/entities/vaults.lua; `name` is the vault type, checked against the loaded vaults. */
export const vaults: EntitySchema = {
  name: 'vaults',
  adminPath: 'vaults',
  endpointKey: 'prefix',
  cacheKey: ['prefix'],
  fields: {
    id,
    prefix: {
      type: 'string',
      required: true,
      unique: true,
      validate: (v) =>
        /^[a-z][a-z\d-]*[a-z\d]+$/.test(String(v)) ? undefined : `invalid value: ${String(v)}`,
    },
    name: { type: 'string', required: true },
    description: { type: 'string' },
    config: openRecord,
    created_at: createdAt,
    updated_at: updatedAt,
    tags,
  },
};

/** kong/db/schema/entities/key_sets.lua */
export const keySets: EntitySchema = {
  name: 'key_sets',
  adminPath: 'key-sets',
  endpointKey: 'name',
  fields: {
    id,
    name: { type: 'string', unique: true },
    tags,
    created_at: createdAt,
    updated_at: updatedAt,
  },
};

/** kong/db/schema/entities/keys.lua: exactly one of jwk / pem. */
export const keys: EntitySchema = {
  name: 'keys',
  adminPath: 'keys',
  endpointKey: 'name',
  cacheKey: ['kid', 'set'],
  fields: {
    id,
    set: foreign('key_sets', { onDelete: 'cascade' }),
    name: { type: 'string', unique: true },
    kid: { type: 'string', required: true },
    jwk: { type: 'string' },
    pem: { type: 'record', fields: { private_key: { type: 'string' }, public_key: { type: 'string' } } },
    tags,
    created_at: createdAt,
    updated_at: updatedAt,
  },
  entityChecks: (e) => entityErrors(mutuallyExclusive(e, ['jwk', 'pem']), atLeastOneOf(e, ['jwk', 'pem'])),
};

/** kong/db/schema/entities/filter_chains.lua: on exactly one service or route (wasm assumed enabled). */
export const filterChains: EntitySchema = {
  name: 'filter_chains',
  adminPath: 'filter-chains',
  endpointKey: 'name',
  cacheKey: ['route', 'service'],
  fields: {
    id,
    name: utf8Name,
    enabled: { type: 'boolean', required: true, default: true },
    route: foreign('routes', { onDelete: 'cascade', unique: true }),
    service: foreign('services', { onDelete: 'cascade', unique: true }),
    filters: {
      type: 'array',
      required: true,
      lenMin: 1,
      elements: {
        type: 'record',
        fields: {
          name: { type: 'string', required: true },
          config: { type: 'any' },
          enabled: { type: 'boolean', default: true },
        },
      },
    },
    created_at: createdAt,
    updated_at: updatedAt,
    tags,
  },
  entityChecks: (e) =>
    entityErrors(mutuallyExclusive(e, ['service', 'route']), atLeastOneOf(e, ['service', 'route'])),
};

/** kong/db/schema/entities/targets.lua: nested-only endpoints, millisecond timestamps. */
export const targets: EntitySchema = {
  name: 'targets',
  adminPath: 'targets',
  endpointKey: 'target',
  cacheKey: ['upstream', 'target'],
  nestedOnly: true,
  fields: {
    id,
    created_at: { type: 'number', auto: 'ts_ms' },
    updated_at: { type: 'number', auto: 'ts_ms' },
    upstream: foreign('upstreams', { required: true, onDelete: 'cascade' }),
    target: { type: 'string', required: true },
    weight: { type: 'integer', default: 100, between: [0, 65535] },
    tags,
  },
};
