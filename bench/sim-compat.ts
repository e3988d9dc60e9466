/**
 * Adjusts a `syntheticGateway()` snapshot to what Kong (and kong-sim) accept and store, for the Kong
 * bench and integration tests. Each rule is a known gap between the generator and Kong, to be dropped
 * when the generator or the simulator is fixed:
 * - services with `ca_certificates` must use protocol https or tls (kong/db/schema/entities/services.lua
 *   conditional check); the generator sets them on http services, so those lists become null;
 * (`cert_digest` and key-auth `ttl: null` needed rules too until core treated `cert_digest` as derived
 * and kong-sim took `ttl` as Kong does.)
 */
import type { Entity, EntityMap, Snapshot } from '../src/core/index.ts';

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
  return { meta: s.meta, entities };
}
