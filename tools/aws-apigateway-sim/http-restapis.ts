/**
 * REST APIs and their resource tree: CreateRestApi/GetRestApis/GetRestApi/UpdateRestApi/DeleteRestApi,
 * CreateResource/GetResources(embed=methods)/GetResource/UpdateResource/DeleteResource, and a method's
 * parts (PutMethod, PutMethodResponse, PutIntegration, PutIntegrationResponse and their Get/Update/Delete).
 * Rules the service enforces that decide a restore's order: a resource's parent must exist and path parts
 * are unique under one parent; a method needs its resource; an integration needs its method; an
 * integration response needs the method response of its status code; a method's authorizer, request
 * validator and request models must exist in the API; deleting a resource deletes everything below it.
 */
import { badRequest, conflict, notFound } from './errors.ts';
import { page } from './pagination.ts';
import { applyPatch } from './patch.ts';
import { accepted, type Call, created, noContent, ok, type Router } from './router.ts';
import {
  AUTHORIZATION_TYPES,
  HTTP_METHODS,
  INTEGRATION,
  INTEGRATION_RESPONSE,
  INTEGRATION_TYPES,
  METHOD,
  METHOD_RESPONSE,
  RESOURCE,
  REST_API,
} from './schemas.ts';
import type { IntegrationState, Json, MethodState, ResourceState, RestApiState, Store } from './store.ts';

const PATH_PART = /^(\{[a-zA-Z0-9._-]+\+?\}|[a-zA-Z0-9._:-]+)$/;

export function apiOf(call: Call): RestApiState {
  const id = call.params.restApiId as string;
  const api = call.store.restApis.get(id);
  if (!api) throw notFound(`Invalid API identifier specified ${call.store.accountId}:${id}`);
  return api;
}

function resourceOf(call: Call, api = apiOf(call)): ResourceState {
  const r = api.resources.get(call.params.resourceId as string);
  if (!r) throw notFound('Invalid Resource identifier specified');
  return r;
}

function methodOf(call: Call): MethodState {
  const m = resourceOf(call).methods.get(call.params.httpMethod as string);
  if (!m) throw notFound('Invalid Method identifier specified');
  return m;
}

function integrationOf(call: Call): IntegrationState {
  const i = methodOf(call).integration;
  if (!i) throw notFound('No integration defined for method');
  return i;
}

function pick(body: Json, fields: readonly string[]): Json {
  const out: Json = {};
  for (const f of fields) if (body[f] !== undefined && body[f] !== null) out[f] = body[f];
  return out;
}

function integrationView(i: IntegrationState): Json {
  const out: Json = { ...i.fields };
  if (i.responses.size > 0) out.integrationResponses = Object.fromEntries(i.responses);
  return out;
}

export function methodView(m: MethodState): Json {
  const out: Json = { ...m.fields };
  if (m.responses.size > 0) out.methodResponses = Object.fromEntries(m.responses);
  if (m.integration) out.methodIntegration = integrationView(m.integration);
  return out;
}

function resourceView(store: Store, api: RestApiState, r: ResourceState, embedMethods: boolean): Json {
  const out: Json = { id: r.id };
  if (r.parentId !== null) out.parentId = r.parentId;
  if (r.pathPart !== null) out.pathPart = r.pathPart;
  out.path = store.pathOf(api, r);
  if (r.methods.size > 0) {
    out.resourceMethods = Object.fromEntries(
      [...r.methods].map(([verb, m]) => [verb, embedMethods ? methodView(m) : {}]),
    );
  }
  return out;
}

function rootOf(api: RestApiState): ResourceState {
  for (const r of api.resources.values()) if (r.parentId === null) return r;
  throw new Error('an API without a root resource');
}

