import { HttpError, methodNotAllowed, schemaViolation } from './errors.ts';
import { ok, type SimContext, type SimReply, type SimRequest } from './http-types.ts';
import {
  compileSchema,
  entityPluginOwner,
  entitySchemaJson,
  fillRecord,
  type KongField,
  type KongSchemaJson,
  validateRecord,
} from './kong-schema.ts';
import { pluginSchemaFor } from './schema/index.ts';
import type { EntitySchema, FieldDef } from './schema/types.ts';

/**
 * The schema endpoints of kong/api/routes/kong.lua and kong/api/routes/plugins.lua:
 * `GET /schemas/{entity}`, `GET /schemas/plugins/{name}`, `POST /schemas/{entity}/validate`,
 * `POST /schemas/plugins/validate`, `GET /plugins/schema/{name}` (deprecated, config only) and
 * `GET /plugins/enabled`. Bodies are schema_to_jsonable's `{entity_checks, fields}`.
 */

const noEntity = (name: string) => new HttpError(404, { message: `No entity named '${name}'` });
const noPlugin = (name: string) => new HttpError(404, { message: `No plugin named '${name}'` });

function onlyMethod(req: SimRequest, method: string): void {
  if (req.method !== method) throw methodNotAllowed();
}

/** `kong.db[name]`: the node's DAOs — core entities of its edition and the daos of enabled plugins. */
function entityJson(ctx: SimContext, name: string): KongSchemaJson | undefined {
  const own = ctx.registry.byName.get(name);
  const generated = entitySchemaJson(name);
  if (generated) {
    const plugin = entityPluginOwner(name);
    if (plugin && !ctx.registry.plugins.has(plugin)) return undefined;
    // the generated data is Kong OSS: an Enterprise node adds fields (plugins.consumer_group)
    if (own && ctx.registry.edition === 'enterprise') return withOwnFields(generated, own);
    return generated;
  }
  return own ? fromOwnSchema(own) : undefined;
}

/** Enterprise-only kinds have no OSS source to generate from: the simulator's own table, in Kong's shape. */
function fromOwnSchema(schema: EntitySchema): KongSchemaJson {
  return {
    entity_checks: [],
    fields: Object.entries(schema.fields)
      .filter(([, f]) => !f.transient)
      .map(([name, f]) => ({ [name]: ownField(f) })),
  };
}

function ownField(f: FieldDef): KongField {
  const out: KongField = { type: f.type === 'any' ? 'string' : f.type };
  if (f.required) out.required = true;
  if (f.default !== undefined) out.default = f.default;
  if (f.oneOf) out.one_of = [...f.oneOf];
  if (f.between) out.between = [f.between[0], f.between[1]];
  if (f.reference) out.reference = f.reference;
  if (f.onDelete) out.on_delete = f.onDelete;
  if (f.unique) out.unique = true;
  if (f.auto) out.auto = true;
  if (f.uuid) out.uuid = true;
  if (f.elements) out.elements = ownField(f.elements);
  if (f.fields) out.fields = Object.entries(f.fields).map(([n, sub]) => ({ [n]: ownField(sub) }));
  return out;
}

function withOwnFields(generated: KongSchemaJson, own: EntitySchema): KongSchemaJson {
  const known = new Set(generated.fields.map((item) => Object.keys(item)[0]!));
  const extra = Object.entries(own.fields)
    .filter(([name, f]) => !known.has(name) && !f.transient)
    .map(([name, f]) => ({ [name]: ownField(f) }));
  return { ...generated, fields: [...generated.fields, ...extra] };
}

/** Entity validation without a write (kong/api/routes/kong.lua validate_schema). */
function validateEntityBody(ctx: SimContext, name: string, body: Record<string, unknown>): SimReply {
  if (ctx.registry.byName.has(name)) {
    const errors = ctx.dao.validateOnly(name, body);
    if (errors) throw schemaViolation(errors);
  } else {
    const json = entityJson(ctx, name);
    if (!json) throw noEntity(name);
    const compiled = compileSchema(json);
    const errors = validateRecord(compiled, fillRecord(compiled, body));
    if (errors) throw schemaViolation(errors);
  }
  return ok({ message: 'schema validation successful' });
}

export function schemasRoute(ctx: SimContext, req: SimRequest): SimReply {
  const [, a, b] = req.segments;
  const n = req.segments.length;
  if (n === 2) {
    onlyMethod(req, 'GET');
    const json = entityJson(ctx, a!);
    if (!json) throw noEntity(a!);
    return ok(json);
  }
  if (n === 3 && b === 'validate' && req.method === 'POST') {
    return validateEntityBody(ctx, a!, req.body);
  }
  if (n === 3 && a === 'plugins') {
    onlyMethod(req, 'GET');
    const plugin = pluginSchemaFor(ctx.registry, b!);
    if (!plugin) throw noPlugin(b!);
    return ok(plugin.json);
  }
  throw new HttpError(404, { message: 'Not found' });
}

/** `/plugins/enabled` and the deprecated `/plugins/schema/{name}` (kong/api/routes/plugins.lua). */
export function pluginsExtraRoute(ctx: SimContext, req: SimRequest): SimReply | undefined {
  const [, key, sub] = req.segments;
  if (req.segments.length === 2 && key === 'enabled') {
    onlyMethod(req, 'GET');
    return ok({ enabled_plugins: [...ctx.registry.plugins] });
  }
  if (req.segments.length === 3 && key === 'schema') {
    onlyMethod(req, 'GET');
    const plugin = pluginSchemaFor(ctx.registry, sub!);
    const config = plugin?.json.fields.find((item) => 'config' in item)?.config;
    if (!config) throw noPlugin(sub!);
    return ok({ entity_checks: [], fields: config.fields ?? [] });
  }
  return undefined;
}
