import { isEmpty, mergeErrors } from './checks.ts';
import { createdAt, foreign, id, path, tags, updatedAt } from './typedefs.ts';
import type { EntitySchema, FieldDef } from './types.ts';

/** kong/db/schema/entities/upstreams.lua, including the generated healthchecks record and its defaults. */

const seconds: FieldDef = { type: 'number', between: [0, 65535] };
const oneByte: FieldDef = { type: 'integer', between: [0, 255] };
const statuses = (d: number[]): FieldDef => ({
  type: 'array',
  default: d,
  elements: { type: 'integer', between: [100, 999] },
});
const checkType: FieldDef = {
  type: 'string',
  oneOf: ['tcp', 'http', 'https', 'grpc', 'grpcs'],
  default: 'http',
};
const withDefault = (f: FieldDef, d: unknown): FieldDef => ({ ...f, default: d });

const activeHealthy: Record<string, FieldDef> = {
  interval: withDefault(seconds, 0),
  http_statuses: statuses([200, 302]),
  successes: withDefault(oneByte, 0),
};
const activeUnhealthy: Record<string, FieldDef> = {
  interval: withDefault(seconds, 0),
  http_statuses: statuses([429, 404, 500, 501, 502, 503, 504, 505]),
  tcp_failures: withDefault(oneByte, 0),
  timeouts: withDefault(oneByte, 0),
  http_failures: withDefault(oneByte, 0),
};
const passiveHealthy: Record<string, FieldDef> = {
  http_statuses: statuses([
    200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308,
  ]),
  successes: withDefault(oneByte, 0),
};
const passiveUnhealthy: Record<string, FieldDef> = {
  http_statuses: statuses([429, 500, 503]),
  tcp_failures: withDefault(oneByte, 0),
  timeouts: withDefault(oneByte, 0),
  http_failures: withDefault(oneByte, 0),
};

// kong/db/schema/entity.lua make_records_required: records in an entity are required
const record = (fields: Record<string, FieldDef>): FieldDef => ({
  type: 'record',
  fields,
  default: {},
  required: true,
});

export const healthchecksField: FieldDef = record({
  active: record({
    type: checkType,
    timeout: withDefault(seconds, 1),
    concurrency: { type: 'integer', between: [1, 2 ** 31], default: 10 },
    http_path: withDefault(path, '/'),
    https_sni: { type: 'string' },
    https_verify_certificate: { type: 'boolean', required: true, default: true },
    headers: { type: 'map' },
    healthy: record(activeHealthy),
    unhealthy: record(activeUnhealthy),
  }),
  passive: record({
    type: checkType,
    healthy: record(passiveHealthy),
    unhealthy: record(passiveUnhealthy),
  }),
  threshold: { type: 'number', between: [0, 100], default: 0 },
});

const HASH_ON = ['none', 'consumer', 'ip', 'header', 'cookie', 'path', 'query_arg', 'uri_capture'];
const hashOn: FieldDef = { type: 'string', default: 'none', oneOf: HASH_ON };
const simpleParam: FieldDef = { type: 'string', lenMin: 1 };

const HOSTNAME_RE =
  /^(?=.{1,253}$)[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,62})(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,62}))*\.?$/;
const IP_RE = /^(\d{1,3}\.){3}\d{1,3}$|^\[?[0-9a-fA-F:]*:[0-9a-fA-F:]*\]?$/;

function validateUpstreamName(v: unknown): string | undefined {
  const s = String(v);
  if (IP_RE.test(s)) return `Invalid name ('${s}'); no ip addresses allowed`;
  if (/:\d+$/.test(s)) return `Invalid name ('${s}'); no port allowed`;
  if (!HOSTNAME_RE.test(s)) return `Invalid name ('${s}'); must be a valid hostname`;
  return undefined;
}

/** `hash_on_header` is required when hashing on a header, and so on (upstreams.lua entity_checks). */
function hashChecks(e: Record<string, unknown>) {
  const needs: [string, string, string][] = [
    ['hash_on', 'header', 'hash_on_header'],
    ['hash_fallback', 'header', 'hash_fallback_header'],
    ['hash_on', 'cookie', 'hash_on_cookie'],
    ['hash_on', 'query_arg', 'hash_on_query_arg'],
    ['hash_fallback', 'query_arg', 'hash_fallback_query_arg'],
    ['hash_on', 'uri_capture', 'hash_on_uri_capture'],
    ['hash_fallback', 'uri_capture', 'hash_fallback_uri_capture'],
  ];
  const errors: Record<string, unknown> = {};
  for (const [ifField, value, thenField] of needs) {
    if (e[ifField] === value && isEmpty(e[thenField])) {
      errors[thenField] = 'required field missing';
      errors['@entity'] = [`failed conditional validation given value of field '${ifField}'`];
    }
  }
  if (e.hash_on === 'none' && e.hash_fallback !== 'none' && !isEmpty(e.hash_fallback)) {
    errors.hash_fallback = 'expected one of: none';
    errors['@entity'] = ["failed conditional validation given value of field 'hash_on'"];
  }
  return mergeErrors(errors);
}

export const upstreams: EntitySchema = {
  name: 'upstreams',
  adminPath: 'upstreams',
  endpointKey: 'name',
  fields: {
    id,
    created_at: createdAt,
    updated_at: updatedAt,
    name: { type: 'string', required: true, unique: true, validate: validateUpstreamName },
    algorithm: {
      type: 'string',
      default: 'round-robin',
      oneOf: ['consistent-hashing', 'least-connections', 'round-robin', 'latency'],
    },
    hash_on: hashOn,
    hash_fallback: hashOn,
    hash_on_header: { type: 'string' },
    hash_fallback_header: { type: 'string' },
    hash_on_cookie: { type: 'string' },
    hash_on_cookie_path: withDefault(path, '/'),
    hash_on_query_arg: simpleParam,
    hash_fallback_query_arg: simpleParam,
    hash_on_uri_capture: simpleParam,
    hash_fallback_uri_capture: simpleParam,
    slots: { type: 'integer', default: 10000, between: [10, 2 ** 16] },
    healthchecks: healthchecksField,
    tags,
    host_header: { type: 'string' },
    client_certificate: foreign('certificates'),
    use_srv_name: { type: 'boolean', default: false },
  },
  entityChecks: hashChecks,
};
