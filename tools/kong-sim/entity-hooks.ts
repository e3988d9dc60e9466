import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { schemaViolation } from './errors.ts';
import type { SchemaRegistry } from './schema/index.ts';
import { isObject } from './validate.ts';

/**
 * Per-kind write transformations Kong applies in its DAOs and schema transformations:
 * target formatting (kong/db/dao/targets.lua), basic-auth hashing (kong/plugins/basic-auth/crypto.lua),
 * oauth2 secret hashing (kong/plugins/oauth2/secret.lua), CA certificate digests
 * (kong/db/schema/entities/ca_certificates.lua) and plugin/vault subschema checks.
 */

type Row = Record<string, unknown>;

const DEFAULT_TARGET_PORT = 8000;

/** normalize_ip + format_host(p, 8000): `host` → `host:8000`, `::1` → `[::1]:8000`. Null when invalid. */
export function formatTarget(target: string): string | null {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(target);
  if (bracketed) return `[${bracketed[1]}]:${bracketed[2] ?? DEFAULT_TARGET_PORT}`;
  if ((target.match(/:/g) ?? []).length > 1) {
    return /^[0-9a-fA-F:.]+$/.test(target) ? `[${target}]:${DEFAULT_TARGET_PORT}` : null;
  }
  const m = /^([a-zA-Z0-9_.-]+)(?::(\d+))?$/.exec(target);
  if (!m) return null;
  const port = m[2] === undefined ? DEFAULT_TARGET_PORT : Number(m[2]);
  if (port > 65535) return null;
  return `${m[1]}:${port}`;
}

export function checkTarget(e: Row): void {
  if (typeof e.target !== 'string') return;
  const formatted = formatTarget(e.target);
  if (formatted === null) {
    throw schemaViolation({ target: `Invalid target ('${e.target}'); not a valid hostname or ip address` });
  }
  e.target = formatted;
}

/** basic-auth: SHA-1 hex of password .. consumer_id. */
export function hashBasicAuthPassword(password: string, consumerId: string): string {
  return createHash('sha1')
    .update(password + consumerId)
    .digest('hex');
}

/** oauth2 PBKDF2 in PHC form: `$pbkdf2-sha512$i=10000,l=32$<salt>$<hash>` (unpadded base64). */
export function hashOauth2Secret(secret: string): string {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(secret, salt, 10000, 32, 'sha512');
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `$pbkdf2-sha512$i=10000,l=32$${b64(salt)}$${b64(hash)}`;
}

/** SHA-256 of the certificate's DER bytes, hex: what OpenSSL's x509:digest("sha256") yields. */
export function certDigest(pem: string): string {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)?.[1] ?? pem;
  const der = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  return createHash('sha256').update(der).digest('hex');
}

/**
 * Transformations applied on write. `input` is the request body (update transformations run only when
 * their input field was sent); `transform` is false for `/config` with `_transform: false`.
 */
export function applyWriteHooks(
  kind: string,
  e: Row,
  input: Row,
  mode: 'insert' | 'update',
  transform: boolean,
): void {
  switch (kind) {
    case 'targets':
      checkTarget(e);
      return;
    case 'ca_certificates':
      // an on_write transformation (kong/db/schema/entities/ca_certificates.lua): a `_transform: false`
      // load keeps whatever `cert_digest` the config carries (kong/db/declarative/import.lua)
      if (transform && typeof e.cert === 'string') e.cert_digest = certDigest(e.cert);
      return;
    case 'basicauth_credentials':
      if (transform && typeof e.password === 'string' && (mode === 'insert' || 'password' in input)) {
        const consumerId = isObject(e.consumer) ? String(e.consumer.id) : '';
        e.password = hashBasicAuthPassword(e.password, consumerId);
      }
      return;
    case 'oauth2_credentials':
      if (transform && e.hash_secret === true && typeof e.client_secret === 'string') {
        if (mode === 'insert' || 'hash_secret' in input || 'client_secret' in input) {
          e.client_secret = hashOauth2Secret(e.client_secret);
        }
      }
      return;
    case 'plugins':
      if (e.config === null || e.config === undefined) e.config = {};
      return;
    default:
      return;
  }
}

/** Subschema checks: a plugin must be enabled on the node, a vault type installed. */
export function subschemaErrors(kind: string, e: Row, registry: SchemaRegistry): Row | undefined {
  if (kind === 'plugins' && typeof e.name === 'string' && !registry.plugins.has(e.name)) {
    return { name: `plugin '${e.name}' not enabled; add it to the 'plugins' configuration property` };
  }
  if (kind === 'vaults' && typeof e.name === 'string' && !registry.vaults.has(e.name)) {
    return { name: `vault '${e.name}' is not installed` };
  }
  return undefined;
}
