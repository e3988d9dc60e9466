import { createHash } from 'node:crypto';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { Dao } from './dao.ts';
import { type FlatEntity, loadDeclarative } from './declarative-load.ts';
import { CODES, HttpError, kongError, luaPretty } from './errors.ts';
import { created, ok, type SimContext, type SimReply, type SimRequest } from './http-types.ts';
import { isObject } from './validate.ts';

/**
 * `GET /config` and `POST /config` (kong/api/routes/config.lua), DB-less only. POST is an atomic full
 * replace: the new store is built aside and swapped in only when every entity loaded.
 */

type Row = Record<string, unknown>;

const ONLY_DBLESS = 'this endpoint is only available when Kong is configured to not use a database';
const FORMAT_VERSIONS = ['1.1', '2.1', '3.0'];
const clock = { nowSeconds: () => Date.now() / 1000 };

/** export_from_db: flat, topologically ordered, foreign keys as bare ids, nulls kept. */
export function exportConfig(ctx: SimContext): Row {
  const out: Row = { _format_version: '3.0', _transform: false };
  for (const schema of ctx.registry.list) {
    const table = ctx.dao.store.table(schema.name);
    if (table.size === 0) continue;
    out[schema.name] = table.sortedIds().map((id) => {
      const e: Row = { ...table.rows.get(id)! };
      for (const [field, def] of Object.entries(schema.fields)) {
        if (def.type === 'foreign' && isObject(e[field])) e[field] = (e[field] as Row).id;
      }
      return e;
    });
  }
  return out;
}

export function getConfig(ctx: SimContext): SimReply {
  if (!ctx.dbless) throw new HttpError(400, { message: ONLY_DBLESS });
  return ok({ config: toYaml(exportConfig(ctx)) });
}

const truthy = (v: unknown) =>
  v === true || v === 1 || (typeof v === 'string' && ['true', '1', 'on', 'yes'].includes(v.toLowerCase()));

function param(req: SimRequest, name: string): unknown {
  return req.query.get(name) ?? req.body[name];
}

/** hydrate_config_from_request: a JSON body with `_format_version`, `{config: "<yaml|json>"}`, or a raw body. */
function readInput(req: SimRequest): { table: Row; hash?: string } {
  if (req.body._format_version !== undefined) {
    const table = { ...req.body };
    delete table.check_hash;
    delete table.flatten_errors;
    return { table };
  }
  let text = req.body.config;
  if (typeof text !== 'string') {
    text = req.contentType.includes('json') || req.rawBody.length === 0 ? undefined : req.rawBody;
  }
  if (typeof text !== 'string') throw new HttpError(400, { message: 'expected a declarative configuration' });
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    throw kongError(
      CODES.DECLARATIVE_CONFIG,
      `declarative config is invalid: ${luaPretty({ error: String((err as Error).message) })}`,
      {
        error: String((err as Error).message),
      },
    );
  }
  if (!isObject(parsed)) {
    const fields = { error: 'expected an object' };
    throw kongError(CODES.DECLARATIVE_CONFIG, `declarative config is invalid: ${luaPretty(fields)}`, fields);
  }
  return { table: parsed, hash: createHash('md5').update(text).digest('hex') };
}

/** Top-level checks of the declarative schema: `_format_version` and known keys. */
function topLevelErrors(ctx: SimContext, table: Row): Row | undefined {
  const errors: Row = {};
  const v = table._format_version;
  if (v === undefined || v === null) errors._format_version = 'required field missing';
  else if (typeof v !== 'string' || !FORMAT_VERSIONS.includes(v))
    errors._format_version = `expected one of: ${FORMAT_VERSIONS.join(', ')}`;
  for (const key of Object.keys(table)) {
    if (['_format_version', '_transform', '_comment', '_ignore', '_workspace'].includes(key)) continue;
    if (!ctx.registry.byName.has(key)) errors[key] = 'unknown field';
  }
  return Object.keys(errors).length ? errors : undefined;
}

/** errs[kind][i] (1-based in Lua, arrays in JSON) following each failed entity's path in the input. */
function nestedErrors(failed: FlatEntity[]): Row {
  const root: Row = {};
  for (const f of failed) {
    let node: Row | unknown[] = root;
    f.path.forEach((part, i) => {
      const last = i === f.path.length - 1;
      const container = node as Record<string | number, unknown>;
      if (last) container[part] = f.errors;
      else {
        if (container[part] === undefined) container[part] = typeof f.path[i + 1] === 'number' ? [] : {};
        node = container[part] as Row;
      }
    });
  }
  return root;
}

const singular = (kind: string) => (kind.endsWith('s') ? kind.slice(0, -1) : kind);

function flattenedErrors(failed: FlatEntity[]): Row[] {
  return failed.map((f) => ({
    entity_type: singular(f.kind),
    entity_name: typeof f.item.name === 'string' && f.item.name ? f.item.name : null,
    entity_id: typeof f.item.id === 'string' ? f.item.id : null,
    entity_tags: Array.isArray(f.item.tags) ? f.item.tags : null,
    entity: f.item,
    errors: Object.entries(f.errors).flatMap(([field, msg]) => {
      if (field === '@entity') return (msg as string[]).map((m) => ({ type: 'entity', message: m }));
      if (isObject(msg))
        return Object.entries(msg).map(([sub, m]) => ({
          type: 'field',
          field: `${field}.${sub}`,
          message: String(m),
        }));
      return [
        { type: 'field', field, message: Array.isArray(msg) ? msg.filter(Boolean).join(', ') : String(msg) },
      ];
    }),
  }));
}

export function postConfig(ctx: SimContext, req: SimRequest): SimReply {
  if (!ctx.dbless) throw new HttpError(400, { message: ONLY_DBLESS });
  const flatten = truthy(param(req, 'flatten_errors'));
  const checkHash = String(param(req, 'check_hash')) === '1';
  const { table, hash } = readInput(req);
  if (checkHash && hash !== undefined && hash === ctx.configHash) return { status: 304 };
  const top = topLevelErrors(ctx, table);
  if (top) throw kongError(CODES.DECLARATIVE_CONFIG, `declarative config is invalid: ${luaPretty(top)}`, top);
  const transform = table._transform !== false;
  const result = loadDeclarative(ctx.registry, table, clock, transform);
  if (result.failed.length > 0) {
    if (flatten) {
      const err = kongError(CODES.DECLARATIVE_CONFIG, 'declarative config is invalid: {}', {});
      err.body.flattened_errors = flattenedErrors(result.failed);
      throw err;
    }
    const fields = nestedErrors(result.failed);
    throw kongError(CODES.DECLARATIVE_CONFIG, `declarative config is invalid: ${luaPretty(fields)}`, fields);
  }
  ctx.dao = new Dao(result.store, { dbless: true, clock });
  ctx.configHash = hash ?? createHash('md5').update(JSON.stringify(table)).digest('hex');
  const body: Row = {};
  for (const schema of ctx.registry.list) {
    const t = result.store.table(schema.name);
    if (t.size === 0) continue;
    body[schema.name] = Object.fromEntries(
      [...t.rows].map(([id, e]) => [id, ctx.dao.present(schema.name, e)]),
    );
  }
  return created(body);
}
