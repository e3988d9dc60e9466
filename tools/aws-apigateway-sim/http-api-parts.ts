/**
 * What an API owns beside its resource tree: models, request validators, authorizers, gateway responses,
 * deployments and stages (CreateModel … DeleteStage). Rules that decide a restore's order: a stage needs an
 * existing deployment; a deployment needs at least one method, each with an integration; a deployment a
 * stage points at cannot be deleted; a model, validator or authorizer a method uses cannot be deleted.
 */
import { badRequest, conflict, notFound } from './errors.ts';
import { apiOf } from './http-restapis.ts';
import { page } from './pagination.ts';
import { applyPatch } from './patch.ts';
import { accepted, type Call, created, ok, type Router } from './router.ts';
import {
  AUTHORIZER,
  DEPLOYMENT,
  GATEWAY_RESPONSE,
  GATEWAY_RESPONSE_DEFAULTS,
  MODEL,
  REQUEST_VALIDATOR,
  STAGE,
} from './schemas.ts';
import type { Json, MethodState, RestApiState } from './store.ts';

function pick(body: Json, fields: readonly string[]): Json {
  const out: Json = {};
  for (const f of fields) if (body[f] !== undefined && body[f] !== null) out[f] = body[f];
  return out;
}

function* methodsOf(call: Call, api: RestApiState): Generator<{ where: string; m: MethodState }> {
  for (const r of api.resources.values()) {
    const path = call.store.pathOf(api, r);
    for (const [verb, m] of r.methods) yield { where: `${verb} ${path}`, m };
  }
}

// --- models ---------------------------------------------------------------------------------------------

function modelOf(call: Call, api = apiOf(call)): Json {
  const name = call.params.modelName as string;
  const m = api.models.get(name);
  if (!m) throw notFound(`Invalid model name specified: ${name}`);
  return m;
}

function createModel(call: Call) {
  const api = apiOf(call);
  const name = call.body.name;
  if (typeof name !== 'string' || !/^[a-zA-Z0-9]+$/.test(name)) {
    throw badRequest(`Model name must be alphanumeric: ${String(name)}`);
  }
  if (typeof call.body.contentType !== 'string' || call.body.contentType.length === 0) {
    throw badRequest('Invalid content type specified');
  }
  if (api.models.has(name)) throw conflict('Model name already exists for this REST API');
  const model = {
    id: call.store.ids.id(),
    name,
    ...pick(call.body, ['description', 'schema', 'contentType']),
  };
  api.models.set(name, model);
  return created(model);
}

function deleteModel(call: Call) {
  const api = apiOf(call);
  const model = modelOf(call, api);
  for (const { where, m } of methodsOf(call, api)) {
    const used =
      Object.values((m.fields.requestModels as Json | undefined) ?? {}).includes(model.name) ||
      [...m.responses.values()].some((r) =>
        Object.values((r.responseModels as Json | undefined) ?? {}).includes(model.name),
      );
    if (used)
      throw conflict(`Cannot delete model '${String(model.name)}', is referenced in method: ${where}`);
  }
  api.models.delete(model.name as string);
  return accepted();
}

// --- request validators and authorizers -----------------------------------------------------------------

function validatorOf(call: Call, api = apiOf(call)): Json {
  const v = api.validators.get(call.params.requestValidatorId as string);
  if (!v) throw notFound('Invalid Request Validator identifier specified');
  return v;
}

function authorizerOf(call: Call, api = apiOf(call)): Json {
  const a = api.authorizers.get(call.params.authorizerId as string);
  if (!a) throw notFound('Invalid Authorizer identifier specified');
  return a;
}

function checkAuthorizer(a: Json): void {
  if (!['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'].includes(a.type as string)) {
    throw badRequest(
      'Invalid authorizer type specified. Valid values are TOKEN, REQUEST, COGNITO_USER_POOLS',
    );
  }
  if (a.type === 'COGNITO_USER_POOLS') {
    if (!Array.isArray(a.providerARNs) || a.providerARNs.length === 0) {
      throw badRequest('ProviderARNs need to be specified for COGNITO_USER_POOLS authorizers');
    }
  } else if (typeof a.authorizerUri !== 'string' || a.authorizerUri.length === 0) {
    throw badRequest('Authorizer URI must be specified for TOKEN and REQUEST authorizers');
  }
}

function inUse(call: Call, api: RestApiState, field: string, id: unknown, what: string): void {
  for (const { where, m } of methodsOf(call, api)) {
    if (m.fields[field] === id) throw conflict(`Cannot delete ${what}, is referenced in method: ${where}`);
  }
}

