/**
 * Kong's `_transform`, done by snapgate for a DB-less `POST /config`.
 *
 * Kong runs an entity's schema transformations on a declarative load only when `_transform` is true (the
 * default): kong/db/declarative/import.lua `load_into_cache` (`should_transform and
 * schema:has_transformations(item)` → `schema:transform`), kong/db/schema/others/declarative_config.lua
 * (`_transform` defaults to true). Those transformations are basic-auth's password hash
 * (kong/plugins/basic-auth/daos.lua → crypto.lua: SHA-1 hex of `password .. consumer_id`), oauth2's
 * `hash_secret` (kong/plugins/oauth2/daos.lua → secret.lua: PBKDF2-SHA512, 10000 iterations, 32 bytes, a
 * 16-byte random salt, PHC text `$pbkdf2-sha512$i=10000,l=32$<salt>$<hash>`) and the CA certificate's
 * `cert_digest` (kong/db/schema/entities/ca_certificates.lua: SHA-256 of the DER, hex).
 *
 * One `_transform` flag cannot serve a config that holds both stored hashes (from a dump: hashing them
 * again locks the credential out) and plain text (from a hand-written file: stored as is, it can never log
 * in and `GET /config` shows the secret). So snapgate always sends `_transform: false` and transforms
 * each value itself, as Kong would: a value already in the stored form (40 hex digits for basic-auth, a
 * PHC string for oauth2 — what every dump holds) passes through untouched; any other value is plain text
 * and is hashed here, also one a gateway loaded by hand with `_transform: false` holds live. A file's own `_transform` decides for all its values, as it does in Kong:
 * `false` → every value is a stored one, `true` → every value is plain text.
 */
import { createHash, pbkdf2Sync, X509Certificate } from 'node:crypto';
import type { EntityKind } from '../catalogue/index.ts';
import { isStoredSecret } from '../hashed-secrets.ts';
import type { KongDeclarativeConfig } from './declarative.ts';

export interface DeclarativeTransformOptions {
  /** the file's `_transform` (undefined: decide per value). */
  transform?: boolean;
  /** 16 random bytes per oauth2 secret hashed (core has no randomness of its own). */
  randomSalt: () => Uint8Array;
}

export interface TransformedSecret {
  kind: EntityKind;
  id: string;
  field: string;
}

type Row = Record<string, unknown>;

/** Kong's basic-auth hash (kong/plugins/basic-auth/crypto.lua). */
export function hashBasicAuthPassword(password: string, consumerId: string): string {
  return createHash('sha1')
    .update(password + consumerId)
    .digest('hex');
}

/** Kong 3.x's oauth2 secret hash (kong/plugins/oauth2/secret.lua, PBKDF2 being the one enabled algorithm). */
export function hashOauth2Secret(secret: string, salt: Uint8Array): string {
  const hash = pbkdf2Sync(secret, salt, 10000, 32, 'sha512');
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64').replace(/=+$/, '');
  return `$pbkdf2-sha512$i=10000,l=32$${b64(salt)}$${b64(hash)}`;
}

/** `cert_digest` as Kong's on_write computes it; null when the text is no certificate. */
export function caCertDigest(pem: string): string | null {
  try {
    return new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase();
  } catch {
    return null;
  }
}

export function transformDeclarative(
  config: KongDeclarativeConfig,
  opts: DeclarativeTransformOptions,
): { config: KongDeclarativeConfig; transformed: TransformedSecret[] } {
  const out: KongDeclarativeConfig = { ...config };
  const transformed: TransformedSecret[] = [];

  const isPlain = (kind: EntityKind, row: Row, field: string): boolean => {
    const value = row[field];
    if (typeof value !== 'string' || opts.transform === false) return false;
    if (opts.transform === true) return true;
    return !isStoredSecret(kind, value);
  };
  const rows = (key: string): Row[] | undefined => {
    const list = out[key];
    if (!Array.isArray(list)) return undefined;
    const copy = list.map((r) => ({ ...(r as Row) }));
    out[key] = copy;
    return copy;
  };

  for (const row of rows('basicauth_credentials') ?? []) {
    if (!isPlain('basicauth_credentials', row, 'password')) continue;
    row.password = hashBasicAuthPassword(row.password as string, String(row.consumer));
    transformed.push({ kind: 'basicauth_credentials', id: String(row.id), field: 'password' });
  }
  for (const row of rows('oauth2_credentials') ?? []) {
    if (row.hash_secret !== true || !isPlain('oauth2_credentials', row, 'client_secret')) continue;
    row.client_secret = hashOauth2Secret(row.client_secret as string, opts.randomSalt());
    transformed.push({ kind: 'oauth2_credentials', id: String(row.id), field: 'client_secret' });
  }
  for (const row of rows('ca_certificates') ?? []) {
    // derived by Kong's transformation and not kept in snapshots: without it a `_transform: false` load
    // stores none (Kong's own export carries the digest, so a loaded gateway always has one)
    if (typeof row.cert === 'string') row.cert_digest = caCertDigest(row.cert);
  }
  return { config: out, transformed };
}
