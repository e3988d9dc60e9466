import type { KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/**
 * kong/db/schema/entities/snis.lua: name unique, certificate required. kong/db/dao/certificates.lua
 * overrides delete to remove a certificate's SNIs first, so the effect is a cascade.
 */
export const snis: KindDef = {
  kind: 'snis',
  section: 'snis',
  level: 2,
  nested: { parentField: 'certificate', parentKind: 'certificates' },
  naturalKey: ['name'],
  unique: [['name']],
  foreignKeys: [{ field: 'certificate', references: 'certificates', onDelete: 'cascade', required: true }],
  secretFields: [],
  hashedFields: [],
  setFields: ['tags'],
  defaults: {},
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'snis',
  label: labelFrom('name'),
};