// --- gateway responses ----------------------------------------------------------------------------------

function gatewayResponse(api: RestApiState, type: string): Json {
  const custom = api.gatewayResponses.get(type);
  if (custom) return { responseType: type, ...custom, defaultResponse: false };
  const statusCode = GATEWAY_RESPONSE_DEFAULTS[type];
  return {
    responseType: type,
    ...(statusCode ? { statusCode } : {}),
    responseParameters: {},
    responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
    defaultResponse: true,
  };
}

function responseType(call: Call): string {
  const type = call.params.responseType as string;
  if (!(type in GATEWAY_RESPONSE_DEFAULTS))
    throw badRequest(`Invalid gateway response type specified: ${type}`);
  return type;
}

// --- deployments and stages -----------------------------------------------------------------------------

function deploymentOf(api: RestApiState, id: unknown): Json {
  const d = typeof id === 'string' ? api.deployments.get(id) : undefined;
  if (!d) throw notFound('Invalid Deployment identifier specified');
  return d;
}

function stageOf(call: Call, api = apiOf(call)): Json {
  const s = api.stages.get(call.params.stageName as string);
  if (!s) throw notFound('Invalid Stage identifier specified');
  return s;
}

function newStage(call: Call, stageName: string, deploymentId: string, body: Json): Json {
  const now = call.store.now();
  return {
    deploymentId,
    stageName,
    cacheClusterEnabled: false,
    cacheClusterStatus: 'NOT_AVAILABLE',
    methodSettings: {},
    tracingEnabled: false,
    createdDate: now,
    lastUpdatedDate: now,
    ...pick(body, [
      'description',
      'cacheClusterEnabled',
      'cacheClusterSize',
      'variables',
      'documentationVersion',
      'canarySettings',
      'tracingEnabled',
      'tags',
    ]),
  };
}

function createDeployment(call: Call) {
  const api = apiOf(call);
  const methods = [...methodsOf(call, api)];
  if (methods.length === 0) throw badRequest("The REST API doesn't contain any methods");
  for (const { m } of methods) if (!m.integration) throw badRequest('No integration defined for method');
  const d = { id: call.store.ids.id(), createdDate: call.store.now(), ...pick(call.body, ['description']) };
  api.deployments.set(d.id, d);
  const links = new Set<string>();
  for (const { m } of methods)
    if (m.integration?.fields.connectionType === 'VPC_LINK')
      links.add(String(m.integration.fields.connectionId));
  if (links.size > 0) call.store.deploymentLinks.set(d.id, links);
  const stageName = call.body.stageName;
  if (typeof stageName === 'string' && stageName.length > 0) {
    const existing = api.stages.get(stageName);
    if (existing) {
      existing.deploymentId = d.id;
      existing.lastUpdatedDate = call.store.now();
    } else {
      const body = { ...call.body, description: call.body.stageDescription };
      api.stages.set(stageName, newStage(call, stageName, d.id, body));
    }
  }
  return created(d);
}

const STAGE_NAME = /^[a-zA-Z0-9_-]+$/;

function createStage(call: Call) {
  const api = apiOf(call);
  const stageName = call.body.stageName;
  if (typeof stageName !== 'string' || !STAGE_NAME.test(stageName)) {
    throw badRequest('Stage name only allows a-zA-Z0-9_-');
  }
  deploymentOf(api, call.body.deploymentId);
  if (api.stages.has(stageName)) throw conflict('Stage already exists');
  const stage = newStage(call, stageName, call.body.deploymentId as string, call.body);
  api.stages.set(stageName, stage);
  return created(stage);
}

/** `/{resource path}/{http method}/{group}/{setting}` → the MethodSetting member it sets. */
const METHOD_SETTINGS: Record<string, [string, 'boolean' | 'number' | 'string']> = {
  'metrics/enabled': ['metricsEnabled', 'boolean'],
  'logging/loglevel': ['loggingLevel', 'string'],
  'logging/dataTrace': ['dataTraceEnabled', 'boolean'],
  'throttling/burstLimit': ['throttlingBurstLimit', 'number'],
  'throttling/rateLimit': ['throttlingRateLimit', 'number'],
  'caching/enabled': ['cachingEnabled', 'boolean'],
  'caching/ttlInSeconds': ['cacheTtlInSeconds', 'number'],
  'caching/dataEncrypted': ['cacheDataEncrypted', 'boolean'],
  'caching/requireAuthorizationForCacheControl': ['requireAuthorizationForCacheControl', 'boolean'],
  'caching/unauthorizedCacheControlHeaderStrategy': ['unauthorizedCacheControlHeaderStrategy', 'string'],
};

