import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { luaPatternToRegExp } from './lua-pattern.ts';
import {
  atLeastOneOf,
  entityErrors,
  isEmpty,
  mergeErrors,
  mutuallyExclusive,
  mutuallyRequired,
  onlyOneOf,
} from './schema/checks.ts';

/**
 * Kong's schema library over the generated schema DATA (schema/kong/*.json, read from Kong's source by
 * schema/generate-kong-schemas.ts): default filling as process_auto_fields does on insert
 * (kong/db/schema/init.lua handle_missing_field / adjust_field_for_context), shorthand fields,
 * merge_values for PATCH, and field validation with Kong's messages (validate_field, validation_errors).
 * Plugin subschemas are loaded as kong/db/schema/plugin_loader.lua + entity.lua do.
 */

type Row = Record<string, unknown>;

/** One field as Kong's Admin API serialises it (kong/api/api_helpers.lua schema_to_jsonable). */
export interface KongField {
  type: string;
  required?: boolean;
  default?: unknown;
  abstract?: boolean;
  auto?: boolean;
  uuid?: boolean;
  eq?: unknown;
  ne?: unknown;
  gt?: number;
  between?: [number, number];
  one_of?: unknown[];
  not_one_of?: unknown[];
  len_eq?: number;
  len_min?: number;
  len_max?: number;
  starts_with?: string;
  match?: string;
  not_match?: string;
  match_all?: { pattern: string; err?: string }[];
  match_none?: { pattern: string; err?: string }[];
  match_any?: { patterns: string[]; err?: string };
  timestamp?: boolean;
  err?: string;
  elements?: KongField;
  keys?: KongField;
  values?: KongField;
  fields?: Record<string, KongField>[];
  shorthand_fields?: Record<string, KongField & { deprecation?: Deprecation }>[];
  entity_checks?: Row[];
  [k: string]: unknown;
}

interface Deprecation {
  replaced_with?: { path: string[] }[];
  message?: string;
}

/** `{entity_checks, fields}`: the body of `GET /schemas/...`. */
export interface KongSchemaJson {
  entity_checks: Row[];
  fields: Record<string, KongField>[];
}

/** What a shorthand's function returns, the probe value marked `{"$value": true}` (generator). */
interface ShorthandProbe {
  record: string;
  name: string;
  returns: unknown;
  returns_for_null: unknown;
}

interface PluginData {
  schema: KongSchemaJson;
  shorthands: ShorthandProbe[];
}

interface SourceInfo {
  repository: string;
  tag: string;
  commit: string;
}

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'schema', 'kong');

let pluginFile: { source: SourceInfo; bundled_plugins: string[]; plugins: Record<string, PluginData> };
let entityFile: {
  source: SourceInfo;
  entities: Record<string, { name: string; meta: Row; schema: KongSchemaJson; plugin?: string }>;
};

/** A Kong node draws random defaults (session's secret) once when it loads the schema. */
function resolveRandom(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(resolveRandom);
  if (v !== null && typeof v === 'object') {
    const o = v as Row;
    if (typeof o.$random_base64 === 'number')
      return randomBytes(o.$random_base64).toString('base64').replace(/[/+=]/g, 'x');
    const out: Row = {};
    for (const [k, x] of Object.entries(o)) out[k] = resolveRandom(x);
    return out;
  }
  return v;
}

function pluginData() {
  pluginFile ??= resolveRandom(
    JSON.parse(readFileSync(join(DATA_DIR, 'plugins.json'), 'utf8')),
  ) as typeof pluginFile;
  return pluginFile;
}

function entityData() {
  entityFile ??= JSON.parse(readFileSync(join(DATA_DIR, 'entities.json'), 'utf8')) as typeof entityFile;
  return entityFile;
}

export const kongSource = (): SourceInfo => pluginData().source;
export const bundledPlugins = (): readonly string[] => pluginData().bundled_plugins;
export const bundledPluginSchema = (name: string): KongSchemaJson | undefined =>
  pluginData().plugins[name]?.schema;
export const entitySchemaJson = (name: string): KongSchemaJson | undefined =>
  entityData().entities[name]?.schema;
export const entitySchemaNames = (): string[] => Object.keys(entityData().entities);
/** The DAO facts of an entity (admin_api_name, endpoint_key, cache_key, ttl, ...), as generated. */
export const entityMeta = (name: string): Row | undefined => entityData().entities[name]?.meta;
export const entityPluginOwner = (name: string): string | undefined => entityData().entities[name]?.plugin;

