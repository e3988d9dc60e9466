/**
 * What Kong's entity schemas check in Lua functions, which the generated data cannot carry
 * (`custom_validator` and `custom_entity_check` are functions; schema_to_jsonable leaves them out). Each
 * stands in for the function it names, with Kong's message; everything else comes from the data.
 */
import type { Compiled } from '../kong-schema.ts';
import { entityErrors, isEmpty } from './checks.ts';
import type { FieldErrors } from './types.ts';

type Validator = (value: unknown) => string | undefined;

// typedefs.lua validate_tag
const TAG_RE = /^[\x20-\x2b\x2d\x2e\x30-\x7e\u0080-\u{10ffff}]+$/u;
const tag: Validator = (v) =>
  TAG_RE.test(String(v))
    ? undefined
    : 'invalid tag: must only contain printable ascii (except `,` and `/`) or valid utf-8';

// typedefs.lua validate_utf8_name (typedefs.utf8_name)
const NAME_RE = /^[\p{L}\p{N}.\-_~]+$/u;
const utf8Name: Validator = (v) =>
  NAME_RE.test(String(v))
    ? undefined
    : `invalid value '${String(v)}': the only accepted ascii characters are alphanumerics or ., -, _, and ~`;

// typedefs.lua validate_host (typedefs.host)
const HOST_RE = /^(?:[a-zA-Z0-9*](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?\.?)+$|^\[?[0-9a-fA-F:.]+\]?$/;
const host: Validator = (v) => (HOST_RE.test(String(v)) ? undefined : `invalid value: ${String(v)}`);

// typedefs.lua validate_certificate / validate_key: Kong parses with OpenSSL, the simulator checks the PEM shape
const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/;
const PEM_KEY_RE = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/;
const certificate: Validator = (v) =>
  PEM_CERT_RE.test(String(v)) ? undefined : 'invalid certificate: x509.new: not a PEM certificate';
const privateKey: Validator = (v) =>
  PEM_KEY_RE.test(String(v)) ? undefined : 'invalid key: pkey.new: not a PEM private key';

// typedefs.lua validate_wildcard_host (typedefs.wildcard_host)
const WILDCARD_HOST_RE = /^(\*\.)?[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*(\.\*)?$/;
const wildcardHost: Validator = (v) =>
  WILDCARD_HOST_RE.test(String(v)) ? undefined : `invalid wildcard: ${String(v)}`;

// upstreams.lua validate_name
const HOSTNAME_RE =
  /^(?=.{1,253}$)[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,62})(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,62}))*\.?$/;
const IP_RE = /^(\d{1,3}\.){3}\d{1,3}$|^\[?[0-9a-fA-F:]*:[0-9a-fA-F:]*\]?$/;
const upstreamName: Validator = (v) => {
  const s = String(v);
  if (IP_RE.test(s)) return `Invalid name ('${s}'); no ip addresses allowed`;
  if (/:\d+$/.test(s)) return `Invalid name ('${s}'); no port allowed`;
  if (!HOSTNAME_RE.test(s)) return `Invalid name ('${s}'); must be a valid hostname`;
  return undefined;
};

// typedefs.lua validate_url (typedefs.url), as kong/plugins/oauth2/daos.lua redirect_uris elements
const url: Validator = (v) =>
  /^[a-z][a-z0-9+.-]*:\/\/[^/#]+/i.test(String(v)) ? undefined : `cannot parse '${String(v)}'`;

/** Field paths (`[]`: the elements of an array or set) → the custom validator Kong runs there. */
const FIELD_VALIDATORS: Record<string, Record<string, Validator>> = {
  services: { name: utf8Name, host },
  routes: { name: utf8Name },
  plugins: { instance_name: utf8Name },
  filter_chains: { name: utf8Name },
  certificates: {
    cert: certificate,
    cert_alt: certificate,
    key: privateKey,
    key_alt: privateKey,
    'snis[]': wildcardHost,
  },
  ca_certificates: { cert: certificate },
  snis: { name: wildcardHost },
  upstreams: { name: upstreamName },
  oauth2_credentials: { 'redirect_uris[]': url },
};

/** Attaches the custom validators of `entity` (and every entity's `tags[]`) to its compiled schema. */
export function attachLuaValidators(entity: string, compiled: Compiled): void {
  const table = { 'tags[]': tag, ...FIELD_VALIDATORS[entity] };
  for (const [path, validator] of Object.entries(table)) {
    const name = path.replace(/\[\]$/, '');
    const field = compiled.byName?.get(name);
    const target = path.endsWith('[]') ? field?.elements : field;
    if (target) target.custom = validator;
  }
}

/**
 * routes.lua with router_flavor = traditional_compatible: the subschemas' `custom_entity_check` that an
 * http/https/grpc/stream route must match on something.
 */
function routeMustMatch(e: Record<string, unknown>): FieldErrors | undefined {
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

/** The `custom_entity_check` stand-ins, by entity. */
export const LUA_ENTITY_CHECKS: Record<string, (e: Record<string, unknown>) => FieldErrors | undefined> = {
  routes: routeMustMatch,
};
