import type { KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/** kong/db/schema/entities/routes.lua; `service` has no ON DELETE in the migrations, so it restricts. */
export const routes: KindDef = {
  kind: 'routes',
  section: 'routes',
  level: 3,
  naturalKey: ['name'],
  unique: [['name']],
  foreignKeys: [{ field: 'service', references: 'services', onDelete: 'restrict', required: false }],
  secretFields: [],
  hashedFields: [],
  setFields: ['tags', 'protocols', 'methods', 'hosts', 'snis'],
  defaults: {
    protocols: ['http', 'https'],
    https_redirect_status_code: 426,
    strip_path: true,
    preserve_host: false,
    request_buffering: true,
    response_buffering: true,
    regex_priority: 0,
    path_handling: 'v0',
  },
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'routes',
  label: labelFrom('name'),
};
