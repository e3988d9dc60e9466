import type { FieldDef } from './types.ts';

/** Field shapes shared by many entities, after kong/db/schema/typedefs.lua. */

export const PROTOCOLS = ['grpc', 'grpcs', 'http', 'https', 'tcp', 'tls', 'tls_passthrough', 'udp'] as const;
/** typedefs.protocols default: the protocols of the http subsystem, sorted (kong/constants.lua). */
export const HTTP_PROTOCOLS = ['grpc', 'grpcs', 'http', 'https'] as const;

export const id: FieldDef = { type: 'string', uuid: true, auto: 'uuid' };
export const createdAt: FieldDef = { type: 'integer', auto: 'ts_s' };
export const updatedAt: FieldDef = { type: 'integer', auto: 'ts_s' };

const TAG_RE = /^[\x20-\x2b\x2d\x2e\x30-\x7e\u0080-\u{10ffff}]+$/u;
export const tags: FieldDef = {
  type: 'set',
  elements: {
    type: 'string',
    required: true,
    validate: (v) =>
      TAG_RE.test(String(v))
        ? undefined
        : 'invalid tag: must only contain printable ascii (except `,` and `/`) or valid utf-8',
  },
};

const NAME_RE = /^[\p{L}\p{N}.\-_~]+$/u;
/** typedefs.utf8_name: unique, letters/digits and `.-_~` only. */
export const utf8Name: FieldDef = {
  type: 'string',
  unique: true,
  validate: (v) =>
    NAME_RE.test(String(v))
      ? undefined
      : `invalid value '${String(v)}': the only accepted ascii characters are alphanumerics or ., -, _, and ~`,
};

const HOST_RE = /^(?:[a-zA-Z0-9*](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?\.?)+$|^\[?[0-9a-fA-F:.]+\]?$/;
export function isHostname(v: string): boolean {
  return v.length > 0 && v.length <= 253 && HOST_RE.test(v) && !v.includes(':');
}
export const host: FieldDef = {
  type: 'string',
  validate: (v) => {
    const s = String(v);
    if (HOST_RE.test(s)) return undefined;
    return `invalid value: ${s}`;
  },
};
export const port: FieldDef = { type: 'integer', between: [0, 65535] };
export const path: FieldDef = {
  type: 'string',
  startsWith: '/',
  validate: (v) => (String(v).includes('//') ? 'must not have empty segments' : undefined),
};
export const protocol: FieldDef = { type: 'string', oneOf: PROTOCOLS };
export const protocols: FieldDef = {
  type: 'set',
  required: true,
  default: [...HTTP_PROTOCOLS],
  elements: protocol,
};
export const timeout: FieldDef = { type: 'integer', between: [1, 2 ** 31 - 2] };

const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/;
const PEM_KEY_RE = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/;
/** typedefs.certificate / typedefs.key: Kong parses them with OpenSSL; the simulator checks the PEM shape. */
export const certificate: FieldDef = {
  type: 'string',
  validate: (v) =>
    PEM_CERT_RE.test(String(v)) ? undefined : 'invalid certificate: x509.new: not a PEM certificate',
};
export const privateKey: FieldDef = {
  type: 'string',
  validate: (v) => (PEM_KEY_RE.test(String(v)) ? undefined : 'invalid key: pkey.new: not a PEM private key'),
};
const WILDCARD_HOST_RE = /^(\*\.)?[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*(\.\*)?$/;
export const wildcardHost: FieldDef = {
  type: 'string',
  validate: (v) => (WILDCARD_HOST_RE.test(String(v)) ? undefined : `invalid wildcard: ${String(v)}`),
};

export function foreign(reference: string, extra: Partial<FieldDef> = {}): FieldDef {
  return { type: 'foreign', reference, ...extra };
}

export const strings: FieldDef = { type: 'array', elements: { type: 'string' } };
export const stringSet: FieldDef = { type: 'set', elements: { type: 'string' } };
export const openRecord: FieldDef = { type: 'record' };