const METHOD_SETTING_DEFAULTS: Json = {
  metricsEnabled: false,
  loggingLevel: 'OFF',
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
};

function patchMethodSettings(
  target: Json,
  op: string,
  segments: string[],
  value: string | undefined,
): boolean {
  if (segments.length !== 2 && segments.length !== 4) return false;
  const [resourcePath = '', verb = ''] = segments;
  if (!(resourcePath === '*' || resourcePath.startsWith('/'))) return false;
  const key = `${resourcePath.replace(/^\//, '')}/${verb}`;
  const settings = { ...((target.methodSettings as Json | undefined) ?? {}) };
  if (segments.length === 2) {
    if (op !== 'remove') return false;
    delete settings[key];
  } else {
    const setting = METHOD_SETTINGS[`${segments[2]}/${segments[3]}`];
    if (!setting) throw badRequest(`Invalid method setting path: ${segments.join('/')}`);
    const [member, type] = setting;
    const current = { ...METHOD_SETTING_DEFAULTS, ...((settings[key] as Json | undefined) ?? {}) };
    if (op === 'remove') current[member] = METHOD_SETTING_DEFAULTS[member];
    else current[member] = type === 'boolean' ? value === 'true' : type === 'number' ? Number(value) : value;
    settings[key] = current;
  }
  target.methodSettings = settings;
  return true;
}

