import { createdAt, foreign, id, tags, updatedAt } from './typedefs.ts';
import type { EntitySchema, FieldDef } from './types.ts';

/**
 * Credential DAOs, from kong/plugins/<plugin>/daos.lua. They have `created_at` only (no updated_at), a
 * required `consumer` that cascades, a top-level path (`admin_api_name`) and a path under the consumer
 * (`admin_api_nested_name`). Consumer groups and mtls-auth are Kong Enterprise.
 */

const consumer: FieldDef = foreign('consumers', { required: true, onDelete: 'cascade' });

export const keyauthCredentials: EntitySchema = {
  name: 'keyauth_credentials',
  adminPath: 'key-auths',
  nestedPath: 'key-auth',
  endpointKey: 'key',
  cacheKey: ['key'],
  // kong/plugins/key-auth/daos.lua: `ttl = true`
  ttl: true,
  fields: {
    id,
    created_at: createdAt,
    consumer,
    key: { type: 'string', unique: true, auto: 'random' },
    tags,
  },
};

export const basicauthCredentials: EntitySchema = {
  name: 'basicauth_credentials',
  adminPath: 'basic-auths',
  nestedPath: 'basic-auth',
  endpointKey: 'username',
  cacheKey: ['username'],
  fields: {
    id,
    created_at: createdAt,
    consumer,
    username: { type: 'string', required: true, unique: true },
    password: { type: 'string', required: true },
    tags,
  },
};

const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
];
const NEEDS_PUBLIC_KEY = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'];

export const jwtSecrets: EntitySchema = {
  name: 'jwt_secrets',
  adminPath: 'jwts',
  nestedPath: 'jwt',
  endpointKey: 'key',
  cacheKey: ['key'],
  fields: {
    id,
    created_at: createdAt,
    consumer,
    key: { type: 'string', unique: true, auto: 'random' },
    secret: { type: 'string', auto: 'random' },
    rsa_public_key: { type: 'string' },
    algorithm: { type: 'string', default: 'HS256', oneOf: JWT_ALGORITHMS },
    tags,
  },
  entityChecks: (e) =>
    NEEDS_PUBLIC_KEY.includes(String(e.algorithm)) &&
    (e.rsa_public_key === null || e.rsa_public_key === undefined)
      ? {
          rsa_public_key: 'required field missing',
          '@entity': ["failed conditional validation given value of field 'algorithm'"],
        }
      : undefined,
};

export const hmacauthCredentials: EntitySchema = {
  name: 'hmacauth_credentials',
  adminPath: 'hmac-auths',
  nestedPath: 'hmac-auth',
  endpointKey: 'username',
  cacheKey: ['username'],
  fields: {
    id,
    created_at: createdAt,
    consumer,
    username: { type: 'string', required: true, unique: true },
    secret: { type: 'string', auto: 'random' },
    tags,
  },
};

export const acls: EntitySchema = {
  name: 'acls',
  adminPath: 'acls',
  cacheKey: ['consumer', 'group'],
  fields: {
    id,
    created_at: createdAt,
    consumer,
    group: { type: 'string', required: true },
    tags,
  },
};

export const oauth2Credentials: EntitySchema = {
  name: 'oauth2_credentials',
  adminPath: 'oauth2',
  endpointKey: 'client_id',
  cacheKey: ['client_id'],
  fields: {
    id,
    created_at: createdAt,
    consumer,
    name: { type: 'string', required: true },
    client_id: { type: 'string', unique: true, auto: 'random' },
    client_secret: { type: 'string', auto: 'random' },
    hash_secret: { type: 'boolean', required: true, default: false },
    redirect_uris: {
      type: 'array',
      elements: {
        type: 'string',
        validate: (v) =>
          /^[a-z][a-z0-9+.-]*:\/\/[^/#]+/i.test(String(v)) ? undefined : `cannot parse '${String(v)}'`,
      },
    },
    tags,
    client_type: {
      type: 'string',
      required: true,
      default: 'confidential',
      oneOf: ['confidential', 'public'],
    },
  },
};

/** Enterprise mtls-auth credentials (go-kong kong/credentials.go MTLSAuth). */
export const mtlsAuthCredentials: EntitySchema = {
  name: 'mtls_auth_credentials',
  adminPath: 'mtls-auths',
  nestedPath: 'mtls-auth',
  cacheKey: ['subject_name', 'ca_certificate'],
  enterprise: true,
  fields: {
    id,
    created_at: createdAt,
    consumer,
    subject_name: { type: 'string', required: true },
    ca_certificate: foreign('ca_certificates'),
    tags,
  },
};

/** Enterprise consumer groups (go-kong kong/consumer_group.go). */
export const consumerGroups: EntitySchema = {
  name: 'consumer_groups',
  adminPath: 'consumer_groups',
  endpointKey: 'name',
  enterprise: true,
  fields: {
    id,
    created_at: createdAt,
    updated_at: updatedAt,
    name: { type: 'string', required: true, unique: true },
    tags,
  },
};
