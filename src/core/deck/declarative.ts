/**
 * toKongDeclarative: Snapshot → Kong's own flat declarative config, the body of `POST /config` on a
 * DB-less gateway. The shape is what Kong exports (kong/db/declarative/export.lua): `_format_version:
 * "3.0"`, `_transform: false`, one top-level array per DAO (credentials included) and foreign keys as
 * bare ids. `_transform: false` tells Kong the values are stored values — basic-auth passwords and
 * hashed oauth2 secrets are taken as already hashed, which is what a dump holds
 * (kong/db/schema/others/declarative_config.lua).
 */
import { type Entity, type EntityKind, KINDS_TOP_DOWN } from '../catalogue/index.ts';
import type { Snapshot } from '../snapshot.ts';
import { byCodeUnit, fileEntity, refId, sortKeysDeep } from './entity-shape.ts';
import { flatKey } from './shapes.ts';

export interface KongDeclarativeConfig {
  _format_version: '3.0';
  _transform: false;
  [dao: string]: unknown;
}

export function toKongDeclarative(snapshot: Snapshot): KongDeclarativeConfig {
  const out: KongDeclarativeConfig = { _format_version: '3.0', _transform: false };
  // parents before children (Kong sorts its export topologically, kong/db/schema/topological_sort.lua)
  for (const kind of KINDS_TOP_DOWN) {
    const list = Object.values(snapshot.entities[kind] ?? {}).sort((a, b) => byCodeUnit(a.id, b.id));
    if (list.length === 0) continue;
    out[flatKey(kind)] = list.map((e) => sortKeysDeep(flatEntity(kind, e)));
  }
  return out;
}

function flatEntity(kind: EntityKind, e: Entity): Record<string, unknown> {
  if (kind === 'consumer_group_members') {
    // Kong's consumer_group_consumers rows are keyed by the pair and carry no id of their own
    return { consumer_group: refId(e.consumer_group), consumer: refId(e.consumer) };
  }
  return fileEntity(kind, e, { refStyle: () => 'string' });
}
