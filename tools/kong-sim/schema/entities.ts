/**
 * The simulator's entity schemas, built from the data generated from Kong 3.9.3
 * (schema/kong/entities.json: kong/db/schema/entities/*.lua and the bundled plugins' daos.lua) — fields,
 * defaults, validators, entity checks and the DAO facts (`admin_api_name`, `admin_api_nested_name`,
 * `endpoint_key`, `cache_key`, `ttl`, foreign keys with `on_delete`, `unique`, `auto`, `transient`) —
 * plus the Enterprise entities (enterprise.ts) and the Lua functions the data cannot carry
 * (lua-validators.ts). One schema library (kong-schema.ts) fills and validates plugins and entities alike.
 */
import {
  compileSchema,
  entityMeta,
  entitySchemaJson,
  type KongField,
  type KongSchemaJson,
} from '../kong-schema.ts';
import { ENTERPRISE_ENTITIES, ENTERPRISE_FIELDS } from './enterprise.ts';
import { attachLuaValidators, LUA_ENTITY_CHECKS } from './lua-validators.ts';
import type { EntitySchema, FieldDef } from './types.ts';

type Row = Record<string, unknown>;

/** `auto = true` generates by type (kong/db/schema/init.lua process_auto_fields): uuid, timestamp, random string. */
function autoKind(f: KongField): FieldDef['auto'] {
  if (f.auto !== true) return undefined;
  if (f.uuid) return 'uuid';
  if (f.timestamp) return f.type === 'number' ? 'ts_ms' : 'ts_s';
  if (f.type === 'string') return 'random';
  return undefined;
}

function fieldDef(f: KongField): FieldDef {
  const out: FieldDef = { type: f.type };
  if (f.required === true) out.required = true;
  if (typeof f.reference === 'string') out.reference = f.reference;
  if (f.on_delete === 'cascade' || f.on_delete === 'restrict' || f.on_delete === 'null')
    out.onDelete = f.on_delete;
  if (f.unique === true) out.unique = true;
  const auto = autoKind(f);
  if (auto) out.auto = auto;
  if (f.transient === true) out.transient = true;
  return out;
}

function build(name: string, json: KongSchemaJson, meta: Row, enterprise: boolean): EntitySchema {
  const compiled = compileSchema(json);
  attachLuaValidators(name, compiled);
  const fields = Object.fromEntries(
    json.fields.map((item) => {
      const [n, f] = Object.entries(item)[0] as [string, KongField];
      return [n, fieldDef(f)];
    }),
  );
  const luaEntityCheck = LUA_ENTITY_CHECKS[name];
  return {
    name,
    adminPath: typeof meta.admin_api_name === 'string' ? meta.admin_api_name : name,
    ...(typeof meta.admin_api_nested_name === 'string' ? { nestedPath: meta.admin_api_nested_name } : {}),
    ...(typeof meta.endpoint_key === 'string' ? { endpointKey: meta.endpoint_key } : {}),
    ...(Array.isArray(meta.cache_key) ? { cacheKey: meta.cache_key as string[] } : {}),
    ...(meta.ttl === true ? { ttl: true } : {}),
    // kong/api/routes/targets.lua: targets are served under their upstream only
    ...(name === 'targets' ? { nestedOnly: true } : {}),
    ...(enterprise ? { enterprise: true } : {}),
    ...(luaEntityCheck ? { luaEntityCheck } : {}),
    fields,
    json,
    compiled,
  };
}

/** An OSS entity as an `edition` node has it (Enterprise adds fields such as plugins.consumer_group). */
export function ossEntity(name: string, edition: 'community' | 'enterprise'): EntitySchema {
  const json = entitySchemaJson(name);
  const meta = entityMeta(name);
  if (!json || !meta) throw new Error(`no generated schema data for ${name}`);
  const extra = edition === 'enterprise' ? ENTERPRISE_FIELDS[name] : undefined;
  if (!extra) return build(name, json, meta, false);
  return build(
    name,
    { ...json, fields: [...json.fields, ...extra.fields] },
    { ...meta, ...(extra.cacheKey ? { cache_key: extra.cacheKey } : {}) },
    false,
  );
}

export function enterpriseEntity(name: string): EntitySchema {
  const e = ENTERPRISE_ENTITIES[name];
  if (!e) throw new Error(`no Enterprise schema for ${name}`);
  return build(name, e.schema, e.meta, true);
}
