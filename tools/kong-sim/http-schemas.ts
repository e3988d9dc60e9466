import { HttpError, methodNotAllowed, schemaViolation } from './errors.ts';
import { ok, type SimContext, type SimReply, type SimRequest } from './http-types.ts';
import {
  compileSchema,
  entityPluginOwner,
  entitySchemaJson,
  fillRecord,
  type KongSchemaJson,
  validateRecord,
} from './kong-schema.ts';
import { pluginSchemaFor } from './schema/index.ts';

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

/**
 * `kong.db[name]`: the node's DAOs — core entities of its edition (with the fields an Enterprise node
 * adds) and the daos of enabled plugins, as generated from Kong's source (schema/entities.ts).
 */
function entityJson(ctx: SimContext, name: string): KongSchemaJson | undefined {
  const own = ctx.registry.byName.get(name);
  if (own) return own.json;
  const generated = entitySchemaJson(name);
  const plugin = entityPluginOwner(name);
  if (!generated || (plugin && !ctx.registry.plugins.has(plugin))) return undefined;
  return generated;
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