export function registerApiParts(router: Router): void {
  const base = '/restapis/{restApiId}';
  router
    .add('POST', `${base}/models`, createModel)
    .add('GET', `${base}/models`, (call) => ok(page([...apiOf(call).models.values()], call.query)))
    .add('GET', `${base}/models/{modelName}`, (call) => ok(modelOf(call)))
    .add('PATCH', `${base}/models/{modelName}`, (call) => {
      const api = apiOf(call);
      const next = applyPatch(modelOf(call, api), call.body.patchOperations, MODEL);
      api.models.set(next.name as string, next);
      return ok(next);
    })
    .add('DELETE', `${base}/models/{modelName}`, deleteModel)
    .add('POST', `${base}/requestvalidators`, (call) => {
      const api = apiOf(call);
      const v = {
        id: call.store.ids.id(),
        validateRequestBody: false,
        validateRequestParameters: false,
        ...pick(call.body, ['name', 'validateRequestBody', 'validateRequestParameters']),
      };
      api.validators.set(v.id, v);
      return created(v);
    })
    .add('GET', `${base}/requestvalidators`, (call) =>
      ok(page([...apiOf(call).validators.values()], call.query)),
    )
    .add('GET', `${base}/requestvalidators/{requestValidatorId}`, (call) => ok(validatorOf(call)))
    .add('PATCH', `${base}/requestvalidators/{requestValidatorId}`, (call) => {
      const api = apiOf(call);
      const next = applyPatch(validatorOf(call, api), call.body.patchOperations, REQUEST_VALIDATOR);
      api.validators.set(next.id as string, next);
      return ok(next);
    })
    .add('DELETE', `${base}/requestvalidators/{requestValidatorId}`, (call) => {
      const api = apiOf(call);
      const v = validatorOf(call, api);
      inUse(call, api, 'requestValidatorId', v.id, `request validator '${String(v.name)}'`);
      api.validators.delete(v.id as string);
      return accepted();
    })
    .add('POST', `${base}/authorizers`, (call) => {
      const api = apiOf(call);
      const a: Json = {
        id: call.store.ids.id(),
        ...pick(call.body, [
          'name',
          'type',
          'providerARNs',
          'authType',
          'authorizerUri',
          'authorizerCredentials',
          'identitySource',
          'identityValidationExpression',
          'authorizerResultTtlInSeconds',
        ]),
      };
      checkAuthorizer(a);
      if (a.type !== 'COGNITO_USER_POOLS' && a.authorizerResultTtlInSeconds === undefined) {
        a.authorizerResultTtlInSeconds = 300;
      }
      api.authorizers.set(a.id as string, a);
      return created(a);
    })
    .add('GET', `${base}/authorizers`, (call) => ok(page([...apiOf(call).authorizers.values()], call.query)))
    .add('GET', `${base}/authorizers/{authorizerId}`, (call) => ok(authorizerOf(call)))
    .add('PATCH', `${base}/authorizers/{authorizerId}`, (call) => {
      const api = apiOf(call);
      const next = applyPatch(authorizerOf(call, api), call.body.patchOperations, AUTHORIZER);
      checkAuthorizer(next);
      api.authorizers.set(next.id as string, next);
      return ok(next);
    })
    .add('DELETE', `${base}/authorizers/{authorizerId}`, (call) => {
      const api = apiOf(call);
      const a = authorizerOf(call, api);
      inUse(call, api, 'authorizerId', a.id, `authorizer '${String(a.name)}'`);
      api.authorizers.delete(a.id as string);
      return accepted();
    })
    .add('GET', `${base}/gatewayresponses`, (call) => {
      const api = apiOf(call);
      return ok(
        page(
          Object.keys(GATEWAY_RESPONSE_DEFAULTS).map((t) => gatewayResponse(api, t)),
          call.query,
        ),
      );
    })
    .add('GET', `${base}/gatewayresponses/{responseType}`, (call) =>
      ok(gatewayResponse(apiOf(call), responseType(call))),
    )
    .add('PUT', `${base}/gatewayresponses/{responseType}`, (call) => {
      const api = apiOf(call);
      const type = responseType(call);
      api.gatewayResponses.set(
        type,
        pick(call.body, ['statusCode', 'responseParameters', 'responseTemplates']),
      );
      return created(gatewayResponse(api, type));
    })
    .add('PATCH', `${base}/gatewayresponses/{responseType}`, (call) => {
      const api = apiOf(call);
      const type = responseType(call);
      const { responseType: _t, defaultResponse: _d, ...current } = gatewayResponse(api, type);
      api.gatewayResponses.set(type, applyPatch(current, call.body.patchOperations, GATEWAY_RESPONSE));
      return ok(gatewayResponse(api, type));
    })
    .add('DELETE', `${base}/gatewayresponses/{responseType}`, (call) => {
      const api = apiOf(call);
      const type = responseType(call);
      if (!api.gatewayResponses.delete(type)) throw notFound('Invalid Gateway Response identifier specified');
      return accepted();
    })
    .add('POST', `${base}/deployments`, createDeployment)
    .add('GET', `${base}/deployments`, (call) => ok(page([...apiOf(call).deployments.values()], call.query)))
    .add('GET', `${base}/deployments/{deploymentId}`, (call) => {
      const api = apiOf(call);
      return ok(deploymentOf(api, call.params.deploymentId));
    })
    .add('PATCH', `${base}/deployments/{deploymentId}`, (call) => {
      const api = apiOf(call);
      const next = applyPatch(
        deploymentOf(api, call.params.deploymentId),
        call.body.patchOperations,
        DEPLOYMENT,
      );
      api.deployments.set(next.id as string, next);
      return ok(next);
    })
    .add('DELETE', `${base}/deployments/{deploymentId}`, (call) => {
      const api = apiOf(call);
      const d = deploymentOf(api, call.params.deploymentId);
      for (const s of api.stages.values()) {
        if (s.deploymentId === d.id)
          throw badRequest('Active stages pointing to this deployment must be moved or deleted');
      }
      api.deployments.delete(d.id as string);
      return accepted();
    })
    .add('POST', `${base}/stages`, createStage)
    // GetStages is not paginated: the model's Stages has `item` only
    .add('GET', `${base}/stages`, (call) => ok({ item: [...apiOf(call).stages.values()] }))
    .add('GET', `${base}/stages/{stageName}`, (call) => ok(stageOf(call)))
    .add('PATCH', `${base}/stages/{stageName}`, (call) => {
      const api = apiOf(call);
      const next = applyPatch(stageOf(call, api), call.body.patchOperations, STAGE, patchMethodSettings);
      deploymentOf(api, next.deploymentId);
      // the certificate a stage presents must exist (GenerateClientCertificate before UpdateStage)
      const cert = next.clientCertificateId;
      if (typeof cert === 'string' && cert !== '' && !call.store.clientCertificates.has(cert))
        throw badRequest('Invalid client certificate identifier specified');
      if (cert === '') delete next.clientCertificateId;
      next.lastUpdatedDate = call.store.now();
      api.stages.set(next.stageName as string, next);
      return ok(next);
    })
    .add('DELETE', `${base}/stages/{stageName}`, (call) => {
      const api = apiOf(call);
      stageOf(call, api);
      api.stages.delete(call.params.stageName as string);
      return accepted();
    });
}