export const isRow = (v: unknown): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A field with its record sub-fields indexed. */
export interface Compiled {
  def: KongField;
  fields?: [string, Compiled][];
  byName?: Map<string, Compiled>;
  elements?: Compiled;
  keys?: Compiled;
  values?: Compiled;
  shorthands?: Shorthand[];
  /**
   * A `custom_validator` function of the Lua schema (typedefs.lua `utf8_name`, `host`, `tag`, ...): not
   * data, so the simulator attaches its own (schema/lua-validators.ts); it runs last, as in Kong.
   */
  custom?: (value: unknown) => string | undefined;
}

interface Shorthand {
  name: string;
  def: Compiled;
  /** the result of the shorthand's function with `$value` for the given value. */
  returns: unknown;
  returnsForNull: unknown;
  deprecated: boolean;
  /** for select output: where the shorthand's value is read back (deprecation.replaced_with[1].path). */
  readBack?: string[];
}

export function compile(def: KongField, probes: ShorthandProbe[] = [], path = ''): Compiled {
  const c: Compiled = { def };
  if (def.type === 'record' && def.fields) {
    c.fields = def.fields.map((item) => {
      const [name, sub] = Object.entries(item)[0]!;
      return [name, compile(sub, probes, path ? `${path}.${name}` : name)];
    });
    c.byName = new Map(c.fields);
    if (def.shorthand_fields?.length) {
      c.shorthands = def.shorthand_fields.map((item) => {
        const [name, sdef] = Object.entries(item)[0]!;
        const probe = probes.find((p) => p.record === path && p.name === name);
        const readBack = sdef.deprecation?.replaced_with?.[0]?.path;
        return {
          name,
          def: compile(sdef),
          returns: probe?.returns ?? null,
          returnsForNull: probe?.returns_for_null ?? null,
          deprecated: sdef.deprecation !== undefined,
          ...(readBack ? { readBack } : {}),
        };
      });
    }
  }
  if (def.elements) c.elements = compile(def.elements, probes, path);
  if (def.keys) c.keys = compile(def.keys);
  if (def.values) c.values = compile(def.values, probes, path);
  return c;
}

/** A schema (`{fields}`) as a record field. */
export function compileSchema(schema: KongSchemaJson, probes: ShorthandProbe[] = []): Compiled {
  return compile({ type: 'record', fields: schema.fields, entity_checks: schema.entity_checks }, probes);
}

function copyDefault(c: Compiled): unknown {
  const d = c.def.default;
  // cjson encodes an empty Lua table as [] (api_helpers marks "maybe" arrays): a record or map
  // default `{}` arrives as []
  if (Array.isArray(d) && d.length === 0 && (c.def.type === 'record' || c.def.type === 'map')) return {};
  return d !== null && typeof d === 'object' ? structuredClone(d) : d;
}

/** handle_missing_field (insert context). `undefined` = stays absent (a required field: fails later). */
function missing(c: Compiled): unknown {
  if (c.def.default !== undefined) return copyDefault(c);
  if (c.def.required !== true) return null;
  if (c.def.abstract) return undefined;
  if (c.def.type === 'record') return fillRecord(c, {});
  return undefined;
}

/** adjust_field_for_context (insert / upsert). */
export function fillValue(c: Compiled, value: unknown): unknown {
  const t = c.def.type;
  if (c.def.abstract) return value;
  if (t === 'record') {
    if (value !== null && (value !== undefined || c.def.required === true)) {
      let v: unknown = value;
      if (v === undefined) v = missing(c);
      if (Array.isArray(v) && v.length === 0) v = {};
      if (isRow(v)) return c.fields ? fillRecord(c, v) : v;
      return v;
    }
  } else if (Array.isArray(value) || isRow(value)) {
    if (t === 'array' || t === 'set') {
      // an empty JSON object is an empty Lua table: a valid (empty) sequence
      let arr = Array.isArray(value) ? value : Object.keys(value).length === 0 ? [] : value;
      if (Array.isArray(arr)) {
        if (t === 'set') arr = dedupe(arr);
        if (c.elements) arr = arr.map((el) => fillValue(c.elements!, el));
      }
      return arr;
    }
    if (t === 'map' && isRow(value) && c.values) {
      const out: Row = {};
      for (const [k, v] of Object.entries(value)) out[k] = fillValue(c.values, v);
      return out;
    }
    if (t === 'map' && Array.isArray(value) && value.length === 0) return {};
  }
  if (value === undefined) {
    // Admin API reads run process_auto_fields("select"), which fills the records inside a default
    // array or map (statsd's default `metrics`) the same way
    const m = missing(c);
    return t !== 'record' && (Array.isArray(m) || isRow(m)) ? fillValue(c, m) : m;
  }
  return value;
}

