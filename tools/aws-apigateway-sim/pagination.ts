/**
 * Collection pages as API Gateway serves them: `limit` (default 25, at most 500; anything else is a
 * BadRequestException), `position` an opaque token from the previous page, and `{ item: [...], position }`
 * with `position` absent on the last page. The SDK's paginators (`paginateGetRestApis`, …) follow
 * `position` until it is absent.
 */
import { badRequest } from './errors.ts';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 500;

export function page<T>(items: readonly T[], query: URLSearchParams): { item: T[]; position?: string } {
  const rawLimit = query.get('limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== null) {
    limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw badRequest(`Invalid limit value specified. The value must be between 1 and ${MAX_LIMIT}.`);
    }
  }
  const rawPosition = query.get('position');
  let start = 0;
  if (rawPosition !== null) {
    const decoded = decodePosition(rawPosition);
    if (decoded === null || decoded > items.length) throw badRequest('Invalid position parameter');
    start = decoded;
  }
  const item = items.slice(start, start + limit);
  const next = start + item.length;
  return next < items.length ? { item, position: encodePosition(next) } : { item };
}

function encodePosition(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64url');
}

function decodePosition(token: string): number | null {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
    return typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0 ? v.o : null;
  } catch {
    return null;
  }
}
