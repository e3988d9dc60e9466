/**
 * `patchOperations` as API Gateway applies them (API reference, PatchOperation and "Patch Operations"):
 * each `{op, path, value}` targets a JSON-Pointer path into the entity; `/` inside a segment is written
 * `~1` (and `~` as `~0`), so a media type is `/binaryMediaTypes/image~1png` and a header mapping
 * `/requestParameters/method.request.header.X-Id`. Values are always strings and take the type of the
 * member they set (`"true"` for a boolean). Every entity allows its own paths only; anything else is a
 * BadRequestException naming the path and op. `move`, `copy` and `test` are taken by few resources
 * (a stage's canary promotion): here they are refused like any unsupported op.
 */
import { badRequest } from './errors.ts';

export interface PatchOperation {
  op?: string;
  path?: string;
  value?: string;
  from?: string;
}

/** How a top-level member takes patches. */
export type FieldType =
  | 'string'
  | 'boolean'
  | 'number'
  /** string → string map: `/field/<key>` add/replace/remove */
  | 'map'
  /** string → boolean map (a method's requestParameters) */
  | 'boolMap'
  /** a set of strings: `/field/<item>` add/remove */
  | 'set'
  /** a nested object: `/field/<member>[/<member>…]` replace/add/remove of its scalars */
  | 'object';

export type PatchSchema = Readonly<Record<string, FieldType>>;

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function typed(raw: string | undefined, type: 'string' | 'boolean' | 'number', path: string): unknown {
  if (raw === undefined || raw === null) return null;
  if (type === 'boolean') {
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    throw badRequest(`Invalid boolean value '${raw}' specified for ${path}`);
  }
  if (type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n))
      throw badRequest(`Invalid number value '${raw}' specified for ${path}`);
    return n;
  }
  return raw;
}

function scalar(raw: string | undefined): unknown {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (raw !== undefined && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw ?? null;
}

function invalidPath(op: string, path: string, schema: PatchSchema): never {
  const allowed = Object.keys(schema).map((f) => `/${f}`);
  throw badRequest(
    `Invalid patch path '${path}' specified for op '${op}'. Must be one of: [${allowed.join(', ')}]`,
  );
}

/**
 * Applies `ops` to a copy of `entity` under `schema`; `special` may take an op first (a usage plan's
 * `/apiStages`, a stage's method settings) and return true when it did. All ops are checked before any is
 * applied, so a bad op changes nothing.
 */
export function applyPatch<T extends Record<string, unknown>>(
  entity: T,
  ops: unknown,
  schema: PatchSchema,
  special?: (
    target: Record<string, unknown>,
    op: string,
    segments: string[],
    value: string | undefined,
  ) => boolean,
): T {
  if (ops !== undefined && !Array.isArray(ops)) throw badRequest('patchOperations must be a list');
  const out = structuredClone(entity) as Record<string, unknown>;
  for (const raw of (ops ?? []) as PatchOperation[]) {
    const op = raw?.op ?? '';
    const path = raw?.path ?? '';
    if (!['add', 'remove', 'replace'].includes(op)) {
      throw badRequest(`Invalid patch operation specified. Must be one of: [add, remove, replace]`);
    }
    if (!path.startsWith('/')) throw badRequest(`Invalid patch path '${path}' specified for op '${op}'`);
    const segments = path.slice(1).split('/').map(unescapeSegment);
    if (special?.(out, op, segments, raw.value)) continue;
    const [field = '', ...rest] = segments;
    const type = schema[field];
    if (!type) invalidPath(op, path, schema);
    switch (type) {
      case 'string':
      case 'boolean':
      case 'number':
        if (rest.length > 0 || op === 'add') invalidPath(op, path, schema);
        if (op === 'remove') delete out[field];
        else out[field] = typed(raw.value, type, path);
        break;
      case 'map':
      case 'boolMap': {
        if (rest.length !== 1) invalidPath(op, path, schema);
        const key = rest[0] as string;
        const map = { ...((out[field] as Record<string, unknown> | undefined) ?? {}) };
        if (op === 'remove') {
          if (!(key in map)) throw badRequest(`Invalid mapping expression specified: ${key} does not exist`);
          delete map[key];
        } else {
          map[key] = type === 'boolMap' ? typed(raw.value ?? 'false', 'boolean', path) : (raw.value ?? '');
        }
        out[field] = map;
        break;
      }
      case 'set': {
        const list = [...((out[field] as string[] | undefined) ?? [])];
        const item = rest.length === 1 ? (rest[0] as string) : raw.value;
        if (item === undefined || rest.length > 1) invalidPath(op, path, schema);
        if (op === 'remove') out[field] = list.filter((x) => x !== item);
        else if (op === 'replace' && rest.length === 0)
          out[field] = (raw.value ?? '').split(',').filter(Boolean);
        else if (!list.includes(item)) out[field] = [...list, item];
        break;
      }
      case 'object': {
        if (rest.length === 0) {
          if (op !== 'remove') invalidPath(op, path, schema);
          delete out[field];
          break;
        }
        const root = structuredClone((out[field] as Record<string, unknown> | undefined) ?? {});
        let cursor: Record<string, unknown> = root;
        for (const seg of rest.slice(0, -1)) {
          const next = cursor[seg];
          if (Array.isArray(next)) cursor = next as unknown as Record<string, unknown>;
          else if (next && typeof next === 'object') cursor = next as Record<string, unknown>;
          else cursor = cursor[seg] = {};
        }
        const last = rest.at(-1) as string;
        if (op === 'remove') delete cursor[last];
        else cursor[last] = scalar(raw.value);
        out[field] = root;
        break;
      }
    }
  }
  return out as T;
}
