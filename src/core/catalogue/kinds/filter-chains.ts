import type { KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/** kong/db/schema/entities/filter_chains.lua (WASM): one chain per service or route; scope FKs cascade. */
export const filterChains: KindDef = {
  kind: 'filter_chains',
  section: 'filter_chains',
  level: 4,
  naturalKey: ['name'],
  unique: [['name'], ['service'], ['route']],
  foreignKeys: [
    { field: 'service', references: 'services', onDelete: 'cascade', required: false },
    { field: 'route', references: 'routes', onDelete: 'cascade', required: false },
  ],
  secretFields: [],
  hashedFields: [],
  setFields: ['tags'],
  defaults: { enabled: true },
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'filter_chains',
  label: labelFrom('name'),
};
