import type { KindDef } from '../types.ts';

/**
 * kong/db/schema/entities/ca_certificates.lua, kong/db/dao/ca_certificates.lua: `cert_digest` is derived
 * and unique; deleting one still listed by a service or plugin fails with code 19 (referenced by others).
 */
export const caCertificates: KindDef = {
  kind: 'ca_certificates',
  section: 'ca_certificates',
  level: 1,
  collectionPath: '/ca_certificates',
  writeNested: false,
  naturalKey: ['cert'],
  unique: [['cert_digest']],
  foreignKeys: [],
  secretFields: [],
  hashedFields: [],
  setFields: ['tags'],
  defaults: {},
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'ca_certificates',
  label: (e) => e.id,
};
