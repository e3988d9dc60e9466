import type { KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/** kong/db/schema/entities/vaults.lua: `prefix` unique (across workspaces); `name` is the vault type. */
export const vaults: KindDef = {
  kind: 'vaults',
  section: 'vaults',
  level: 1,
  naturalKey: ['prefix'],
  unique: [['prefix']],
  foreignKeys: [],
  secretFields: ['config.token', 'config.approle_secret_id', 'config.secret_id', 'config.client_secret'],
  hashedFields: [],
  setFields: ['tags'],
  defaults: {},
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'vaults',
  label: labelFrom('prefix'),
};
