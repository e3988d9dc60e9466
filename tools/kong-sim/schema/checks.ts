import type { FieldErrors } from './types.ts';

/** Entity-check helpers with Kong's wording (kong/db/schema/init.lua `validation_errors`). */

type Row = Record<string, unknown>;

export function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0);
}

const quoted = (fields: readonly string[]) => fields.map((f) => `'${f}'`).join(', ');

export function atLeastOneOf(e: Row, fields: readonly string[]): string | undefined {
  return fields.some((f) => !isEmpty(e[f]))
    ? undefined
    : `at least one of these fields must be non-empty: ${quoted(fields)}`;
}

export function mutuallyExclusive(e: Row, fields: readonly string[]): string | undefined {
  return fields.filter((f) => !isEmpty(e[f])).length > 1
    ? `only one or none of these fields must be set: ${quoted(fields)}`
    : undefined;
}

export function mutuallyRequired(e: Row, fields: readonly string[]): string | undefined {
  const set = fields.filter((f) => !isEmpty(e[f])).length;
  return set === 0 || set === fields.length
    ? undefined
    : `all or none of these fields must be set: ${quoted(fields)}`;
}

export function onlyOneOf(e: Row, fields: readonly string[]): string | undefined {
  return fields.filter((f) => !isEmpty(e[f])).length === 1
    ? undefined
    : `exactly one of these fields must be non-empty: ${quoted(fields)}`;
}

/** Collects `@entity` messages; returns undefined when all checks passed. */
export function entityErrors(...messages: (string | undefined)[]): FieldErrors | undefined {
  const list = messages.filter((m): m is string => m !== undefined);
  return list.length ? { '@entity': list } : undefined;
}

export function mergeErrors(...parts: (FieldErrors | undefined)[]): FieldErrors | undefined {
  const out: FieldErrors = {};
  for (const part of parts) {
    if (!part) continue;
    for (const [k, v] of Object.entries(part)) {
      if (k === '@entity') {
        const prev = (out['@entity'] as string[] | undefined) ?? [];
        out['@entity'] = [...prev, ...(v as string[])];
      } else if (!(k in out)) {
        out[k] = v;
      }
    }
  }
  return Object.keys(out).length ? out : undefined;
}
