import { HttpError, invalidOffset } from './errors.ts';
import { nestedCollection } from './http-entities.ts';
import { noContent, ok, type SimContext, type SimReply, type SimRequest } from './http-types.ts';
import { pageOf, parseSize } from './pagination.ts';
import type { Entity } from './schema/types.ts';
import { isUuid } from './validate.ts';

/**
 * Targets live only under their upstream (kong/api/routes/upstreams.lua, kong/db/dao/targets.lua):
 * the list is newest-first with a numeric offset, a target is addressed by id or by its exact
 * `host:port` string, and PUT/PATCH only update (404 when missing; clients fall back to POST).
 */

const notFound = () => new HttpError(404, { message: 'Not found' });

function upstreamOf(ctx: SimContext, key: string): Entity {
  const u = ctx.dao.select('upstreams', key);
  if (!u) throw notFound();
  return u;
}

/** select_by_upstream_raw: created_at ascending, then id. */
function targetsOf(ctx: SimContext, upstreamId: string): Entity[] {
  const table = ctx.dao.store.table('targets');
  return [...table.children('upstream', upstreamId)]
    .map((id) => table.rows.get(id)!)
    .sort((a, b) => Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function targetsCollection(ctx: SimContext, req: SimRequest): SimReply {
  const upstreamKey = req.segments[1]!;
  if (req.method === 'POST') {
    const upstreams = ctx.dao.schema('upstreams');
    return nestedCollection(ctx, req, upstreams, upstreamKey, ctx.dao.schema('targets'), 'upstream');
  }
  if (req.method !== 'GET') throw new HttpError(405, { message: 'Method not allowed' });
  const u = upstreamOf(ctx, upstreamKey);
  const size = parseSize(req.query.get('size'));
  const offsetRaw = req.query.get('offset');
  const start = offsetRaw === null ? 0 : Number(offsetRaw);
  if (!Number.isInteger(start) || start < 0) throw invalidOffset(offsetRaw ?? '', 'bad offset');
  const newestFirst = targetsOf(ctx, u.id).reverse();
  const data = newestFirst.slice(start, start + size);
  const more = newestFirst.length > start + size;
  const offset = more ? String(start + size) : undefined;
  const body: Record<string, unknown> = { data };
  if (offset) body.offset = offset;
  body.next = offset ? `/upstreams/${req.rawSegments[1]}/targets?offset=${offset}` : null;
  return ok(body);
}

/** `/upstreams/{u}/targets/all`: every target in primary-key order (page_for_upstream_raw). */
export function allTargets(ctx: SimContext, req: SimRequest): SimReply {
  const u = upstreamOf(ctx, req.segments[1]!);
  const table = ctx.dao.store.table('targets');
  const ids = [...table.children('upstream', u.id)].sort();
  const page = pageOf(
    ids,
    (id) => table.rows.get(id),
    parseSize(req.query.get('size')),
    req.query.get('offset'),
  );
  const body: Record<string, unknown> = { data: page.rows };
  if (page.offset) body.offset = page.offset;
  body.next = page.offset
    ? `/upstreams/${req.rawSegments[1]}/targets/all?offset=${encodeURIComponent(page.offset)}`
    : null;
  return ok(body);
}

export function targetEntity(ctx: SimContext, req: SimRequest): SimReply {
  const u = upstreamOf(ctx, req.segments[1]!);
  const key = req.segments[3]!;
  let target: Entity | undefined;
  if (isUuid(key)) target = ctx.dao.store.get('targets', key);
  else target = targetsOf(ctx, u.id).findLast((t) => t.target === key);
  if (!target || (target.upstream as { id: string }).id !== u.id) throw notFound();
  switch (req.method) {
    case 'GET':
      return ok(target);
    case 'PUT':
    case 'PATCH':
      return ok(ctx.dao.update('targets', target.id, req.body));
    case 'DELETE':
      ctx.dao.delete('targets', target.id);
      return noContent();
    default:
      throw new HttpError(405, { message: 'Method not allowed' });
  }
}
