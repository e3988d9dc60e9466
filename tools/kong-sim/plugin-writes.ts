import {
  addReadBacks,
  entityChecks,
  fillRecord,
  fillValue,
  isRow,
  mergeValues,
  type PluginSchema,
  stripReadBacks,
  translateShorthands,
  validateValue,
} from './kong-schema.ts';
import { mergeErrors } from './schema/checks.ts';
import { pluginSchemaFor, type SchemaRegistry } from './schema/index.ts';

/**
 * A plugin write as Kong's DAO does it with the plugin's subschema (kong/db/schema/init.lua
 * process_auto_fields → merge_values on update → validate; kong/db/dao/init.lua check_insert /
 * check_update / check_upsert): subschema fields (`config`, `protocols`, the `no_consumer`-style
 * scope fields) get their defaults, shorthands are translated, the result is validated, and reads show
 * deprecated shorthands beside their replacements (hide_shorthands = false on Admin API reads).
 */

type Row = Record<string, unknown>;

export function pluginFor(registry: SchemaRegistry, body: Row): PluginSchema | undefined {
  return typeof body.name === 'string' ? pluginSchemaFor(registry, body.name) : undefined;
}

/** insert / upsert: fills the body's subschema fields in place (before the entity defaults). */
export function fillPluginInsert(plugin: PluginSchema, body: Row): Row | undefined {
  let errors: Row | undefined;
  for (const [name, sub] of plugin.top.fields ?? []) {
    const given = body[name];
    if (name === 'config' && given === undefined && plugin.emptyConfig) {
      body.config = structuredClone(plugin.emptyConfig);
      continue;
    }
    if (name === 'config' && isRow(given) && plugin.config) {
      const copy = { ...given };
      const e = translateShorthands(plugin.config, copy);
      if (e) errors = { ...errors, config: e };
      body.config = fillRecord(plugin.config, copy);
      continue;
    }
    const v = fillValue(sub, given);
    if (v !== undefined) body[name] = v;
  }
  return errors;
}

/**
 * update (PATCH): the body's config (if any), shorthands translated, merged into the stored config
 * (read without its shorthand read-backs) field by field, then filled. Returns the config to store.
 */
export function mergePluginConfig(
  plugin: PluginSchema,
  existing: Row,
  body: Row,
): { config?: Row; errors?: Row } | undefined {
  // a config that is not a record (null, a string) fails validation as it is
  if (!plugin.config || (body.config !== undefined && !isRow(body.config))) return undefined;
  const top = isRow(body.config) ? { ...body.config } : {};
  const errors = translateShorthands(plugin.config, top);
  if (errors) return { errors };
  const bottom = isRow(existing.config) ? stripReadBacks(plugin.config, existing.config) : {};
  return { config: fillRecord(plugin.config, mergeValues(plugin.config, top, bottom)) };
}

/** validate: the subschema's own fields (config's unknown keys included) and its entity checks. */
export function pluginErrors(plugin: PluginSchema, e: Row): Row | undefined {
  const errors: Row = {};
  for (const [name, sub] of plugin.top.fields ?? []) {
    const v = e[name];
    if (v === undefined) {
      if (sub.def.required) errors[name] = 'required field missing';
      continue;
    }
    const err = validateValue(sub, v);
    if (err !== undefined) errors[name] = err;
  }
  if (Object.keys(errors).length > 0) return errors;
  return mergeErrors(entityChecks(plugin.json.entity_checks ?? [], e));
}

/** The stored form: deprecated shorthands read back from their replacement paths. */
export function presentPluginConfig(plugin: PluginSchema, e: Row): void {
  if (plugin.config && isRow(e.config)) addReadBacks(plugin.config, e.config);
}