/** kong/db/schema/init.lua make_set: first occurrence wins. */
function dedupe(arr: unknown[]): unknown[] {
  if (arr.every((x) => typeof x !== 'object' || x === null)) return [...new Set(arr)];
  const seen = new Set<string>();
  return arr.filter((x) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function substitute(template: unknown, value: unknown): unknown {
  if (isRow(template)) {
    if (template.$value === true && Object.keys(template).length === 1) return value;
    const out: Row = {};
    for (const [k, v] of Object.entries(template)) out[k] = substitute(v, value);
    return out;
  }
  return template;
}

/** kong/tools/table.lua null_aware_table_merge: t2's non-null values win. */
function nullAwareMerge(t1: Row, t2: Row): Row {
  const out: Row = { ...t1 };
  for (const [k, v] of Object.entries(t2)) if (v !== null) out[k] = v;
  return out;
}

/**
 * process_auto_fields' shorthand step: each shorthand present in `data` is removed and its function's
 * result merged in (deprecated shorthands never override the real field). Returns errors by name.
 */
export function translateShorthands(c: Compiled, data: Row): Row | undefined {
  if (!c.shorthands) return undefined;
  let errors: Row | undefined;
  for (const sh of c.shorthands) {
    const value = data[sh.name];
    if (value === undefined) continue;
    const err = value === null ? undefined : validateValue(sh.def, value);
    if (err !== undefined) {
      errors = { ...errors, [sh.name]: err };
      continue;
    }
    if (sh.deprecated && sh.readBack && value !== null) {
      const current = pathGet(data, sh.readBack);
      if (current !== undefined && current !== null && JSON.stringify(current) !== JSON.stringify(value)) {
        errors = {
          ...errors,
          [sh.name]: `both deprecated and new field are used but their values mismatch: ${sh.name} = ${String(value)} vs ${sh.readBack.join('.')} = ${String(current)}`,
        };
        continue;
      }
    }
    delete data[sh.name];
    const result = substitute(value === null ? sh.returnsForNull : sh.returns, value);
    if (!isRow(result)) continue;
    for (const [k, v] of Object.entries(result)) {
      if (isRow(v)) {
        const source = isRow(data[k]) ? (data[k] as Row) : {};
        data[k] = sh.deprecated ? nullAwareMerge(v, source) : { ...source, ...v };
      } else if (!sh.deprecated || data[k] === undefined || data[k] === null) {
        data[k] = v;
      }
    }
  }
  return errors;
}

function pathGet(data: unknown, path: readonly string[]): unknown {
  let cur = data;
  for (const p of path) {
    if (!isRow(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** insert semantics for a record: shorthands, then every field filled; unknown keys kept for validation. */
export function fillRecord(c: Compiled, value: Row): Row {
  const data: Row = { ...value };
  if (c.shorthands) translateShorthands(c, data);
  const out: Row = {};
  for (const [name, sub] of c.fields ?? []) {
    const v = fillValue(sub, data[name]);
    if (v !== undefined) out[name] = v;
  }
  for (const [k, v] of Object.entries(data)) if (!(k in out) && !c.byName?.has(k)) out[k] = v;
  return out;
}

/** Schema:merge_values: records merge field by field; everything else (arrays, maps) is replaced. */
export function mergeValues(c: Compiled, top: Row, bottom: unknown): Row {
  const base = isRow(bottom) ? bottom : {};
  const out: Row = { ...base, ...top };
  for (const [name, sub] of c.fields ?? []) {
    const t = top[name];
    if (t === undefined) continue;
    if (sub.def.type === 'record' && !sub.def.abstract && isRow(t) && sub.fields)
      out[name] = mergeValues(sub, t, base[name]);
  }
  return out;
}

/**
 * The select view of a record (hide_shorthands = false on Admin API reads): each deprecated
 * shorthand with a replacement path shows the value found there.
 */
export function addReadBacks(c: Compiled, data: Row): void {
  for (const sh of c.shorthands ?? []) {
    if (!sh.readBack) continue;
    const v = pathGet(data, sh.readBack);
    if (v === undefined) delete data[sh.name];
    else data[sh.name] = v;
  }
  for (const [name, sub] of c.fields ?? []) {
    const v = data[name];
    if (sub.fields && isRow(v)) addReadBacks(sub, v);
  }
}

/** The shorthand read-backs removed again (what Kong's DAO reads with hide_shorthands = true). */
export function stripReadBacks(c: Compiled, data: Row): Row {
  const out: Row = { ...data };
  for (const sh of c.shorthands ?? []) if (sh.readBack) delete out[sh.name];
  for (const [name, sub] of c.fields ?? []) {
    const v = out[name];
    if (sub.fields && isRow(v)) out[name] = stripReadBacks(sub, v);
  }
  return out;
}

function typeError(def: KongField, v: unknown): string | undefined {
  switch (def.type) {
    case 'string':
      return typeof v === 'string' ? undefined : 'expected a string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) ? undefined : 'expected an integer';
    case 'number':
      return typeof v === 'number' ? undefined : 'expected a number';
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'expected a boolean';
    case 'array':
      return Array.isArray(v) || (isRow(v) && Object.keys(v).length === 0) ? undefined : 'expected an array';
    case 'set':
      return Array.isArray(v) || (isRow(v) && Object.keys(v).length === 0) ? undefined : 'expected a set';
    case 'map':
      return isRow(v) || (Array.isArray(v) && v.length === 0) ? undefined : 'expected a map';
    case 'record':
      return isRow(v) || (Array.isArray(v) && v.length === 0) ? undefined : 'expected a record';
    case 'foreign':
      return isRow(v) ? undefined : 'expected a record';
    default:
      return undefined;
  }
}

const fmtNum = (n: number) => String(n);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Schema:validate_field: a message, a nested error table, or undefined when valid. */
export function validateValue(c: Compiled, v: unknown): unknown {
  const def = c.def;
  if (v === null) {
    if (def.ne === null) return def.err ?? 'value must not be null';
    if (def.eq !== undefined && def.eq !== null) return `value must be ${String(def.eq)}`;
    if (def.required) return 'required field missing';
    return undefined;
  }
  if (def.eq === null) return def.err ?? 'value must be null';
  if (def.abstract) return undefined;
  const te = typeError(def, v);
  if (te) return te;
  // a conditional's matcher is typed `any` here; Kong gives it the if-field's type (a set for
  // routes.protocols), so its `elements` apply to an array value
  if ((def.type === 'array' || def.type === 'set' || def.type === 'any') && Array.isArray(v) && c.elements) {
    const errs: unknown[] = [];
    let bad = false;
    v.forEach((el, i) => {
      const e = el === null ? 'required field missing' : validateValue(c.elements!, el);
      if (e !== undefined) bad = true;
      errs[i] = e ?? null;
    });
    if (bad) return errs;
  } else if (def.type === 'map' && isRow(v)) {
    for (const [k, x] of Object.entries(v)) {
      const ke = c.keys ? validateValue(c.keys, k) : undefined;
      if (ke !== undefined) return ke;
      const ve = x === null ? 'required field missing' : c.values ? validateValue(c.values, x) : undefined;
      if (ve !== undefined) return ve;
    }
  } else if (def.type === 'record' && isRow(v) && c.fields) {
    const errs = validateRecord(c, v);
    if (errs) return errs;
  } else if (def.type === 'foreign' && isRow(v)) {
    if (v.id === undefined || v.id === null) return { id: 'required field missing' };
    if (typeof v.id !== 'string' || !UUID_RE.test(v.id)) return { id: 'expected a valid UUID' };
  }
  return validators(c, v);
}

/** `value:match(pattern)`; undefined when the pattern is beyond the translated subset (lua-pattern.ts). */
function luaMatch(value: string, pattern: string): boolean | undefined {
  return luaPatternToRegExp(pattern)?.test(value);
}

/** The string validators of Schema.validators_order: not_match, match_none, match, match_all, match_any. */
function matchError(def: KongField, v: string): string | undefined {
  const invalid = `invalid value: ${v}`;
  if (def.not_match !== undefined && luaMatch(v, def.not_match) === true) return invalid;
  for (const item of def.match_none ?? []) if (luaMatch(v, item.pattern) === true) return item.err ?? invalid;
  if (def.match !== undefined && luaMatch(v, def.match) === false) return invalid;
  for (const item of def.match_all ?? []) if (luaMatch(v, item.pattern) === false) return item.err ?? invalid;
  if (def.match_any) {
    const found = def.match_any.patterns.map((p) => luaMatch(v, p));
    if (!found.includes(true) && !found.includes(undefined)) return def.match_any.err ?? invalid;
  }
  return undefined;
}

/** Schema:validate_field's validators in Kong's `validators_order`; the first failing one is reported. */
function validators(c: Compiled, v: unknown): string | undefined {
  const def = c.def;
  const fail = (msg: string) => def.err ?? msg;
  if (def.eq !== undefined && v !== def.eq) return fail(`value must be ${String(def.eq)}`);
  if (def.ne !== undefined && v === def.ne) return fail(`value must not be ${String(v)}`);
  if (def.not_one_of?.includes(v)) return fail(`must not be one of: ${def.not_one_of.join(', ')}`);
  if (def.one_of && !def.one_of.includes(v)) return fail(`expected one of: ${def.one_of.join(', ')}`);
  if (typeof v === 'number') {
    if (def.gt !== undefined && !(v > def.gt)) return fail(`value must be greater than ${fmtNum(def.gt)}`);
    if (def.timestamp && !(v > 0)) return fail('expected a valid timestamp');
    if (def.between && (v < def.between[0] || v > def.between[1]))
      return fail(`value should be between ${Math.trunc(def.between[0])} and ${Math.trunc(def.between[1])}`);
  }
  if (def.uuid && (typeof v !== 'string' || !UUID_RE.test(v))) return fail('expected a valid UUID');
  const len = typeof v === 'string' ? v.length : Array.isArray(v) ? v.length : undefined;
  if (len !== undefined) {
    // empty strings are not accepted by default (validate_field sets len_min = 1 for strings)
    const lenMin = def.len_min ?? (def.type === 'string' ? 1 : undefined);
    if (def.len_eq !== undefined && len !== def.len_eq) return fail(`length must be ${def.len_eq}`);
    if (lenMin !== undefined && len < lenMin) return fail(`length must be at least ${lenMin}`);
    if (def.len_max !== undefined && len > def.len_max) return fail(`length must be at most ${def.len_max}`);
  }
  if (def.starts_with !== undefined && typeof v === 'string' && !v.startsWith(def.starts_with))
    return fail(`should start with: ${def.starts_with}`);
  if (typeof v === 'string') {
    const m = matchError(def, v);
    if (m !== undefined) return fail(m);
  }
  const custom = c.custom?.(v);
  return custom === undefined ? undefined : fail(custom);
}

/** Fields, unknown keys, then the record's entity checks (run only when the fields are valid). */
export function validateRecord(c: Compiled, v: Row): Row | undefined {
  return recordFieldErrors(c, v) ?? entityChecks(c.def.entity_checks ?? [], v);
}

/** A record's fields and unknown keys (Schema:validate_fields), without its entity checks. */
export function recordFieldErrors(c: Compiled, v: Row): Row | undefined {
  const errors: Row = {};
  for (const [name, sub] of c.fields ?? []) {
    const x = v[name];
    if (x === undefined) {
      if (sub.def.required && !sub.def.abstract) errors[name] = 'required field missing';
      continue;
    }
    const e = validateValue(sub, x);
    if (e !== undefined) errors[name] = e;
  }
  for (const k of Object.keys(v)) if (!c.byName?.has(k)) errors[k] = 'unknown field';
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/** The data-only entity checks of kong/db/schema/init.lua (custom_entity_check functions are not data). */
export function entityChecks(checks: Row[], v: Row): Row | undefined {
  const entity: (string | undefined)[] = [];
  const fieldErrs: Row = {};
  const get = (path: string) => pathGet(v, path.split('.'));
  for (const check of checks) {
    const [name, arg] = Object.entries(check)[0] as [string, Row];
    const fields = (Array.isArray(arg) ? arg : ((arg?.fields as string[]) ?? [])) as string[];
    // the checks read dotted paths (`config.redis.host`): give them a flat view
    const flat = Object.fromEntries(fields.map((f) => [f, get(f)]));
    switch (name) {
      case 'at_least_one_of':
        entity.push(atLeastOneOf(flat, fields));
        break;
      case 'only_one_of':
        entity.push(onlyOneOf(flat, fields));
        break;
      case 'mutually_required':
        entity.push(mutuallyRequired(flat, fields));
        break;
      case 'mutually_exclusive':
        entity.push(mutuallyExclusive(flat, fields));
        break;
      case 'conditional': {
        const ifField = String(arg.if_field);
        const thenField = String(arg.then_field);
        const ifVal = get(ifField);
        if (isEmpty(ifVal)) break;
        const { ifMatch, thenMatch } = compiledConditional(arg);
        if (validateValue(ifMatch, ifVal) !== undefined) break;
        const thenVal = get(thenField);
        const err = isEmpty(thenVal)
          ? thenMatch.def.required
            ? 'required field missing'
            : undefined
          : validateValue(thenMatch, thenVal);
        if (err !== undefined) {
          entity.push(`failed conditional validation given value of field '${ifField}'`);
          setPath(fieldErrs, thenField, (arg.then_err as string | undefined) ?? err);
        }
        break;
      }
      default:
        break;
    }
  }
  return mergeErrors(fieldErrs, entityErrors(...entity));
}

const CONDITIONALS = new WeakMap<Row, { ifMatch: Compiled; thenMatch: Compiled }>();

/** A conditional check's if/then matchers, compiled once per schema (checks run on every write). */
function compiledConditional(arg: Row): { ifMatch: Compiled; thenMatch: Compiled } {
  let c = CONDITIONALS.get(arg);
  if (!c) {
    c = {
      ifMatch: compile({ type: 'any', ...(arg.if_match as Row) }),
      thenMatch: compile({ type: 'any', ...(arg.then_match as Row) } as KongField),
    };
    CONDITIONALS.set(arg, c);
  }
  return c;
}

function setPath(target: Row, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = target;
  for (const p of parts.slice(0, -1)) {
    if (!isRow(cur[p])) cur[p] = {};
    cur = cur[p] as Row;
  }
  cur[parts.at(-1)!] = value;
}

/** A plugin's subschema, compiled once per process (bundled) or when a test registers it (custom). */
export interface PluginSchema {
  name: string;
  json: KongSchemaJson;
  /** the subschema's top-level fields (consumer, protocols, config, ...). */
  top: Compiled;
  config?: Compiled;
  /** `{}` filled: cloned when a write carries no config (the common case on benchmarks). */
  emptyConfig?: Row;
}

export function compilePlugin(
  name: string,
  json: KongSchemaJson,
  probes: ShorthandProbe[] = [],
): PluginSchema {
  const top = compileSchema(json, probes);
  const config = top.byName?.get('config');
  return {
    name,
    json,
    top,
    ...(config ? { config, emptyConfig: fillRecord(config, {}) } : {}),
  };
}

const compiledBundled = new Map<string, PluginSchema>();

export function bundledPlugin(name: string): PluginSchema | undefined {
  let p = compiledBundled.get(name);
  if (p) return p;
  const data = pluginData().plugins[name];
  if (!data) return undefined;
  p = compilePlugin(name, data.schema, data.shorthands);
  compiledBundled.set(name, p);
  return p;
}

/**
 * Custom plugin schemas arrive the way a plugin's schema.lua would be served by
 * `GET /schemas/plugins/{name}`; records are made required as Kong's loader does
 * (kong/db/schema/entity.lua make_records_required).
 */
export function normaliseCustomSchema(json: KongSchemaJson): KongSchemaJson {
  const req = (f: KongField): KongField => {
    if (f.type !== 'record') return f;
    return {
      ...f,
      required: f.required ?? true,
      ...(f.fields ? { fields: f.fields.map(mapItem) } : {}),
    };
  };
  const mapItem = (item: Record<string, KongField>) => {
    const [n, f] = Object.entries(item)[0]!;
    return { [n]: req(f) };
  };
  return { entity_checks: json.entity_checks ?? [], fields: json.fields.map(mapItem) };
}

/**
 * A bundled plugin's config as Kong stores and returns it (defaults filled, deprecated shorthands
 * read back): what a gateway holds after a write of `config`. For fixtures of tests and benchmarks.
 */
export function storedPluginConfig(name: string, config: Row = {}): Row {
  const plugin = bundledPlugin(name);
  if (!plugin?.config) throw new Error(`no bundled plugin schema for ${name}`);
  const out = fillRecord(plugin.config, structuredClone(config));
  addReadBacks(plugin.config, out);
  return out;
}
