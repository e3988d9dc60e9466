import type { EntityKind, KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/**
 * Credentials are plugin DAOs (kong/plugins/<plugin>/daos.lua): each has a required `consumer` FK that
 * cascades, lives at level 2, and is written nested under its consumer, as decK does (the Admin API
 * path: src/kong/admin-paths.ts). They share one shape; this builder keeps the per-kind facts in one table.
 */
function credential(
  kind: EntityKind,
  facts: {
    naturalKey: string[];
    unique: string[][];
    secretFields: string[];
    hashedFields?: { field: string; when?: string }[];
    setFields?: string[];
    defaults?: Record<string, unknown>;
    enterprise?: boolean;
    autoFields?: string[];
    writeOptionFields?: string[];
    extraForeignKeys?: KindDef['foreignKeys'];
    label: string[];
  },
): KindDef {
  return {
    kind,
    section: 'credentials',
    level: 2,
    nested: { parentField: 'consumer', parentKind: 'consumers' },
    naturalKey: facts.naturalKey,
    unique: facts.unique,
    foreignKeys: [
      { field: 'consumer', references: 'consumers', onDelete: 'cascade', required: true },
      ...(facts.extraForeignKeys ?? []),
    ],
    secretFields: facts.secretFields,
    hashedFields: facts.hashedFields ?? [],
    setFields: ['tags', ...(facts.setFields ?? [])],
    defaults: facts.defaults ?? {},
    readOnlyFields: [],
    ...(facts.autoFields ? { autoFields: facts.autoFields } : {}),
    ...(facts.writeOptionFields ? { writeOptionFields: facts.writeOptionFields } : {}),
    enterprise: facts.enterprise ?? false,
    deckKey: kind,
    label: labelFrom(...facts.label),
  };
}

/**
 * key-auth (kong/plugins/key-auth/daos.lua): `key` unique, `auto = true`; `ttl = true` makes keys expire:
 * `ttl` is a write option that reads back as the seconds left (kong/api/endpoints.lua extract_options).
 */
export const keyauthCredentials = credential('keyauth_credentials', {
  naturalKey: ['key'],
  unique: [['key']],
  secretFields: ['key'],
  autoFields: ['key'],
  writeOptionFields: ['ttl'],
  label: [],
});

/** basic-auth: username unique; the password is stored hashed (SHA-1 with the consumer id), so it cannot round-trip. */
export const basicauthCredentials = credential('basicauth_credentials', {
  naturalKey: ['username'],
  unique: [['username']],
  secretFields: ['password'],
  hashedFields: [{ field: 'password' }],
  label: ['username'],
});

/**
 * jwt (kong/plugins/jwt/daos.lua): `key` unique; `secret` (HS*) and `rsa_public_key` (RS and ES
 * algorithms); algorithm defaults to HS256; `key` and `secret` are `auto = true`.
 */
export const jwtSecrets = credential('jwt_secrets', {
  naturalKey: ['key'],
  unique: [['key']],
  secretFields: ['secret'],
  autoFields: ['key', 'secret'],
  defaults: { algorithm: 'HS256' },
  label: ['key'],
});

/** hmac-auth (kong/plugins/hmac-auth/daos.lua): username unique; `secret` is `auto = true`. */
export const hmacauthCredentials = credential('hmacauth_credentials', {
  naturalKey: ['username'],
  unique: [['username']],
  secretFields: ['secret'],
  autoFields: ['secret'],
  label: ['username'],
});

/** acl: cache key {consumer, group}. */
export const acls = credential('acls', {
  naturalKey: ['consumer', 'group'],
  unique: [['consumer', 'group']],
  secretFields: [],
  label: ['group'],
});

/**
 * oauth2 (kong/plugins/oauth2/daos.lua): client_id unique; `client_id` and `client_secret` are
 * `auto = true`; client_secret is hashed when `hash_secret` is true.
 */
export const oauth2Credentials = credential('oauth2_credentials', {
  naturalKey: ['client_id'],
  unique: [['client_id']],
  secretFields: ['client_secret'],
  autoFields: ['client_id', 'client_secret'],
  hashedFields: [{ field: 'client_secret', when: 'hash_secret' }],
  defaults: { client_type: 'confidential', hash_secret: false },
  label: ['name', 'client_id'],
});

/** Enterprise mtls-auth: subject_name, optional CA certificate (restrict). */
export const mtlsAuthCredentials = credential('mtls_auth_credentials', {
  naturalKey: ['consumer', 'subject_name'],
  unique: [],
  secretFields: [],
  enterprise: true,
  extraForeignKeys: [
    { field: 'ca_certificate', references: 'ca_certificates', onDelete: 'restrict', required: false },
  ],
  label: ['subject_name'],
});
