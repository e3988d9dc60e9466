import type { KindDef } from '../types.ts';

/**
 * kong/db/schema/entities/ca_certificates.lua: `cert_digest` is derived from `cert` on every write (an
 * `on_write` transformation: the SHA-256 of the certificate) and unique. It is server-derived here
 * (`readOnlyFields`, like certificates' `snis`): a decK file may omit it and a value sent is replaced,
 * so it is neither stored in snapshots nor compared. Uniqueness is therefore stated on `cert`, the field
 * the digest is a function of. kong/db/dao/ca_certificates.lua: deleting one still listed by a service
 * or plugin fails with code 19 (referenced by others).
 */
export const caCertificates: KindDef = {
  kind: 'ca_certificates',
  section: 'ca_certificates',
  level: 1,
  naturalKey: ['cert'],
  unique: [['cert']],
  foreignKeys: [],
  secretFields: [],
  hashedFields: [],
  setFields: ['tags'],
  defaults: {},
  readOnlyFields: ['cert_digest'],
  enterprise: false,
  deckKey: 'ca_certificates',
  label: (e) => e.id,
};
