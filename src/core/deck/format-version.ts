/**
 * `_format_version`: Kong 3.x takes the versions its declarative schema lists
 * (kong/db/schema/others/declarative_config.lua: `one_of = {"1.1", "2.1", "3.0"}`, required) and brings
 * an older file up to 3.0 on the fly before validating it (kong/db/declarative/migrations/route_path.lua):
 * in Kong 2.x a route path was a regex when it held any character outside `[a-zA-Z0-9.\-_~/%]`; Kong 3.x
 * needs a `~` prefix for that, so each such path of a 1.1 / 2.1 file gets one (its percent-escapes decoded
 * as kong/db/migrations/migrate_path_280_300.lua `normalize_regex` does), and every other path is
 * normalized (kong/tools/uri.lua `normalize(path, true)`). decK's own CLI refuses 1.1 files on Kong 3
 * and asks for `deck file convert`; snapgate takes what Kong takes and migrates as Kong does.
 */

/** The versions Kong 3.x accepts, oldest first. */
export const FORMAT_VERSIONS = ['1.1', '2.1', '3.0'] as const;
export type FormatVersion = (typeof FORMAT_VERSIONS)[number];

export function isFormatVersion(value: unknown): value is FormatVersion {
  return typeof value === 'string' && (FORMAT_VERSIONS as readonly string[]).includes(value);
}

// kong/tools/uri.lua: RESERVED_CHARS, kept percent-encoded (upper-cased) by normalize and normalize_regex
const RESERVED = new Set([..."!*'();:@&=+$,/?%#[]"].map((c) => c.charCodeAt(0)));
// migrate_path_280_300.lua REGEX_META_CHARACTERS: unreserved characters a regex reads as syntax
const REGEX_META: Record<number, string> = {
  46: '\\.',
  94: '\\^',
  45: '\\-',
  123: '\\{',
  125: '\\}',
  92: '\\\\',
  124: '\\|',
};
const PERCENT_TRIPLET = /%([0-9A-F]{2})/gi;

/** migrate_path_280_300.lua `is_not_regex`: only the characters a plain 2.x prefix path could hold. */
function isPlainPath(path: string): boolean {
  return /^[a-zA-Z0-9.\-_~/%]*$/.test(path);
}

function normalizeRegex(regex: string): string {
  if (!regex.includes('%')) return regex;
  return regex.replace(PERCENT_TRIPLET, (triplet: string, hex: string) => {
    const code = Number.parseInt(hex, 16);
    if (RESERVED.has(code)) return triplet.toUpperCase();
    return REGEX_META[code] ?? String.fromCharCode(code);
  });
}

/** kong/tools/uri.lua `normalize(uri, merge_slashes = true)`: decode, remove dot segments, merge `//`. */
export function normalizeUriPath(input: string): string {
  if (input === '' || input === '/') return input;
  let uri = input;
  if (uri.includes('%')) {
    uri = uri.replace(PERCENT_TRIPLET, (triplet: string, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return RESERVED.has(code) ? triplet.toUpperCase() : String.fromCharCode(code);
    });
  }
  if (!uri.includes('.') && !uri.includes('//')) return uri;
  const out: string[] = [];
  while (uri.length > 0) {
    if (uri === '/.') uri = '/';
    else if (uri === '/..') {
      uri = '/';
      out.pop();
    } else if (uri === '.' || uri === '..') uri = '';
    else if (uri.startsWith('../')) uri = uri.slice(3);
    else if (uri.startsWith('./')) uri = uri.slice(2);
    else if (uri.startsWith('/./')) uri = uri.slice(2);
    else if (uri.startsWith('/../')) {
      uri = uri.slice(3);
      out.pop();
    } else if (uri.startsWith('//')) uri = uri.slice(1);
    else {
      const i = uri.indexOf('/', 1);
      out.push(i === -1 ? uri : uri.slice(0, i));
      uri = i === -1 ? '' : uri.slice(i);
    }
  }
  return out.join('');
}

/** migrate_path_280_300.lua `migrate_path`: a 2.x route path as Kong 3.x reads it. */
export function migrateRoutePath(path: string): string {
  return isPlainPath(path) ? normalizeUriPath(path) : `~${normalizeRegex(path)}`;
}

function migrateRoutes(routes: unknown): void {
  if (!Array.isArray(routes)) return;
  for (const route of routes) {
    const paths = (route as { paths?: unknown } | null)?.paths;
    if (!Array.isArray(paths)) continue;
    paths.forEach((p, i) => {
      if (typeof p === 'string') paths[i] = migrateRoutePath(p);
    });
  }
}

/**
 * route_path.lua: the routes of a 1.1 / 2.1 document (top level and nested in top-level services) get
 * their paths migrated in place; a 3.0 document is left as it is. Returns whether anything was migrated.
 */
export function migrateToFormat30(data: Record<string, unknown>): boolean {
  const version = data._format_version;
  if (version !== '1.1' && version !== '2.1') return false;
  migrateRoutes(data.routes);
  if (Array.isArray(data.services)) {
    for (const service of data.services) migrateRoutes((service as { routes?: unknown } | null)?.routes);
  }
  return true;
}
