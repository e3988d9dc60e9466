import type { KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/** kong/db/schema/entities/consumers.lua: username and custom_id are unique, at least one is required. */
export const consumers: KindDef = {
  kind: 'consumers',
  section: 'consumers',
  level: 1,
  naturalKey: ['username'],
  unique: [['username'], ['custom_id']],
  foreignKeys: [],
  secretFields: [],
  hashedFields: [],
  setFields: ['tags'],
  defaults: {},
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'consumers',
  label: labelFrom('username', 'custom_id'),
};
