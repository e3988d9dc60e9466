import { HttpError, invalidOffset, invalidOptions, invalidSize } from './errors.ts';
import type { Entity } from './schema/types.ts';

/**
 * Paging as kong/api/endpoints.lua and the Postgres strategy do it: `size` 1..1000 (default 100),
 * rows in primary-key order, an opaque offset (unpadded base64 of the JSON array of the last row's
 * primary key), and tag filters `a,b` (AND) or `a/b` (OR), at most 5 tags.
 */

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

const TAG_CHARS = '[\\x20-\\x2B\\x2D\\x2E\\x30-\\x7E\\u0080-\\u{10FFFF}]+';
const TAGS_AND = new RegExp(`^(${TAG_CHARS}(?:,|$))+$`, 'u');
const TAGS_OR = new RegExp(`^(${TAG_CHARS}(?:/|$))+$`, 'u');

export interface TagFilter {
  tags: string[];
  cond: 'and' | 'or';
}

export function parseSize(raw: string | null): number {
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (raw.trim() === '' || Number.isNaN(n)) throw invalidSize('size must be a number');
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw invalidSize(`size must be an integer between 1 and ${MAX_PAGE_SIZE}`);
  }
  return n;
}

/** extract_options + validate_options_value (kong/api/endpoints.lua, kong/db/dao/init.lua). */
export function parseTags(raw: string | null): TagFilter | undefined {
  if (raw === null) return undefined;
  if (raw === '') throw invalidOptions({ tags: 'cannot be null' });
  let filter: TagFilter;
  if (TAGS_AND.test(raw)) filter = { tags: raw.split(','), cond: 'and' };
  else if (TAGS_OR.test(raw)) filter = { tags: raw.split('/'), cond: 'or' };
  else throw invalidOptions({ tags: 'invalid filter syntax' });
  filter.tags = filter.tags.filter((t) => t !== '');
  if (filter.tags.length > 5) throw invalidOptions({ tags: 'cannot query more than 5 tags' });
  return filter;
}

export function matchesTags(e: Entity, f: TagFilter): boolean {
  const tags = Array.isArray(e.tags) ? (e.tags as string[]) : [];
  return f.cond === 'and' ? f.tags.every((t) => tags.includes(t)) : f.tags.some((t) => tags.includes(t));
}

export function encodeOffset(id: string): string {
  return Buffer.from(JSON.stringify([id]))
    .toString('base64')
    .replace(/=+$/, '');
}

function decodeOffset(token: string): string {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) throw invalidOffset(token, 'bad base64 encoding');
  const text = Buffer.from(token, 'base64').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidOffset(token, 'bad json encoding');
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string')
    throw invalidOffset(token, 'bad json encoding');
  return parsed[0];
}

/** First index in the sorted id list strictly after `id`. */
function after(sorted: readonly string[], id: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Page {
  rows: Entity[];
  offset?: string;
}

/** One page of `sortedIds`, starting after the offset's row; scans only as far as it needs. */
export function pageOf(
  sortedIds: readonly string[],
  get: (id: string) => Entity | undefined,
  size: number,
  offset: string | null,
  tags?: TagFilter,
): Page {
  let i = offset === null ? 0 : after(sortedIds, decodeOffset(offset));
  const rows: Entity[] = [];
  for (; i < sortedIds.length; i++) {
    const e = get(sortedIds[i]!);
    if (!e || (tags && !matchesTags(e, tags))) continue;
    if (rows.length === size) {
      return { rows, offset: encodeOffset(rows[rows.length - 1]!.id) };
    }
    rows.push(e);
  }
  return { rows };
}

export { HttpError };
