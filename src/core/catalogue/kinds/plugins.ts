import type { Entity, KindDef } from '../types.ts';

/**
 * kong/db/schema/entities/plugins.lua. The cache key {name, route, service, consumer} is unique: one
 * plugin of a given name per scope (Enterprise adds consumer_group to the scope). Scope FKs cascade.
 */
export const plugins: KindDef = {
  kind: 'plugins',
  section: 'plugins',
  level: 4,
  naturalKey: ['name', 'service', 'route', 'consumer', 'consumer_group'],
  unique: [['instance_name'], ['name', 'service', 'route', 'consumer', 'consumer_group']],
  foreignKeys: [
    { field: 'service', references: 'services', onDelete: 'cascade', required: false },
    { field: 'route', references: 'routes', onDelete: 'cascade', required: false },
    { field: 'consumer', references: 'consumers', onDelete: 'cascade', required: false },
    { field: 'consumer_group', references: 'consumer_groups', onDelete: 'cascade', required: false },
  ],
  // plugin configs carry secrets under many names; redact() also masks secret-looking config keys
  secretFields: [
    'config.password',
    'config.client_secret',
    'config.secret',
    'config.secret_v2',
    'config.private_key',
    'config.api_key',
    'config.token',
    'config.redis.password',
  ],
  hashedFields: [],
  setFields: ['tags', 'protocols'],
  defaults: { enabled: true, protocols: ['grpc', 'grpcs', 'http', 'https'] },
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'plugins',
  label: (e: Entity) => (typeof e.instance_name === 'string' && e.instance_name) || String(e.name ?? e.id),
};