function createRestApi({ store, body }: Call) {
  if (typeof body.name !== 'string' || body.name.length === 0)
    throw badRequest('Invalid REST API name specified');
  const id = store.ids.id();
  const rootId = store.ids.id();
  const fields: Json = {
    id,
    name: body.name,
    createdDate: store.now(),
    apiKeySource: 'HEADER',
    endpointConfiguration: { types: ['EDGE'] },
    disableExecuteApiEndpoint: false,
    rootResourceId: rootId,
    ...pick(body, [
      'description',
      'version',
      'binaryMediaTypes',
      'minimumCompressionSize',
      'apiKeySource',
      'endpointConfiguration',
      'policy',
      'tags',
      'disableExecuteApiEndpoint',
    ]),
  };
  const api: RestApiState = {
    fields,
    resources: new Map([[rootId, { id: rootId, parentId: null, pathPart: null, methods: new Map() }]]),
    models: new Map(),
    validators: new Map(),
    authorizers: new Map(),
    gatewayResponses: new Map(),
    documentationParts: new Map(),
    documentationVersions: new Map(),
    deployments: new Map(),
    stages: new Map(),
  };
  store.restApis.set(id, api);
  return created(fields);
}

function createResource(call: Call) {
  const api = apiOf(call);
  const parent = api.resources.get(call.params.parentId as string);
  if (!parent) throw notFound('Invalid Resource identifier specified');
  const pathPart = call.body.pathPart;
  if (typeof pathPart !== 'string' || !PATH_PART.test(pathPart)) {
    throw badRequest(
      "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
    );
  }
  for (const r of api.resources.values()) {
    if (r.parentId === parent.id && r.pathPart === pathPart) {
      throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
    }
  }
  const r: ResourceState = { id: call.store.ids.id(), parentId: parent.id, pathPart, methods: new Map() };
  api.resources.set(r.id, r);
  return created(resourceView(call.store, api, r, false));
}

function deleteResource(call: Call) {
  const api = apiOf(call);
  const r = resourceOf(call, api);
  if (r.parentId === null) throw badRequest('Cannot delete root resource');
  for (const id of call.store.subtree(api, r.id)) api.resources.delete(id);
  return accepted();
}

function checkMethodReferences(api: RestApiState, fields: Json): void {
  const type = fields.authorizationType;
  if (!AUTHORIZATION_TYPES.includes(type as never)) {
    throw badRequest(
      `Invalid authorization type specified. Valid values are ${AUTHORIZATION_TYPES.join(', ')}`,
    );
  }
  if (type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') {
    if (typeof fields.authorizerId !== 'string' || !api.authorizers.has(fields.authorizerId)) {
      throw badRequest(
        'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
      );
    }
  }
  if (fields.requestValidatorId !== undefined && !api.validators.has(fields.requestValidatorId as string)) {
    throw badRequest('Invalid Request Validator identifier specified');
  }
  for (const [contentType, model] of Object.entries((fields.requestModels as Json | undefined) ?? {})) {
    if (!api.models.has(model as string)) {
      throw badRequest(`Invalid model identifier specified: ${model} for content type ${contentType}`);
    }
  }
}

function putMethod(call: Call) {
  const api = apiOf(call);
  const r = resourceOf(call, api);
  const verb = call.params.httpMethod as string;
  if (!HTTP_METHODS.includes(verb as never)) throw badRequest(`Invalid HTTP method specified: ${verb}`);
  if (r.methods.has(verb)) throw conflict('Method already exists for this resource');
  const fields: Json = {
    httpMethod: verb,
    apiKeyRequired: false,
    ...pick(call.body, [
      'authorizationType',
      'authorizerId',
      'apiKeyRequired',
      'operationName',
      'requestParameters',
      'requestModels',
      'requestValidatorId',
      'authorizationScopes',
    ]),
  };
  checkMethodReferences(api, fields);
  const m: MethodState = { fields, responses: new Map(), integration: null };
  r.methods.set(verb, m);
  return created(methodView(m));
}

function updateMethod(call: Call) {
  const api = apiOf(call);
  const m = methodOf(call);
  const fields = applyPatch(m.fields, call.body.patchOperations, METHOD);
  checkMethodReferences(api, fields);
  m.fields = fields;
  return ok(methodView(m));
}

