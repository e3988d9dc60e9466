import type { KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/** kong/db/schema/entities/key_sets.lua */
export const keySets: KindDef = {
  kind: 'key_sets',
  section: 'key_sets',
  level: 1,
  naturalKey: ['name'],
  unique: [['name']],
  foreignKeys: [],
  secretFields: [],
  hashedFields: [],
  setFields: ['tags'],
  defaults: {},
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'key_sets',
  label: labelFrom('name'),
};
