/**
 * Adjusts a `syntheticGateway()` snapshot to what Kong (and kong-sim) accept and store, for the Kong
 * bench and integration tests. Each rule is a known gap between the generator and Kong, to be dropped
 * when the generator or the simulator is fixed:
 * - services with `ca_certificates` must use protocol https or tls (kong/db/schema/entities/services.lua
 *   conditional check); the generator sets them on http services, so those lists become null;
 * - `cert_digest` is derived by Kong from the certificate's DER bytes (kong/db/dao/ca_certificates.lua);
 *   the generator writes a random one, which Kong would replace, so the real digest is computed here;
 * - key-auth `ttl: null` is dropped: kong-sim refuses the field ("unknown field"), although Kong's
 *   keyauth_credentials DAO has `ttl = true`.
 */
import { createHash } from 'node:crypto';
import type { Entity, EntityMap, Snapshot } from '../src/core/index.ts';

function derDigest(pem: string): string {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)?.[1] ?? pem;
  return createHash('sha256')
    .update(Buffer.from(body.replace(/\s+/g, ''), 'base64'))
    .digest('hex');
}

function mapEach(map: EntityMap | undefined, fn: (e: Entity) => Entity): EntityMap | undefined {
  if (!map) return map;
  const out: EntityMap = {};
  for (const [id, e] of Object.entries(map)) out[id] = fn(e);
  return out;
}

export function simCompatible(s: Snapshot): Snapshot {
  const entities = { ...s.entities };
  entities.services = mapEach(entities.services, (e) =>
    e.ca_certificates && e.protocol !== 'https' && e.protocol !== 'tls' ? { ...e, ca_certificates: null } : e,
  );
  entities.ca_certificates = mapEach(entities.ca_certificates, (e) =>
    typeof e.cert === 'string' ? { ...e, cert_digest: derDigest(e.cert) } : e,
  );
  entities.keyauth_credentials = mapEach(entities.keyauth_credentials, (e) => {
    if (e.ttl !== null && e.ttl !== undefined) return e;
    const { ttl: _ttl, ...rest } = e;
    return rest as Entity;
  });
  return { meta: s.meta, entities };
}
