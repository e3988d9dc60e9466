/**
 * redact(value, kind?): a deep copy with secrets masked, for anything bound for Slack or logs. Masked:
 * - the catalogue's `secretFields` of the entity's kind (credential keys and secrets, certificate `key`
 *   and `key_alt`, key `pem.private_key`, vault config tokens, plugin config secrets);
 * - in any object, keys that look secret (password, secret, client_secret, token, private_key, api_key,
 *   secret_id…), `key` inside a credential, and a `jwk` holding a private `d` member.
 * Works on entities (pass `kind`), snapshots, Changes and plan steps (their `kind` gives the context for
 * `before`/`after`/`body` and for `fields[].path`) and arbitrary nested objects. Booleans and numbers are
 * never secret (`hide_credentials: true` stays readable); null stays null.
 */
import { CATALOGUE, type EntityKind, isEntityKind } from './catalogue/index.ts';

export const REDACTED = '[redacted]';

const SECRET_KEY =
  /(^|[_-])(password|passwd|secret|secret[_-]?v\d+|client[_-]?secret|token|private[_-]?key|api[_-]?key|apikey|secret[_-]?id)$/i;

const ENTITY_HOLDERS = new Set(['before', 'after', 'body', 'entity']);

function hasPrivateJwk(v: unknown): boolean {
  if (typeof v === 'string') return /"d"\s*:/.test(v);
  return v !== null && typeof v === 'object' && 'd' in (v as object);
}

/** Whether the member at `path` (dotted, within an entity of `kind`) holds a secret. */
export function isSecretPath(kind: EntityKind | undefined, path: string, value?: unknown): boolean {
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (kind !== undefined) {
    const def = CATALOGUE[kind];
    if (def.secretFields.includes(path) && key !== 'jwk') return true;
    if (def.section === 'credentials' && key === 'key') return true;
  }
  if (key === 'jwk') return hasPrivateJwk(value);
  return SECRET_KEY.test(key);
}

function maskable(v: unknown): boolean {
  return typeof v === 'string' || (v !== null && typeof v === 'object');
}

function redactMember(kind: EntityKind | undefined, path: string, v: unknown): unknown {
  if (maskable(v) && isSecretPath(kind, path, v)) return REDACTED;
  return walk(v, kind, path);
}

function walk(value: unknown, kind: EntityKind | undefined, path: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => walk(item, kind, path));
  const obj = value as Record<string, unknown>;
  // a Change or PlanStep (or anything naming its entity kind): its entity members are of that kind
  const ownKind = typeof obj.kind === 'string' && isEntityKind(obj.kind) ? obj.kind : undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (ownKind !== undefined && ENTITY_HOLDERS.has(key)) out[key] = walk(v, ownKind, '');
    else if (ownKind !== undefined && key === 'fields' && Array.isArray(v))
      out[key] = v.map((f) => redactField(ownKind, f));
    else if (key === 'entities' && path === '' && kind === undefined && v && typeof v === 'object')
      out[key] = redactEntityMaps(v);
    else out[key] = redactMember(kind, path === '' ? key : `${path}.${key}`, v);
  }
  return out;
}

/** `{ path, before, after }` of a Change: masked whole when the path is secret. */
function redactField(kind: EntityKind, field: unknown): unknown {
  if (!field || typeof field !== 'object' || typeof (field as { path?: unknown }).path !== 'string') {
    return walk(field, kind, '');
  }
  const f = field as { path: string; before?: unknown; after?: unknown };
  return { ...f, before: redactMember(kind, f.path, f.before), after: redactMember(kind, f.path, f.after) };
}

/** A snapshot's `entities`: `{ [kind]: { [id]: entity } }`. */
function redactEntityMaps(maps: object): unknown {
  const out: Record<string, unknown> = {};
  for (const [kind, map] of Object.entries(maps)) {
    if (!isEntityKind(kind) || !map || typeof map !== 'object') {
      out[kind] = walk(map, undefined, kind);
      continue;
    }
    const entities: Record<string, unknown> = {};
    for (const [id, e] of Object.entries(map as object)) entities[id] = walk(e, kind, '');
    out[kind] = entities;
  }
  return out;
}

/** Deep copy of `value` with secrets masked; `kind` says `value` is an entity (or list of them) of that kind. */
export function redact<T>(value: T, kind?: EntityKind): T {
  return walk(value, kind, '') as T;
}