function putMethodResponse(call: Call) {
  const m = methodOf(call);
  const statusCode = call.params.statusCode as string;
  if (!/^[1-5]\d\d$/.test(statusCode)) throw badRequest(`Invalid status code specified: ${statusCode}`);
  if (m.responses.has(statusCode)) throw conflict('Response already exists for this resource');
  const api = apiOf(call);
  for (const model of Object.values((call.body.responseModels as Json | undefined) ?? {})) {
    if (!api.models.has(model as string)) throw badRequest(`Invalid model identifier specified: ${model}`);
  }
  const response = { statusCode, ...pick(call.body, ['responseParameters', 'responseModels']) };
  m.responses.set(statusCode, response);
  return created(response);
}

function methodResponseOf(call: Call): Json {
  const r = methodOf(call).responses.get(call.params.statusCode as string);
  if (!r) throw notFound('Invalid Response status code specified');
  return r;
}

function putIntegration(call: Call) {
  const r = resourceOf(call);
  const m = methodOf(call);
  const type = call.body.type;
  if (!INTEGRATION_TYPES.includes(type as never)) {
    throw badRequest(`Invalid integration type specified. Valid values are ${INTEGRATION_TYPES.join(', ')}`);
  }
  if (type !== 'MOCK') {
    if (typeof call.body.httpMethod !== 'string')
      throw badRequest('Enumeration value for HttpMethod must be non-empty');
    if (typeof call.body.uri !== 'string' || call.body.uri.length === 0) {
      throw badRequest('Invalid HTTP endpoint specified for URI');
    }
  }
  // a VPC_LINK integration goes through a VPC link that exists (or one a stage variable names at run time)
  if (call.body.connectionType === 'VPC_LINK') {
    const link = call.body.connectionId;
    const variable = typeof link === 'string' && link.startsWith('${stageVariables.');
    if (!variable && !call.store.vpcLinks.has(link as string))
      throw badRequest(`Invalid VPC link identifier specified: ${String(link)}`);
  }
  const fields: Json = {
    type,
    passthroughBehavior: 'WHEN_NO_MATCH',
    connectionType: 'INTERNET',
    timeoutInMillis: 29000,
    cacheNamespace: r.id,
    cacheKeyParameters: [],
    ...pick(call.body, [
      'httpMethod',
      'uri',
      'connectionType',
      'connectionId',
      'credentials',
      'requestParameters',
      'requestTemplates',
      'passthroughBehavior',
      'cacheNamespace',
      'cacheKeyParameters',
      'contentHandling',
      'timeoutInMillis',
      'tlsConfig',
    ]),
  };
  // PutIntegration sets up (or replaces) the method's integration; its responses stay
  m.integration = { fields, responses: m.integration?.responses ?? new Map() };
  return created(integrationView(m.integration));
}

function putIntegrationResponse(call: Call) {
  const m = methodOf(call);
  const i = integrationOf(call);
  const statusCode = call.params.statusCode as string;
  if (!m.responses.has(statusCode)) throw notFound('Invalid Response status code specified');
  const response = {
    statusCode,
    ...pick(call.body, ['selectionPattern', 'responseParameters', 'responseTemplates', 'contentHandling']),
  };
  i.responses.set(statusCode, response);
  return created(response);
}

function integrationResponseOf(call: Call): Json {
  const r = integrationOf(call).responses.get(call.params.statusCode as string);
  if (!r) throw notFound('Invalid Response status code specified');
  return r;
}

