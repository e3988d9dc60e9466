import type { FieldErrors } from './schema/types.ts';

/**
 * Kong's error objects and their HTTP statuses: codes and names from kong/db/errors.lua, the status
 * map from kong/api/endpoints.lua (ERRORS_HTTP_CODES). Bodies are `{code, name, message, fields}`.
 */

export const CODES = {
  INVALID_PRIMARY_KEY: 1,
  SCHEMA_VIOLATION: 2,
  PRIMARY_KEY_VIOLATION: 3,
  FOREIGN_KEY_VIOLATION: 4,
  UNIQUE_VIOLATION: 5,
  NOT_FOUND: 6,
  INVALID_OFFSET: 7,
  DATABASE_ERROR: 8,
  INVALID_SIZE: 9,
  INVALID_OPTIONS: 11,
  OPERATION_UNSUPPORTED: 12,
  FOREIGN_KEYS_UNRESOLVED: 13,
  DECLARATIVE_CONFIG: 14,
  REFERENCED_BY_OTHERS: 19,
} as const;

const NAMES: Record<number, string> = {
  1: 'invalid primary key',
  2: 'schema violation',
  3: 'primary key violation',
  4: 'foreign key violation',
  5: 'unique constraint violation',
  6: 'not found',
  7: 'invalid offset',
  8: 'database error',
  9: 'invalid size',
  11: 'invalid options',
  12: 'operation unsupported',
  13: 'foreign keys unresolved',
  14: 'invalid declarative configuration',
  19: 'referenced by others',
};

const HTTP: Record<number, number> = {
  1: 400,
  2: 400,
  3: 400,
  4: 400,
  5: 409,
  6: 404,
  7: 400,
  8: 500,
  9: 400,
  11: 400,
  12: 405,
  13: 400,
  14: 400,
  19: 400,
};

/** Any non-2xx reply: an HTTP status and a JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

export function kongError(code: number, message: string, fields?: Record<string, unknown>): HttpError {
  const body: Record<string, unknown> = { code, name: NAMES[code], message };
  if (fields) body[code === CODES.INVALID_OPTIONS ? 'options' : 'fields'] = fields;
  return new HttpError(HTTP[code] ?? 500, body);
}

export const notFound = () => new HttpError(404, { message: 'Not found' });
export const methodNotAllowed = () => new HttpError(405, { message: 'Method not allowed' });

/** Penlight's pretty.write(t, ''): `{id="x"}`, keys sorted, nested tables inline, ngx.null as `null`. */
export function luaPretty(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `{${v.map(luaPretty).join(',')}}`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${k}=${luaPretty(obj[k])}`).join(',')}}`;
}

/** errors:schema_violation — message lists `@entity` errors first, then fields in sorted order. */
export function schemaViolation(errors: FieldErrors): HttpError {
  const parts: string[] = [];
  const entity = errors['@entity'];
  if (Array.isArray(entity)) parts.push(...entity.map(String));
  for (const field of Object.keys(errors).sort()) {
    if (field === '@entity') continue;
    const value = errors[field];
    if (value !== null && typeof value === 'object') {
      const sub = value as Record<string, unknown>;
      for (const key of Object.keys(sub).sort()) {
        const inner = sub[key];
        if (inner === null || inner === undefined) continue;
        const idx = Array.isArray(sub) ? String(Number(key) + 1) : key;
        parts.push(`${field}.${idx}: ${typeof inner === 'object' ? luaPretty(inner) : String(inner)}`);
      }
    } else {
      parts.push(`${field}: ${String(value)}`);
    }
  }
  const message =
    parts.length === 1
      ? `schema violation (${parts[0]})`
      : `${parts.length} schema violations (${parts.join('; ')})`;
  return kongError(CODES.SCHEMA_VIOLATION, message, errors);
}

export function uniqueViolation(key: Record<string, unknown>): HttpError {
  return kongError(CODES.UNIQUE_VIOLATION, `UNIQUE violation detected on '${luaPretty(key)}'`, key);
}

export function primaryKeyViolation(id: string): HttpError {
  return kongError(CODES.PRIMARY_KEY_VIOLATION, `primary key violation on key '${luaPretty({ id })}'`, {
    id,
  });
}

export function foreignKeyMissing(field: string, fk: Record<string, unknown>, parent: string): HttpError {
  return kongError(
    CODES.FOREIGN_KEY_VIOLATION,
    `the foreign key '${luaPretty(fk)}' does not reference an existing '${parent}' entity.`,
    { [field]: fk },
  );
}

export function foreignKeyRestricted(parent: string, child: string): HttpError {
  return kongError(
    CODES.FOREIGN_KEY_VIOLATION,
    `an existing '${child}' entity references this '${parent}' entity`,
    {
      '@referenced_by': child,
    },
  );
}

export function operationUnsupported(message: string): HttpError {
  return kongError(CODES.OPERATION_UNSUPPORTED, message);
}

export function invalidOffset(offset: string, why: string): HttpError {
  return kongError(CODES.INVALID_OFFSET, `'${offset}' is not a valid offset: ${why}`);
}

export function invalidSize(message: string): HttpError {
  return kongError(CODES.INVALID_SIZE, message);
}

export function invalidOptions(options: Record<string, string>): HttpError {
  const parts = Object.keys(options)
    .sort()
    .map((k) => `${k}: ${options[k]}`);
  const message =
    parts.length === 1
      ? `invalid option (${parts[0]})`
      : `${parts.length} option violations (${parts.join('; ')})`;
  return kongError(CODES.INVALID_OPTIONS, message, options);
}

export function notFoundByPk(id: string): HttpError {
  return kongError(CODES.NOT_FOUND, `could not find the entity with primary key '${luaPretty({ id })}'`, {
    id,
  });
}
