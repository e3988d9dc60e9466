import type { KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/** kong/db/schema/entities/upstreams.lua (healthchecks defaults from the same file). */
export const upstreams: KindDef = {
  kind: 'upstreams',
  section: 'upstreams',
  level: 2,
  naturalKey: ['name'],
  unique: [['name']],
  foreignKeys: [
    { field: 'client_certificate', references: 'certificates', onDelete: 'restrict', required: false },
  ],
  secretFields: [],
  hashedFields: [],
  setFields: ['tags'],
  defaults: {
    algorithm: 'round-robin',
    hash_on: 'none',
    hash_fallback: 'none',
    hash_on_cookie_path: '/',
    slots: 10000,
    use_srv_name: false,
    healthchecks: {
      threshold: 0,
      active: {
        type: 'http',
        timeout: 1,
        concurrency: 10,
        http_path: '/',
        https_verify_certificate: true,
        healthy: { interval: 0, http_statuses: [200, 302], successes: 0 },
        unhealthy: {
          interval: 0,
          http_statuses: [429, 404, 500, 501, 502, 503, 504, 505],
          tcp_failures: 0,
          timeouts: 0,
          http_failures: 0,
        },
      },
      passive: {
        type: 'http',
        healthy: {
          http_statuses: [
            200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308,
          ],
          successes: 0,
        },
        unhealthy: { http_statuses: [429, 500, 503], tcp_failures: 0, timeouts: 0, http_failures: 0 },
      },
    },
  },
  readOnlyFields: [],
  enterprise: false,
  deckKey: 'upstreams',
  label: labelFrom('name'),
};