export function registerRestApis(router: Router): void {
  const base = '/restapis/{restApiId}';
  const method = `${base}/resources/{resourceId}/methods/{httpMethod}`;
  router
    .add('POST', '/restapis', createRestApi)
    .add('GET', '/restapis', ({ store, query }) =>
      ok(
        page(
          [...store.restApis.values()].map((a) => a.fields),
          query,
        ),
      ),
    )
    .add('GET', base, (call) => ok(apiOf(call).fields))
    .add('PATCH', base, (call) => {
      const api = apiOf(call);
      api.fields = applyPatch(api.fields, call.body.patchOperations, REST_API);
      return ok(api.fields);
    })
    .add('DELETE', base, (call) => {
      apiOf(call);
      call.store.restApis.delete(call.params.restApiId as string);
      return accepted();
    })
    .add('GET', `${base}/resources`, (call) => {
      const api = apiOf(call);
      const embed = call.query.getAll('embed').some((e) => e.split(',').includes('methods'));
      const all = [...api.resources.values()].map((r) => resourceView(call.store, api, r, embed));
      return ok(page(all, call.query));
    })
    .add('POST', `${base}/resources/{parentId}`, createResource)
    .add('GET', `${base}/resources/{resourceId}`, (call) => {
      const api = apiOf(call);
      const embed = call.query.getAll('embed').some((e) => e.split(',').includes('methods'));
      return ok(resourceView(call.store, api, resourceOf(call, api), embed));
    })
    .add('PATCH', `${base}/resources/{resourceId}`, (call) => {
      const api = apiOf(call);
      const r = resourceOf(call, api);
      const next = applyPatch(
        { pathPart: r.pathPart, parentId: r.parentId },
        call.body.patchOperations,
        RESOURCE,
      );
      if (typeof next.parentId !== 'string' || !api.resources.has(next.parentId)) {
        throw notFound('Invalid Resource identifier specified');
      }
      if (call.store.subtree(api, r.id).includes(next.parentId))
        throw badRequest('Cannot move a resource under itself');
      r.pathPart = next.pathPart as string;
      r.parentId = next.parentId;
      return ok(resourceView(call.store, api, r, false));
    })
    .add('DELETE', `${base}/resources/{resourceId}`, deleteResource)
    .add('PUT', method, putMethod)
    .add('GET', method, (call) => ok(methodView(methodOf(call))))
    .add('PATCH', method, updateMethod)
    .add('DELETE', method, (call) => {
      methodOf(call);
      resourceOf(call).methods.delete(call.params.httpMethod as string);
      return noContent();
    })
    .add('PUT', `${method}/responses/{statusCode}`, putMethodResponse)
    .add('GET', `${method}/responses/{statusCode}`, (call) => ok(methodResponseOf(call)))
    .add('PATCH', `${method}/responses/{statusCode}`, (call) => {
      const m = methodOf(call);
      const code = call.params.statusCode as string;
      const next = applyPatch(methodResponseOf(call), call.body.patchOperations, METHOD_RESPONSE);
      m.responses.set(code, next);
      return created(next);
    })
    .add('DELETE', `${method}/responses/{statusCode}`, (call) => {
      methodResponseOf(call);
      methodOf(call).responses.delete(call.params.statusCode as string);
      return noContent();
    })
    .add('PUT', `${method}/integration`, putIntegration)
    .add('GET', `${method}/integration`, (call) => ok(integrationView(integrationOf(call))))
    .add('PATCH', `${method}/integration`, (call) => {
      const i = integrationOf(call);
      i.fields = applyPatch(i.fields, call.body.patchOperations, INTEGRATION);
      return ok(integrationView(i));
    })
    .add('DELETE', `${method}/integration`, (call) => {
      integrationOf(call);
      methodOf(call).integration = null;
      return noContent();
    })
    .add('PUT', `${method}/integration/responses/{statusCode}`, putIntegrationResponse)
    .add('GET', `${method}/integration/responses/{statusCode}`, (call) => ok(integrationResponseOf(call)))
    .add('PATCH', `${method}/integration/responses/{statusCode}`, (call) => {
      const next = applyPatch(integrationResponseOf(call), call.body.patchOperations, INTEGRATION_RESPONSE);
      integrationOf(call).responses.set(call.params.statusCode as string, next);
      return ok(next);
    })
    .add('DELETE', `${method}/integration/responses/{statusCode}`, (call) => {
      integrationResponseOf(call);
      integrationOf(call).responses.delete(call.params.statusCode as string);
      return noContent();
    });
}

export { rootOf };
