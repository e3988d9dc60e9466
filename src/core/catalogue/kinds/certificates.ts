import type { KindDef } from '../types.ts';

/**
 * kong/db/schema/entities/certificates.lua, kong/db/dao/certificates.lua: no endpoint key; reads carry a
 * `snis` pseudo-field (SNI names) that is not part of the entity — SNIs are their own kind here.
 */
export const certificates: KindDef = {
  kind: 'certificates',
  section: 'certificates',
  level: 1,
  naturalKey: ['cert', 'key'],
  unique: [],
  foreignKeys: [],
  secretFields: ['key', 'key_alt'],
  hashedFields: [],
  setFields: ['tags'],
  defaults: {},
  readOnlyFields: ['snis'],
  enterprise: false,
  deckKey: 'certificates',
  label: (e) => e.id,
};
