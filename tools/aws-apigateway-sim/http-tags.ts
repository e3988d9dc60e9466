/**
 * Tags (TagResource, UntagResource, GetTags; API reference "TagResource", "UntagResource", "GetTags" and
 * the developer guide's "Tagging your API Gateway resources"): `PUT /tags/{resource_arn}` adds or updates the
 * given tags (204), `DELETE /tags/{resource_arn}?tagKeys=…` removes the named keys (204), `GET
 * /tags/{resource_arn}` answers `{ tags }`. The resource is named by its ARN,
 * `arn:aws:apigateway:{region}::{path}` with the path of the resource's own URI: `/restapis/{id}`,
 * `/restapis/{id}/stages/{name}`, `/usageplans/{id}`, `/apikeys/{id}`, `/domainnames/{name}`, `/vpclinks/{id}`,
 * `/clientcertificates/{id}`. A tag key is 1-128 characters and must not start with `aws:`, a value up to 256;
 * a resource holds at most 50 tags. The tags are the entity's own `tags` member, so Get… returns them.
 */
import { badRequest, notFound } from './errors.ts';
import { type Call, noContent, ok, type Router } from './router.ts';
import type { Json } from './store.ts';

const ARN = /^arn:aws:apigateway:[a-z0-9-]+::(\/.*)$/;
const MAX_TAGS = 50;

/** The entity an ARN names (its members, holding `tags`), or a NotFoundException. */
function taggable(call: Call): Json {
  const arn = call.params.resourceArn as string;
  const m = ARN.exec(arn);
  if (!m) throw badRequest(`Invalid ARN specified in the request: ${arn}`);
  const parts = (m[1] as string).split('/').slice(1);
  const { store } = call;
  const missing = () => notFound(`Invalid resource identifier specified: ${arn}`);
  const [collection, id, sub, name] = parts;
  if (id === undefined) throw missing();
  if (collection === 'restapis') {
    const api = store.restApis.get(id);
    if (!api) throw missing();
    if (parts.length === 2) return api.fields;
    if (sub === 'stages' && name !== undefined && parts.length === 4) {
      const stage = api.stages.get(name);
      if (!stage) throw missing();
      return stage;
    }
    throw missing();
  }
  if (parts.length !== 2) throw missing();
  const found =
    collection === 'usageplans'
      ? store.usagePlans.get(id)?.fields
      : collection === 'apikeys'
        ? store.apiKeys.get(id)
        : collection === 'domainnames'
          ? store.domainNames.get(id)?.fields
          : collection === 'vpclinks'
            ? store.vpcLinks.get(id)
            : collection === 'clientcertificates'
              ? store.clientCertificates.get(id)
              : undefined;
  if (!found) throw missing();
  return found;
}

function checkTags(tags: unknown): Record<string, string> {
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags))
    throw badRequest('tags must be a map of tag keys to values');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags as Json)) {
    if (k.length < 1 || k.length > 128) throw badRequest(`Tag key must be 1 to 128 characters: ${k}`);
    if (k.toLowerCase().startsWith('aws:')) throw badRequest(`Tag key must not start with aws: ${k}`);
    if (typeof v !== 'string' || v.length > 256)
      throw badRequest(`Tag value of ${k} must be a string of up to 256 characters`);
    out[k] = v;
  }
  return out;
}

export function registerTags(router: Router): void {
  router
    .add('PUT', '/tags/{resourceArn}', (call) => {
      const entity = taggable(call);
      const next = { ...((entity.tags ?? {}) as Record<string, string>), ...checkTags(call.body.tags) };
      if (Object.keys(next).length > MAX_TAGS)
        throw badRequest(`A resource can have at most ${MAX_TAGS} tags`);
      entity.tags = next;
      return noContent();
    })
    .add('DELETE', '/tags/{resourceArn}', (call) => {
      const entity = taggable(call);
      const keys = call.query.getAll('tagKeys');
      if (keys.length === 0) throw badRequest('tagKeys must name at least one tag key');
      const next = { ...((entity.tags ?? {}) as Record<string, string>) };
      for (const k of keys) delete next[k];
      // an entity without tags is returned without the member (as created without them)
      if (Object.keys(next).length === 0) delete entity.tags;
      else entity.tags = next;
      return noContent();
    })
    .add('GET', '/tags/{resourceArn}', (call) => ok({ tags: taggable(call).tags ?? {} }));
}
