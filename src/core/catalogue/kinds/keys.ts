import type { KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/** kong/db/schema/entities/keys.lua: name unique, {kid, set} unique, `set` cascades. */
export const keys: KindDef = {
  kind: 'keys',
  section: 'keys',
  level: 2,
  naturalKey: ['name'],
  unique: [['name'], ['kid', 'set']],
  foreignKeys: [{ field: 'set', references: 'key_sets', onDelete: 'cascade', required: false }],
  secretFields: ['jwk', 'pem.private_key'],
  hashedFields: [],
  setFields: ['tags'],
  defaults: {},
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'keys',
  label: labelFrom('name', 'kid'),
};
