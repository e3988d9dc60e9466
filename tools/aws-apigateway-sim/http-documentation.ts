/**
 * An API's documentation (CreateDocumentationPart … DeleteDocumentationVersion, API reference
 * "DocumentationPart", "DocumentationPartLocation", "DocumentationVersion"): parts keyed by an id the
 * service assigns, each at one location unique in its API; versions keyed by their version string, each a
 * copy of the parts there were when it was made (what GetExport of that version would serve).
 * Location rules (DocumentationPartLocation): `type` is required and one of the twelve entity types;
 * `path` is valid for RESOURCE, METHOD and below, `method` for METHOD and below, `statusCode` for
 * RESPONSE, RESPONSE_HEADER and RESPONSE_BODY; `name` is required for AUTHORIZER, MODEL, PATH_PARAMETER,
 * QUERY_PARAMETER, REQUEST_HEADER, REQUEST_BODY and RESPONSE_HEADER and invalid for the others.
 */
import { badRequest, conflict, notFound } from './errors.ts';
import { apiOf } from './http-restapis.ts';
import { page } from './pagination.ts';
import { applyPatch } from './patch.ts';
import { accepted, type Call, created, ok, type Router } from './router.ts';
import { DOCUMENTATION_PART, DOCUMENTATION_VERSION } from './schemas.ts';
import type { Json } from './store.ts';

const TYPES = [
  'API',
  'AUTHORIZER',
  'MODEL',
  'RESOURCE',
  'METHOD',
  'PATH_PARAMETER',
  'QUERY_PARAMETER',
  'REQUEST_HEADER',
  'REQUEST_BODY',
  'RESPONSE',
  'RESPONSE_HEADER',
  'RESPONSE_BODY',
] as const;
const BELOW_METHOD = TYPES.slice(4);
const VALID: Record<string, readonly string[]> = {
  path: ['RESOURCE', ...BELOW_METHOD],
  method: BELOW_METHOD,
  statusCode: ['RESPONSE', 'RESPONSE_HEADER', 'RESPONSE_BODY'],
  name: [
    'AUTHORIZER',
    'MODEL',
    'PATH_PARAMETER',
    'QUERY_PARAMETER',
    'REQUEST_HEADER',
    'REQUEST_BODY',
    'RESPONSE_HEADER',
  ],
};

function checkLocation(raw: unknown): Json {
  if (!raw || typeof raw !== 'object') throw badRequest('Documentation part location must be specified');
  const l = raw as Json;
  const type = l.type as string;
  if (!(TYPES as readonly string[]).includes(type)) {
    throw badRequest(
      `Invalid documentation part type: ${String(type)}. Must be one of: [${TYPES.join(', ')}]`,
    );
  }
  const out: Json = { type };
  for (const [member, types] of Object.entries(VALID)) {
    const v = l[member];
    if (v === undefined || v === null) continue;
    if (!types.includes(type)) throw badRequest(`Invalid location: ${member} is not valid for type ${type}`);
    out[member] = v;
  }
  if (VALID.name?.includes(type) && typeof out.name !== 'string') {
    throw badRequest(`Invalid location: name is required for type ${type}`);
  }
  return out;
}

const sameLocation = (a: Json, b: Json) =>
  ['type', 'path', 'method', 'statusCode', 'name'].every((m) => (a[m] ?? null) === (b[m] ?? null));

function checkProperties(v: unknown): string {
  if (typeof v !== 'string') throw badRequest('Documentation part properties must be specified');
  try {
    JSON.parse(v);
  } catch {
    throw badRequest('Invalid documentation part properties: must be a JSON string');
  }
  return v;
}

function partOf(call: Call, api = apiOf(call)): Json {
  const p = api.documentationParts.get(call.params.partId as string);
  if (!p) throw notFound('Invalid Documentation part identifier specified');
  return p;
}

function versionOf(call: Call, api = apiOf(call)) {
  const v = api.documentationVersions.get(call.params.version as string);
  if (!v) throw notFound('Invalid Documentation version identifier specified');
  return v;
}

export function registerDocumentation(router: Router): void {
  router
    .add('POST', '/restapis/{restApiId}/documentation/parts', (call) => {
      const api = apiOf(call);
      const location = checkLocation(call.body.location);
      const properties = checkProperties(call.body.properties);
      for (const p of api.documentationParts.values())
        if (sameLocation(p.location as Json, location))
          throw conflict('Documentation part already exists for the specified location');
      const part = { id: call.store.ids.id(), location, properties };
      api.documentationParts.set(part.id, part);
      return created(part);
    })
    .add('GET', '/restapis/{restApiId}/documentation/parts', (call) => {
      const type = call.query.get('type');
      const path = call.query.get('path');
      const parts = [...apiOf(call).documentationParts.values()].filter((p) => {
        const l = p.location as Json;
        return (!type || l.type === type) && (!path || l.path === path);
      });
      return ok(page(parts, call.query));
    })
    .add('GET', '/restapis/{restApiId}/documentation/parts/{partId}', (call) => ok(partOf(call)))
    .add('PATCH', '/restapis/{restApiId}/documentation/parts/{partId}', (call) => {
      const next = applyPatch(partOf(call), call.body.patchOperations, DOCUMENTATION_PART);
      checkProperties(next.properties);
      apiOf(call).documentationParts.set(next.id as string, next);
      return ok(next);
    })
    .add('DELETE', '/restapis/{restApiId}/documentation/parts/{partId}', (call) => {
      const api = apiOf(call);
      partOf(call, api);
      api.documentationParts.delete(call.params.partId as string);
      return accepted();
    })
    .add('POST', '/restapis/{restApiId}/documentation/versions', (call) => {
      const api = apiOf(call);
      const version = call.body.documentationVersion;
      if (typeof version !== 'string' || version.length === 0)
        throw badRequest('Documentation version must be specified');
      if (api.documentationVersions.has(version))
        throw conflict(`Documentation version ${version} already exists`);
      const stageName = call.body.stageName as string | undefined;
      const stage = stageName === undefined ? undefined : api.stages.get(stageName);
      if (stageName !== undefined && !stage) throw notFound('Invalid Stage identifier specified');
      const fields: Json = {
        version,
        createdDate: call.store.now(),
        ...(typeof call.body.description === 'string' ? { description: call.body.description } : {}),
      };
      api.documentationVersions.set(version, {
        fields,
        parts: [...api.documentationParts.values()].map((p) => structuredClone(p)),
      });
      if (stage) stage.documentationVersion = version;
      return created(fields);
    })
    .add('GET', '/restapis/{restApiId}/documentation/versions', (call) =>
      ok(
        page(
          [...apiOf(call).documentationVersions.values()].map((v) => v.fields),
          call.query,
        ),
      ),
    )
    .add('GET', '/restapis/{restApiId}/documentation/versions/{version}', (call) =>
      ok(versionOf(call).fields),
    )
    .add('PATCH', '/restapis/{restApiId}/documentation/versions/{version}', (call) => {
      const v = versionOf(call);
      v.fields = applyPatch(v.fields, call.body.patchOperations, DOCUMENTATION_VERSION);
      return ok(v.fields);
    })
    .add('DELETE', '/restapis/{restApiId}/documentation/versions/{version}', (call) => {
      const api = apiOf(call);
      versionOf(call, api);
      api.documentationVersions.delete(call.params.version as string);
      return accepted();
    });
}
