/**
 * Kong Enterprise's entities have no source in Kong/kong (the OSS repository the schema data is generated
 * from), so their schemas are written here in the shape `GET /schemas/{entity}` serves, from go-kong's
 * types (kong/consumer_group.go, kong/credentials.go MTLSAuth) and Kong Enterprise's Admin API reference:
 * consumer groups, mtls-auth credentials and the plugin's `consumer_group` scope.
 */
import type { KongField, KongSchemaJson } from '../kong-schema.ts';

type Item = Record<string, KongField>;

const id: Item = { id: { type: 'string', uuid: true, auto: true } };
const createdAt: Item = { created_at: { type: 'integer', timestamp: true, auto: true } };
const updatedAt: Item = { updated_at: { type: 'integer', timestamp: true, auto: true } };
const tags: Item = { tags: { type: 'set', elements: { type: 'string', required: true } } };

export interface EnterpriseEntity {
  meta: Record<string, unknown>;
  schema: KongSchemaJson;
}

export const ENTERPRISE_ENTITIES: Record<string, EnterpriseEntity> = {
  consumer_groups: {
    meta: { endpoint_key: 'name' },
    schema: {
      entity_checks: [],
      fields: [id, createdAt, updatedAt, { name: { type: 'string', required: true, unique: true } }, tags],
    },
  },
  mtls_auth_credentials: {
    meta: {
      cache_key: ['subject_name', 'ca_certificate'],
      admin_api_name: 'mtls-auths',
      admin_api_nested_name: 'mtls-auth',
    },
    schema: {
      entity_checks: [],
      fields: [
        id,
        createdAt,
        { consumer: { type: 'foreign', reference: 'consumers', required: true, on_delete: 'cascade' } },
        { subject_name: { type: 'string', required: true } },
        { ca_certificate: { type: 'foreign', reference: 'ca_certificates' } },
        tags,
      ],
    },
  },
};

/** What an Enterprise node adds to an OSS entity: plugins scoped to a consumer group. */
export const ENTERPRISE_FIELDS: Record<string, { fields: Item[]; cacheKey?: string[] }> = {
  plugins: {
    fields: [{ consumer_group: { type: 'foreign', reference: 'consumer_groups', on_delete: 'cascade' } }],
    cacheKey: ['name', 'route', 'service', 'consumer', 'consumer_group'],
  },
};
