/**
 * Credential makers for the synthetic gateway: the seven Kong OSS credential kinds in realistic shares
 * (key-auth most common), Admin API shape, each bound to a consumer. Secrets are random, never real.
 */
import type { Entity, EntityKind } from '../src/core/index.ts';
import { type Rng, tagsFor } from './synthetic-entities.ts';

/** Cumulative shares: key-auth 40 %, basic-auth 20 %, acls 20 %, jwt 10 %, hmac 5 %, oauth2 5 %. */
const SHARES: readonly [EntityKind, number][] = [
  ['keyauth_credentials', 0.4],
  ['basicauth_credentials', 0.6],
  ['acls', 0.8],
  ['jwt_secrets', 0.9],
  ['hmacauth_credentials', 0.95],
  ['oauth2_credentials', 1],
];

export function pickCredentialKind(rng: Rng): EntityKind {
  const r = rng.next();
  for (const [kind, upTo] of SHARES) if (r < upTo) return kind;
  return 'keyauth_credentials';
}

/** `serial` keeps usernames, groups and client ids unique across the gateway. */
export function makeCredential(rng: Rng, kind: EntityKind, consumerId: string, serial: string): Entity {
  const base = { id: rng.uuid(), consumer: { id: consumerId }, tags: rng.next() < 0.5 ? null : tagsFor(rng) };
  switch (kind) {
    case 'basicauth_credentials':
      // Kong returns the salted SHA-1 of the password, never the password itself
      return { ...base, username: `user-${serial}`, password: rng.hex(40) };
    case 'acls':
      return { ...base, group: `group-${serial}` };
    case 'jwt_secrets':
      return {
        ...base,
        key: `iss-${serial}`,
        secret: rng.base64(32),
        algorithm: 'HS256',
        rsa_public_key: null,
      };
    case 'hmacauth_credentials':
      return { ...base, username: `hmac-${serial}`, secret: rng.base64(32) };
    case 'oauth2_credentials':
      return {
        ...base,
        name: `app-${serial}`,
        client_id: `client-${serial}`,
        client_secret: rng.base64(32),
        redirect_uris: [`https://app-${serial}.example.com/callback`],
        hash_secret: false,
        client_type: 'confidential',
      };
    default:
      return { ...base, key: rng.base64(32), ttl: null };
  }
}
