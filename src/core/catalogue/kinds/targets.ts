import type { KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/**
 * kong/db/schema/entities/targets.lua, kong/api/routes/upstreams.lua: nested-only under an upstream
 * (top-level /targets is disabled); `:8000` is appended to a port-less target; the cache key
 * {upstream, target} is unique; the upstream FK cascades.
 */
export const targets: KindDef = {
  kind: 'targets',
  section: 'targets',
  level: 3,
  nested: { parentField: 'upstream', parentKind: 'upstreams' },
  naturalKey: ['upstream', 'target'],
  unique: [['upstream', 'target']],
  foreignKeys: [{ field: 'upstream', references: 'upstreams', onDelete: 'cascade', required: true }],
  secretFields: [],
  hashedFields: [],
  setFields: ['tags'],
  defaults: { weight: 100 },
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'targets',
  label: labelFrom('target'),
};
