import { HttpError, notFound } from './errors.ts';
import { created, noContent, ok, type SimContext, type SimReply, type SimRequest } from './http-types.ts';
import type { Entity } from './schema/types.ts';

/**
 * Kong Enterprise consumer groups (paths and shapes from go-kong kong/consumer_group*_service.go):
 * `GET /consumer_groups/{g}` → `{consumer_group, consumers, plugins}` (all members, unpaginated;
 * `?list_consumers=false` omits them), `GET /consumer_groups/{g}/consumers` → `{data, next}`,
 * `POST /consumer_groups/{g}/consumers {"consumer": name|id}` → 201, `DELETE .../consumers/{c}` → 204.
 */

function group(ctx: SimContext, key: string): Entity {
  const g = ctx.dao.select('consumer_groups', key);
  if (!g) throw notFound();
  return g;
}

function membersOf(ctx: SimContext, groupId: string): Entity[] {
  const consumers = ctx.dao.store.table('consumers');
  return [...(ctx.dao.store.members.get(groupId) ?? [])]
    .sort()
    .map((id) => consumers.rows.get(id))
    .filter((c): c is Entity => c !== undefined);
}

function pluginsOf(ctx: SimContext, groupId: string): Entity[] {
  const plugins = ctx.dao.store.table('plugins');
  return [...plugins.children('consumer_group', groupId)].sort().map((id) => plugins.rows.get(id)!);
}

/** GET /consumer_groups/{g}: the group with its members and group-scoped plugins. */
export function getConsumerGroup(ctx: SimContext, req: SimRequest): SimReply {
  const g = group(ctx, req.segments[1]!);
  const body: Record<string, unknown> = { consumer_group: g, plugins: pluginsOf(ctx, g.id) };
  if (req.query.get('list_consumers') !== 'false') body.consumers = membersOf(ctx, g.id);
  return ok(body);
}

export function groupConsumers(ctx: SimContext, req: SimRequest): SimReply {
  const g = group(ctx, req.segments[1]!);
  if (req.method === 'GET') return ok({ data: membersOf(ctx, g.id), next: null });
  if (req.method !== 'POST') throw new HttpError(405, { message: 'Method not allowed' });
  const requested = req.body.consumer;
  const keys = Array.isArray(requested) ? requested : [requested];
  if (keys.length === 0 || keys.some((k) => typeof k !== 'string' || k === '')) {
    throw new HttpError(400, { message: 'must provide consumer' });
  }
  const added: Entity[] = [];
  for (const key of keys as string[]) {
    const c = ctx.dao.select('consumers', key);
    if (!c) throw new HttpError(404, { message: `Consumer '${key}' not found` });
    if (ctx.dao.store.members.get(g.id)?.has(c.id)) {
      throw new HttpError(409, { message: `Consumer '${key}' already in group '${String(g.id)}'` });
    }
    added.push(c);
  }
  if (ctx.dbless)
    throw new HttpError(405, {
      message: 'cannot create or update consumer groups when not using a database',
    });
  for (const c of added) ctx.dao.store.addMember(g.id, c.id);
  return created({ consumer_group: g, consumers: added });
}

export function groupConsumer(ctx: SimContext, req: SimRequest): SimReply {
  const g = group(ctx, req.segments[1]!);
  const c = ctx.dao.select('consumers', req.segments[3]!);
  if (!c) throw notFound();
  const isMember = ctx.dao.store.members.get(g.id)?.has(c.id) ?? false;
  if (req.method === 'GET') {
    if (!isMember) throw notFound();
    return ok({ consumer: c, consumer_group: g });
  }
  if (req.method !== 'DELETE') throw new HttpError(405, { message: 'Method not allowed' });
  if (ctx.dbless)
    throw new HttpError(405, { message: 'cannot remove consumer groups when not using a database' });
  ctx.dao.store.removeMember(g.id, c.id);
  return noContent();
}
