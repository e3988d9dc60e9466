/**
 * Generates the simulator's Kong schema DATA from Kong's own source at a named tag:
 *
 *   npx tsx tools/kong-sim/schema/generate-kong-schemas.ts <kong git dir or checkout> <tag>
 *   (e.g. `... /work/.mirror/Kong+kong/repo 3.9.3`)
 *
 * writes `tools/kong-sim/schema/kong/plugins.json` and `entities.json`.
 *
 * How: every bundled plugin's `kong/plugins/<p>/schema.lua` (the list is BUNDLED_PLUGINS of
 * `kong/constants.lua` at the tag), every `kong/db/schema/entities/*.lua` and every plugin's `daos.lua`
 * is evaluated in a Lua 5.4 VM (wasmoon) with Kong's own `kong/db/schema/typedefs.lua`,
 * `kong/constants.lua` and the other pure-data modules they require, read from the tag with
 * `git show`. Modules that need OpenResty (resty.*, ffi, sockets) are replaced by inert stand-ins: the
 * schema files only keep references to their functions (custom validators), which carry no data.
 * The resulting tables are written out as Kong's Admin API serialises them
 * (kong/api/api_helpers.lua `schema_to_jsonable`: functions dropped, `fields` as a list of one-key
 * objects, ngx.null as JSON null, NaN/±inf as strings), after the two adjustments Kong makes when it
 * loads them (kong/db/schema/entity.lua: records are made `required` unless they say otherwise; the
 * plugin subschema itself is not required). Only data comes over: no Kong code is copied into the
 * simulator.
 *
 * Shorthand fields (kong/db/schema/init.lua process_auto_fields) are functions in Kong; the generator
 * records what each one does by calling it with a probe value and noting where the probe lands in the
 * result (`shorthands` beside each plugin schema).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LuaFactory } from 'wasmoon';

const LUA_PRELUDE = String.raw`
local NULL = setmetatable({}, { __name = "ngx.null", __tostring = function() return "null" end })
local MAGIC = {}
local magic_names = setmetatable({}, { __mode = "k" })
local function new_magic(name)
  local m = setmetatable({}, MAGIC)
  magic_names[m] = name
  return m
end
MAGIC.__index = function(t, k)
  if type(k) == "number" then return nil end
  local m = new_magic((magic_names[t] or "?") .. "." .. tostring(k))
  rawset(t, k, m)
  return m
end
MAGIC.__call = function(t) return new_magic((magic_names[t] or "?") .. "()") end
MAGIC.__concat = function(a, b)
  local function s(x) if getmetatable(x) == MAGIC then return "<" .. magic_names[x] .. ">" end return tostring(x) end
  return s(a) .. s(b)
end
MAGIC.__tostring = function(t) return "<" .. (magic_names[t] or "?") .. ">" end
MAGIC.__len = function() return 0 end
MAGIC.__eq = function() return false end
MAGIC.__lt = function() return false end
MAGIC.__le = function() return false end
MAGIC.__unm = function(t) return t end
MAGIC.__add = function(a) return a end
MAGIC.__sub = function(a) return a end
MAGIC.__mul = function(a) return a end
MAGIC.__div = function(a) return a end

unpack = table.unpack
loadstring = load
table.getn = function(t) return #t end
math.pow = function(a, b) return a ^ b end
math.mod = math.fmod
ngx = setmetatable({
  null = NULL,
  log = function() end,
  DEBUG = 8, INFO = 7, NOTICE = 6, WARN = 5, ERR = 4, CRIT = 3, ALERT = 2, EMERG = 1,
  config = { subsystem = "http", ngx_lua_version = 10026, prefix = function() return "/tmp" end },
  re = { match = function() return nil end, find = function() return nil end,
         gsub = function(s) return s, 0 end, sub = function(s) return s, 0 end,
         gmatch = function() return function() return nil end end },
  get_phase = function() return "init" end,
  time = function() return 0 end, now = function() return 0 end, update_time = function() end,
  worker = { id = function() return 0 end, count = function() return 1 end },
  shared = {},
}, { __index = function(t, k) return new_magic("ngx." .. k) end })
kong = setmetatable({ configuration = { router_flavor = "traditional_compatible", database = "postgres",
                                        role = "traditional" } },
                    { __index = function(t, k) return new_magic("kong." .. k) end })

-- kong.db.schema: only Schema.define is needed to evaluate typedefs (a table that, when called with
-- overrides, returns the overrides with the missing keys taken from it).
local schema_stub = setmetatable({
  define = function(tbl)
    return setmetatable(tbl, { __call = function(t, arg)
      arg = arg or {}
      for k, v in pairs(t) do if arg[k] == nil then arg[k] = v end end
      return arg
    end })
  end,
}, { __index = function(t, k) return new_magic("kong.db.schema." .. k) end })

-- LuaJIT's table extensions used by schema files
local function shallow_clone(t) local c = {} for k, v in pairs(t) do c[k] = v end return c end
local loaded = { ["kong.db.schema"] = schema_stub, string = string, table = table, math = math, os = os,
                 ["table.clone"] = shallow_clone, ["table.new"] = function() return {} end,
                 ["table.nkeys"] = function(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end,
                 ["table.isempty"] = function(t) return next(t) == nil end }
-- A default computed from random bytes when Kong loads the schema (session's secret): recorded as
-- {"$random_base64": <bytes>} so the simulator draws its own value once per process, as a Kong node does.
local RANDOM = "\0random\0"
ngx.encode_base64 = function() return RANDOM end
local warnings = {}
function require(name)
  local m = loaded[name]
  if m ~= nil then return m end
  local src = name:match("^kong") and read_module(name) or nil
  if src then
    local f, err = load(src, "@" .. name, "t")
    if f then
      local ok, res = pcall(f, name)
      if ok then
        if res == nil then res = true end
        loaded[name] = res
        return res
      end
      err = res
    end
    warnings[#warnings + 1] = "module " .. name .. " replaced by a stand-in: " .. tostring(err)
  end
  m = new_magic("require:" .. name)
  loaded[name] = m
  return m
end

-- kong/db/schema/entity.lua: records in entities are required unless they say otherwise.
local function make_records_required(field)
  if field.required == nil then field.required = true end
  for _, item in ipairs(field.fields or {}) do
    local _, f = next(item)
    if type(f) == "table" and f.type == "record" then make_records_required(f) end
  end
end

-- JSON encoding after kong/api/api_helpers.lua schema_to_jsonable.
local enc
local function esc(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local map = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
    return map[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end
local function num(v)
  if v ~= v then return '"nan"' end
  if v == math.huge then return '"inf"' end
  if v == -math.huge then return '"-inf"' end
  if math.type(v) == "integer" then return tostring(v) end
  if v == math.floor(v) and math.abs(v) < 2^53 then return string.format("%d", v) end
  return string.format("%.17g", v)
end
local PROBE = setmetatable({}, { __name = "probe" })
local function scalar(v)
  if v == NULL then return "null" end
  if v == PROBE then return '{"$value":true}' end
  local t = type(v)
  if v == RANDOM then return '{"$random_base64":32}' end
  if t == "string" then return esc(v) end
  if t == "number" then return num(v) end
  if t == "boolean" then return tostring(v) end
  if t == "table" and getmetatable(v) == MAGIC then
    warnings[#warnings + 1] = "stand-in value " .. tostring(v) .. " in data"
    return '"<stand-in>"'
  end
  return nil
end
local fields_json
-- mode: "yes" (array), "no" (object), "maybe" (array unless a non-number key is seen)
function enc(v, mode, ftype)
  local s = scalar(v)
  if s then return s end
  if type(v) ~= "table" then return nil end
  local keys, isarr = {}, (mode ~= "no")
  if mode == "yes" then
    local out = {}
    for _, x in ipairs(v) do local e = enc(x, "maybe"); if e then out[#out + 1] = e end end
    return "[" .. table.concat(out, ",") .. "]"
  end
  local allnum = true
  for k in pairs(v) do
    if type(k) ~= "number" then isarr = false; allnum = false end
    keys[#keys + 1] = k
  end
  -- cjson encodes any non-empty table whose keys are all positive integers as an array
  if allnum and #keys > 0 then isarr = true end
  if isarr then
    table.sort(keys)
    local out = {}
    for _, k in ipairs(keys) do local e = enc(v[k], "maybe"); if e then out[#out + 1] = e end end
    return "[" .. table.concat(out, ",") .. "]"
  end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local out = {}
  for _, k in ipairs(keys) do
    local x, e = v[k], nil
    if k == "fields" and v.type == "record" and type(x) == "table" then e = fields_json(x)
    elseif k == "default" and v.type == "array" and type(x) == "table" and x ~= NULL then e = enc(x, "yes")
    elseif k == "schema" and type(x) == "table" and x.fields then e = nil -- foreign schemas are stripped
    else e = enc(x, "maybe") end
    if e then out[#out + 1] = esc(tostring(k)) .. ":" .. e end
  end
  return "{" .. table.concat(out, ",") .. "}"
end
function fields_json(fields)
  local out = {}
  for _, item in ipairs(fields) do
    local name, fdata = next(item)
    out[#out + 1] = "{" .. esc(name) .. ":" .. enc(fdata, "no") .. "}"
  end
  return "[" .. table.concat(out, ",") .. "]"
end
local function schema_json(def)
  return '{"entity_checks":' .. fields_json(def.entity_checks or {}) .. ',"fields":' .. fields_json(def.fields) .. "}"
end

-- What a shorthand's func does: called with a probe value (and with ngx.null), the result is recorded
-- with the probe marked {"$value": true}.
local function probe_shorthands(fields, prefix, out)
  for _, item in ipairs(fields or {}) do
    local name, f = next(item)
    if type(f) == "table" and f.type == "record" then
      local path = prefix .. name
      for _, sh in ipairs(f.shorthand_fields or {}) do
        local sname, sdata = next(sh)
        local ok, res = pcall(sdata.func, PROBE)
        local okn, resn = pcall(sdata.func, NULL)
        out[#out + 1] = "{" .. '"record":' .. esc(path) .. ',"name":' .. esc(sname)
          .. ',"returns":' .. (ok and (res == nil and "null" or enc(res, "no")) or '"<error>"')
          .. ',"returns_for_null":' .. (okn and (resn == nil and "null" or enc(resn, "no")) or '"<error>"')
          .. "}"
      end
      probe_shorthands(f.fields, path .. ".", out)
    end
  end
end

function gen_plugin(name)
  local def = require("kong.plugins." .. name .. ".schema")
  -- kong/db/schema/entity.lua new_subschema
  make_records_required(def)
  def.required = nil
  local shorthands = {}
  probe_shorthands(def.fields, "", shorthands)
  return '{"schema":' .. schema_json(def) .. ',"shorthands":[' .. table.concat(shorthands, ",") .. "]}"
end

function gen_entities(modname, is_list)
  local defs = require(modname)
  if type(defs) ~= "table" or getmetatable(defs) == MAGIC then return "[]" end
  if not is_list then defs = { defs } end
  local out = {}
  for _, def in ipairs(defs) do
    if type(def) == "table" and def.name and def.fields then
      for _, item in ipairs(def.fields) do
        local _, f = next(item)
        if type(f) == "table" and f.type == "record" and not f.abstract then make_records_required(f) end
      end
      local meta = {}
      for _, k in ipairs({ "primary_key", "endpoint_key", "cache_key", "admin_api_name", "admin_api_nested_name",
                           "workspaceable", "dao", "generate_admin_api", "ttl", "subschema_key", "db_export" }) do
        if def[k] ~= nil and type(def[k]) ~= "function" then meta[#meta + 1] = esc(k) .. ":" .. enc(def[k], "maybe") end
      end
      out[#out + 1] = "{" .. '"name":' .. esc(def.name) .. ',"meta":{' .. table.concat(meta, ",") .. '},"schema":'
        .. schema_json(def) .. "}"
    end
  end
  return "[" .. table.concat(out, ",") .. "]"
end

function bundled_plugins()
  local c = require("kong.constants")
  local names = {}
  for _, n in ipairs(c.BUNDLED_PLUGINS_LIST or {}) do names[#names + 1] = n end
  if #names == 0 then for n in pairs(c.BUNDLED_PLUGINS) do names[#names + 1] = n end table.sort(names) end
  return table.concat(names, ",")
end

function take_warnings()
  local w = table.concat(warnings, "\n")
  warnings = {}
  return w
end
`;

function git(dir: string, args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

async function main() {
  const [dir, tag] = process.argv.slice(2);
  if (!dir || !tag) {
    process.stderr.write('usage: generate-kong-schemas.ts <kong git dir or checkout> <tag>\n');
    process.exit(2);
  }
  const commit = git(dir, ['rev-parse', `${tag}^{commit}`]).trim();
  const files = new Set(git(dir, ['ls-tree', '-r', '--name-only', commit, 'kong/']).split('\n'));
  const show = (p: string) => git(dir, ['show', `${commit}:${p}`]);
  const readModule = (name: string): string | null => {
    const base = name.replace(/\./g, '/');
    for (const p of [`${base}.lua`, `${base}/init.lua`]) if (files.has(p)) return show(p);
    return null;
  };
  const lua = await new LuaFactory().createEngine({ injectObjects: false, enableProxy: false });
  try {
    lua.global.set('read_module', readModule);
    lua.doStringSync(LUA_PRELUDE);
    const call = (fn: string, ...args: unknown[]): string =>
      (lua.global.get(fn) as (...a: unknown[]) => string)(...args);
    const warn = (what: string) => {
      const w = call('take_warnings');
      if (w) process.stderr.write(`${what}:\n  ${w.split('\n').join('\n  ')}\n`);
    };

    const bundled = call('bundled_plugins').split(',').filter(Boolean);
    const plugins: Record<string, unknown> = {};
    for (const name of bundled) {
      plugins[name] = JSON.parse(call('gen_plugin', name));
      warn(`plugin ${name}`);
    }

    const entities: Record<string, unknown> = {};
    const entityFiles = [...files].filter((f) => /^kong\/db\/schema\/entities\/[^/]+\.lua$/.test(f)).sort();
    for (const f of entityFiles) {
      const mod = f.replace(/\.lua$/, '').replace(/\//g, '.');
      for (const e of JSON.parse(call('gen_entities', mod, false)) as { name: string }[])
        entities[e.name] = e;
      warn(mod);
    }
    for (const name of bundled) {
      if (!files.has(`kong/plugins/${name}/daos.lua`)) continue;
      for (const e of JSON.parse(call('gen_entities', `kong.plugins.${name}.daos`, true)) as {
        name: string;
      }[])
        entities[e.name] = { ...e, plugin: name };
      warn(`kong.plugins.${name}.daos`);
    }

    const source = { repository: 'Kong/kong', tag, commit };
    const out = dirname(fileURLToPath(import.meta.url));
    const header = {
      generated_by: 'tools/kong-sim/schema/generate-kong-schemas.ts',
      source,
      note: 'Data read from Kong source at the tag above; regenerate, do not edit.',
    };
    writeFileSync(
      join(out, 'kong', 'plugins.json'),
      `${JSON.stringify({ ...header, bundled_plugins: bundled, plugins }, null, 2)}\n`,
    );
    writeFileSync(
      join(out, 'kong', 'entities.json'),
      `${JSON.stringify({ ...header, entities }, null, 2)}\n`,
    );
    process.stdout.write(
      `${JSON.stringify({ tag, commit, plugins: bundled.length, entities: Object.keys(entities).length })}\n`,
    );
  } finally {
    lua.global.close();
  }
}

await main();
