/**
 * Completing entities read from a hand-written file the way Kong completes them on write, so a file
 * imported here compares equal to a dump of the gateway it was applied to: schema defaults
 * (the catalogue's `defaults`, from kong/db/schema/entities/*.lua), the `url` shorthand of services
 * (go-database-reconciler pkg/file/types.go `unwrapURL`) and the `:8000` Kong appends to port-less
 * targets (kong/db/dao/targets.lua `DEFAULT_PORT`).
 */
import { CATALOGUE, type Entity, type EntityKind } from '../catalogue/index.ts';

type Json = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of JSON data (structuredClone is several times slower on the small values copied here). */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (!isPlainObject(v)) return v;
  const out: Json = {};
  for (const key in v) {
    // a `__proto__` key from JSON.parse is data; plain assignment would set the prototype instead
    if (key === '__proto__') Object.defineProperty(out, key, { value: cloneJson(v[key]), enumerable: true });
    else out[key] = cloneJson(v[key]);
  }
  return out as T;
}

/** Fill every absent field of `target` from `defaults`, descending into nested records (healthchecks). */
export function fillDefaults(target: Json, defaults: Readonly<Json>): void {
  for (const [key, value] of Object.entries(defaults)) {
    const current = target[key];
    if (current === undefined) target[key] = cloneJson(value);
    else if (isPlainObject(current) && isPlainObject(value)) fillDefaults(current, value);
  }
}

/** Drop `null` everywhere: Kong returns unset fields as null, files omit them; both mean "unset". */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isPlainObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
  return out;
}

const URL_RE = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/?#:]*)(?::(\d+))?([^?#]*)/i;

/**
 * decK's `url` shorthand: scheme → protocol, host, port (80, or 443 for https, unless given), path when
 * present. Explicit protocol/host/port/path fields win over the url, as in decK's copyFromService.
 */
export function expandServiceUrl(service: Json): string | null {
  const url = service.url;
  if (url === undefined) return null;
  delete service.url;
  if (typeof url !== 'string') return 'url must be a string';
  const m = URL_RE.exec(url);
  if (!m) return `invalid url "${url}": expected scheme://host[:port][/path]`;
  const [, scheme = '', host = '', port, path = ''] = m;
  const fromUrl: Json = {
    protocol: scheme.toLowerCase(),
    host,
    port: port !== undefined ? Number(port) : scheme.toLowerCase() === 'https' ? 443 : 80,
  };
  if (path !== '') fromUrl.path = path;
  for (const [k, v] of Object.entries(fromUrl)) if (service[k] === undefined) service[k] = v;
  return null;
}

/** Kong appends `:8000` to a target without a port; bare IPv6 addresses get brackets. */
export function normalizeTarget(target: string): string {
  if (target.startsWith('[')) return target.includes(']:') ? target : `${target}:8000`;
  const colons = target.split(':').length - 1;
  if (colons === 0) return `${target}:8000`;
  if (colons > 1) return `[${target}]:8000`;
  return target;
}

/** `_info.defaults` of a decK file: object defaults applied before Kong's own. */
export type FileDefaults = Partial<Record<'services' | 'routes' | 'upstreams' | 'targets', Json>>;

export function completeEntity(kind: EntityKind, entity: Entity, fileDefaults: FileDefaults): void {
  const own = fileDefaults[kind as keyof FileDefaults];
  if (own) fillDefaults(entity, own);
  fillDefaults(entity, CATALOGUE[kind].defaults);
  if (kind === 'targets' && typeof entity.target === 'string') entity.target = normalizeTarget(entity.target);
}
