import { getConfig, postConfig } from './declarative.ts';
import { HttpError, notFound } from './errors.ts';
import { getConsumerGroup, groupConsumer, groupConsumers } from './http-consumer-groups.ts';
import {
  certificateBody,
  entityEndpoint,
  findNested,
  getCollection,
  nestedCollection,
  nestedEntity,
  postCollection,
  resolveCertificateKey,
} from './http-entities.ts';
import { type NodeInfo, rootInfo, statusInfo } from './http-info.ts';
import { pluginsExtraRoute, schemasRoute } from './http-schemas.ts';
import { allTargets, targetEntity, targetsCollection } from './http-targets.ts';
import { ok, type SimContext, type SimReply, type SimRequest } from './http-types.ts';

/** Maps a request to the endpoint Kong would serve it from; unknown paths are 404 `Not found`. */

export function isWriteMethod(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
}

export function route(ctx: SimContext, req: SimRequest, node: NodeInfo, requests: number): SimReply {
  const [head, key, sub, subKey] = req.segments;
  const n = req.segments.length;
  if (n === 0 || (n === 1 && head === 'kong')) return onlyGet(req, () => rootInfo(ctx, node));
  if (n === 1 && head === 'status') return onlyGet(req, () => statusInfo(ctx, requests));
  if (n === 1 && head === 'config')
    return req.method === 'POST' ? postConfig(ctx, req) : onlyGet(req, () => getConfig(ctx));
  if (head === 'schemas' && n >= 2) return schemasRoute(ctx, req);
  if (head === 'plugins' && n >= 2) {
    const reply = pluginsExtraRoute(ctx, req);
    if (reply) return reply;
  }
  const schema = ctx.registry.byAdminPath.get(head!);
  if (!schema || schema.nestedOnly || n > 4) throw notFound();

  if (schema.name === 'upstreams' && sub === 'targets') {
    if (n === 3) return targetsCollection(ctx, req);
    if (subKey === 'all' && req.method === 'GET') return allTargets(ctx, req);
    return targetEntity(ctx, req);
  }
  if (schema.name === 'consumer_groups') {
    if (n === 2 && req.method === 'GET') return getConsumerGroup(ctx, req);
    if (sub === 'consumers' && n === 3) return groupConsumers(ctx, req);
    if (sub === 'consumers' && n === 4) return groupConsumer(ctx, req);
  }

  if (n === 1) {
    if (req.method === 'GET') return getCollection(ctx, req, schema);
    if (req.method === 'POST') return postCollection(ctx, req, schema);
    throw new HttpError(405, { message: 'Method not allowed' });
  }

  let parentKey = key!;
  if (schema.name === 'certificates') {
    const resolved = resolveCertificateKey(ctx, req, parentKey);
    parentKey = resolved.id;
    if (n === 2) req = { ...req, body: certificateBody(req, resolved.sni) };
  }
  if (n === 2) return entityEndpoint(ctx, req, schema, parentKey);

  const link = findNested(ctx, schema, sub!);
  if (!link) throw notFound();
  if (n === 3) return nestedCollection(ctx, req, schema, parentKey, link.schema, link.field);
  return nestedEntity(ctx, req, schema, parentKey, link.schema, link.field, subKey!);
}

function onlyGet(req: SimRequest, f: () => SimReply): SimReply {
  if (req.method !== 'GET') throw new HttpError(405, { message: 'Method not allowed' });
  return f();
}

export { ok };
