/**
 * PutRestApi (`PUT /restapis/{id}?mode=overwrite|merge&failonwarnings=…`, body: an OpenAPI 2.0 definition
 * with API Gateway's `x-amazon-apigateway-*` extensions), as the API reference and the developer guide
 * ("Import an OpenAPI file to update an existing API definition", "Errors and warnings from importing your
 * API into API Gateway") describe it:
 * - `mode` defaults to `merge`. Merge keeps what the definition does not name; where both define a method,
 *   the definition's replaces the existing one. Overwrite: the API takes the definition's content, and what
 *   the existing API has that the definition does not name is deleted (resources but the root, methods,
 *   models, request validators, authorizers, customized gateway responses).
 * - An update by import does not change the endpoint configuration, the stages and their variables, or the
 *   references to the API from API keys (usage plans): stages and deployments are untouched.
 * - An error (an invalid definition) is a BadRequestException and no change is made. A warning (a model
 *   reference that names no definition) rolls the update back when `failonwarnings=true` (the warnings in
 *   the exception's message); otherwise the update goes on and the answer's `warnings` lists them.
 * - `ignore=documentation` (a `parameters` entry) leaves documentation parts out; this simulator imports no
 *   documentation either way (README, deviations).
 * The content is written through the simulator's own operations (CreateResource, PutMethod, PutIntegration,
 * …) so every rule and default of theirs applies to an import too; on an error the API is put back as it was.
 */
import { AwsError, badRequest } from './errors.ts';
import { apiOf, rootOf } from './http-restapis.ts';
import { type Call, ok, type Router } from './router.ts';
import type { Json, RestApiState } from './store.ts';

const VERBS: Record<string, string> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  patch: 'PATCH',
  head: 'HEAD',
  options: 'OPTIONS',
  'x-amazon-apigateway-any-method': 'ANY',
};

const PARAMETER_LOCATION: Record<string, string> = {
  path: 'path',
  query: 'querystring',
  header: 'header',
};

const DEFINITION_REF = /^#\/definitions\/([A-Za-z0-9]+)$/;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function importErrors(items: readonly string[]): AwsError {
  return badRequest(`Errors found during import:\n\t${items.join('\n\t')}`);
}

/** The definition's structural problems (an invalid document): none means it can be imported. */
function structuralErrors(doc: Json): string[] {
  if (typeof doc.openapi === 'string')
    return ['OpenAPI 3.0 definitions are not served by this simulator; send an OpenAPI 2.0 (swagger) one'];
  if (doc.swagger !== '2.0') return ['Unable to parse API definition: the swagger version must be "2.0"'];
  const errors: string[] = [];
  if (!isObject(doc.info) || typeof doc.info.title !== 'string' || doc.info.title === '')
    errors.push('Unable to parse API definition: info.title is required');
  if (!isObject(doc.paths)) errors.push('Unable to parse API definition: paths is required');
  else {
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith('/')) errors.push(`Invalid path ${path}: a path must begin with /`);
      if (!isObject(item)) errors.push(`Invalid path item at ${path}`);
      else
        for (const [verb, op] of Object.entries(item)) {
          if (verb === 'parameters') continue;
          if (!(verb in VERBS)) errors.push(`Unsupported operation ${verb} at path ${path}`);
          else if (!isObject(op)) errors.push(`Invalid operation ${verb} at path ${path}`);
          else if (op['x-amazon-apigateway-integration'] !== undefined) {
            const i = op['x-amazon-apigateway-integration'];
            if (!isObject(i) || typeof i.type !== 'string')
              errors.push(
                `Unable to parse API definition because of a malformed integration at path ${path}.`,
              );
          }
        }
    }
  }
  for (const [name, schema] of Object.entries(isObject(doc.definitions) ? doc.definitions : {})) {
    if (!/^[a-zA-Z0-9]+$/.test(name)) errors.push(`Model name must be alphanumeric: ${name}`);
    if (!isObject(schema)) errors.push(`Invalid model schema specified for model ${name}`);
  }
  return errors;
}

const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);

function pickDefined(src: Json, fields: readonly string[]): Json {
  const out: Json = {};
  for (const f of fields) if (src[f] !== undefined && src[f] !== null) out[f] = src[f];
  return out;
}

class Importer {
  readonly warnings: string[] = [];
  private readonly base: string;
  private readonly authorizerIds = new Map<string, { id: string; type: string }>();
  private readonly validatorIds = new Map<string, string>();

  constructor(
    private readonly call: Call,
    private readonly router: Router,
    private readonly api: RestApiState,
    private readonly doc: Json,
    private readonly overwrite: boolean,
  ) {
    this.base = `/restapis/${api.fields.id as string}`;
  }

  /** One of the simulator's operations, run in process on this API. */
  private op(method: string, path: string, body: Json = {}): Json {
    const found = this.router.match(method, path);
    if (!found) throw new Error(`no operation ${method} ${path}`);
    const reply = found.route.handler({
      store: this.call.store,
      params: found.params,
      query: new URLSearchParams(),
      body,
    });
    return (reply.body ?? {}) as Json;
  }

  run(): void {
    if (this.overwrite) this.clear();
    this.apiFields();
    this.models();
    this.validators();
    this.authorizers();
    this.gatewayResponses();
    this.paths();
  }

  /** Overwrite: everything the definition describes goes; the root resource stays (with no methods). */
  private clear(): void {
    const root = rootOf(this.api);
    for (const id of [...this.api.resources.keys()]) if (id !== root.id) this.api.resources.delete(id);
    root.methods.clear();
    this.api.models.clear();
    this.api.validators.clear();
    this.api.authorizers.clear();
    this.api.gatewayResponses.clear();
  }

  private apiFields(): void {
    const { doc, api } = this;
    const info = doc.info as Json;
    const next: Json = { ...api.fields, name: info.title };
    const set = (field: string, value: unknown) => {
      if (value !== undefined && value !== null) next[field] = value;
      else if (this.overwrite) delete next[field];
    };
    set('description', info.description);
    set('version', typeof info.version === 'string' && info.version !== '' ? info.version : undefined);
    set('binaryMediaTypes', doc['x-amazon-apigateway-binary-media-types']);
    set('minimumCompressionSize', doc['x-amazon-apigateway-minimum-compression-size']);
    const policy = doc['x-amazon-apigateway-policy'];
    set('policy', policy === undefined ? undefined : JSON.stringify(policy));
    // the API key source has a value on every API (HEADER unless the definition says AUTHORIZER)
    next.apiKeySource =
      doc['x-amazon-apigateway-api-key-source'] ?? (this.overwrite ? 'HEADER' : next.apiKeySource);
    // endpoint configuration (and the execute-api endpoint switch in it) is not changed by an update
    api.fields = next;
  }

  private models(): void {
    const definitions = isObject(this.doc.definitions) ? this.doc.definitions : {};
    for (const [name, schema] of Object.entries(definitions)) {
      const model = { name, contentType: 'application/json', schema: JSON.stringify(schema) };
      // merge: a model of that name keeps its id
      const existing = this.api.models.get(name);
      if (existing) this.api.models.set(name, { ...model, id: existing.id });
      else this.op('POST', `${this.base}/models`, model);
    }
  }

  private validators(): void {
    const all = this.doc['x-amazon-apigateway-request-validators'];
    for (const [name, v] of Object.entries(isObject(all) ? all : {})) {
      const body = {
        name,
        ...pickDefined(isObject(v) ? v : {}, ['validateRequestBody', 'validateRequestParameters']),
      };
      // merge: a validator of that name keeps its id (methods outside the definition may use it)
      const existing = [...this.api.validators.values()].find((x) => x.name === name);
      if (existing) this.api.validators.set(existing.id as string, { ...body, id: existing.id });
      else this.op('POST', `${this.base}/requestvalidators`, body);
    }
    for (const v of this.api.validators.values()) this.validatorIds.set(v.name as string, v.id as string);
  }

  private authorizers(): void {
    const schemes = isObject(this.doc.securityDefinitions) ? this.doc.securityDefinitions : {};
    for (const [name, scheme] of Object.entries(schemes)) {
      if (!isObject(scheme) || !isObject(scheme['x-amazon-apigateway-authorizer'])) continue;
      const a = scheme['x-amazon-apigateway-authorizer'] as Json;
      const body: Json = {
        name,
        type: upper(a.type),
        ...pickDefined(a, [
          'authorizerUri',
          'authorizerCredentials',
          'identitySource',
          'identityValidationExpression',
          'authorizerResultTtlInSeconds',
          'providerARNs',
        ]),
      };
      if (typeof scheme['x-amazon-apigateway-authtype'] === 'string')
        body.authType = scheme['x-amazon-apigateway-authtype'];
      // merge: an authorizer of that name keeps its id (methods outside the definition may use it)
      const existing = [...this.api.authorizers.values()].find((x) => x.name === name);
      if (existing) this.api.authorizers.delete(existing.id as string);
      const made = this.op('POST', `${this.base}/authorizers`, body);
      if (existing) {
        this.api.authorizers.delete(made.id as string);
        this.api.authorizers.set(existing.id as string, { ...made, id: existing.id });
      }
    }
    for (const a of this.api.authorizers.values())
      this.authorizerIds.set(a.name as string, { id: a.id as string, type: a.type as string });
  }

  private gatewayResponses(): void {
    const all = this.doc['x-amazon-apigateway-gateway-responses'];
    for (const [type, r] of Object.entries(isObject(all) ? all : {})) {
      this.op(
        'PUT',
        `${this.base}/gatewayresponses/${encodeURIComponent(type)}`,
        pickDefined(isObject(r) ? r : {}, ['statusCode', 'responseParameters', 'responseTemplates']),
      );
    }
  }

  /** The resource at `path`, created (with its ancestors) when missing. */
  private resourceAt(path: string): string {
    let parent = rootOf(this.api).id;
    for (const part of path.split('/').filter((p) => p !== '')) {
      const child = [...this.api.resources.values()].find(
        (r) => r.parentId === parent && r.pathPart === part,
      );
      parent = child
        ? child.id
        : (this.op('POST', `${this.base}/resources/${parent}`, { pathPart: part }).id as string);
    }
    return parent;
  }

  /** `#/definitions/Pet` → `Pet`, with a warning when the definition has no such model. */
  private modelOf(ref: unknown, where: string): string | null {
    const name = typeof ref === 'string' ? DEFINITION_REF.exec(ref)?.[1] : undefined;
    if (name && this.api.models.has(name)) return name;
    this.warnings.push(`Unable to create model reference for ${where}: ${String(ref)} is not a model`);
    return null;
  }

  private paths(): void {
    const paths = this.doc.paths as Json;
    const schemes = isObject(this.doc.securityDefinitions) ? this.doc.securityDefinitions : {};
    const defaultValidator = this.doc['x-amazon-apigateway-request-validator'];
    const rootConsumes = Array.isArray(this.doc.consumes) ? (this.doc.consumes as string[]) : [];
    const rootProduces = Array.isArray(this.doc.produces) ? (this.doc.produces as string[]) : [];
    for (const path of Object.keys(paths).sort()) {
      const item = paths[path] as Json;
      const resourceId = this.resourceAt(path);
      const shared = Array.isArray(item.parameters) ? (item.parameters as Json[]) : [];
      for (const [verbKey, raw] of Object.entries(item)) {
        const verb = VERBS[verbKey];
        if (!verb) continue;
        const op = raw as Json;
        const where = `${verb} ${path}`;
        const methodPath = `${this.base}/resources/${resourceId}/methods/${verb}`;
        const resource = this.api.resources.get(resourceId);
        // merge: the definition's method replaces the existing one
        resource?.methods.delete(verb);
        const method: Json = { authorizationType: 'NONE' };
        if (typeof op.operationId === 'string') method.operationName = op.operationId;
        const consumes = Array.isArray(op.consumes) ? (op.consumes as string[]) : rootConsumes;
        const requestParameters: Json = {};
        const requestModels: Json = {};
        for (const p of [...shared, ...(Array.isArray(op.parameters) ? (op.parameters as Json[]) : [])]) {
          if (!isObject(p)) continue;
          const location = PARAMETER_LOCATION[p.in as string];
          if (location)
            requestParameters[`method.request.${location}.${String(p.name)}`] = p.required === true;
          else if (p.in === 'body' && isObject(p.schema)) {
            const model = this.modelOf(p.schema.$ref, `the request body of ${where}`);
            if (model)
              for (const ct of consumes.length > 0 ? consumes : ['application/json'])
                requestModels[ct] = model;
          }
        }
        if (Object.keys(requestParameters).length > 0) method.requestParameters = requestParameters;
        if (Object.keys(requestModels).length > 0) method.requestModels = requestModels;
        for (const requirement of Array.isArray(op.security) ? (op.security as Json[]) : []) {
          for (const [name, scopes] of Object.entries(requirement)) {
            const scheme = schemes[name];
            const authorizer = this.authorizerIds.get(name);
            if (authorizer) {
              method.authorizationType =
                authorizer.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
              method.authorizerId = authorizer.id;
              if (Array.isArray(scopes) && scopes.length > 0) method.authorizationScopes = scopes;
            } else if (isObject(scheme) && scheme['x-amazon-apigateway-authtype'] === 'awsSigv4') {
              method.authorizationType = 'AWS_IAM';
            } else if (isObject(scheme) && scheme.type === 'apiKey' && scheme.in === 'header') {
              method.apiKeyRequired = true;
            } else {
              this.warnings.push(`Unable to find a security definition named ${name} for ${where}`);
            }
          }
        }
        const validator = op['x-amazon-apigateway-request-validator'] ?? defaultValidator;
        if (typeof validator === 'string') {
          const id = this.validatorIds.get(validator);
          if (id) method.requestValidatorId = id;
          else this.warnings.push(`Unable to find a request validator named ${validator} for ${where}`);
        }
        this.op('PUT', methodPath, method);
        const produces = Array.isArray(op.produces) ? (op.produces as string[]) : rootProduces;
        const responses = isObject(op.responses) ? op.responses : {};
        for (const [code, r] of Object.entries(responses)) {
          if (!/^[1-5]\d\d$/.test(code) || !isObject(r)) continue;
          const response: Json = {};
          const headers = isObject(r.headers) ? Object.keys(r.headers) : [];
          if (headers.length > 0)
            response.responseParameters = Object.fromEntries(
              headers.map((h) => [`method.response.header.${h}`, false]),
            );
          if (isObject(r.schema)) {
            const model = this.modelOf(r.schema.$ref, `the ${code} response of ${where}`);
            if (model)
              response.responseModels = Object.fromEntries(
                (produces.length > 0 ? produces : ['application/json']).map((ct) => [ct, model]),
              );
          }
          this.op('PUT', `${methodPath}/responses/${code}`, response);
        }
        const integration = op['x-amazon-apigateway-integration'];
        if (isObject(integration)) this.integration(methodPath, integration);
      }
    }
  }

  private integration(methodPath: string, i: Json): void {
    const body: Json = {
      ...pickDefined(i, [
        'uri',
        'httpMethod',
        'credentials',
        'requestParameters',
        'requestTemplates',
        'contentHandling',
        'timeoutInMillis',
        'cacheNamespace',
        'cacheKeyParameters',
        'connectionType',
        'connectionId',
        'tlsConfig',
      ]),
      type: upper(i.type),
    };
    if (i.passthroughBehavior !== undefined) body.passthroughBehavior = upper(i.passthroughBehavior);
    this.op('PUT', `${methodPath}/integration`, body);
    for (const [pattern, r] of Object.entries(isObject(i.responses) ? i.responses : {})) {
      if (!isObject(r) || typeof r.statusCode !== 'string') continue;
      this.op('PUT', `${methodPath}/integration/responses/${r.statusCode}`, {
        ...pickDefined(r, ['responseParameters', 'responseTemplates', 'contentHandling']),
        ...(pattern === 'default' ? {} : { selectionPattern: pattern }),
      });
    }
  }
}

function putRestApi(call: Call, router: Router) {
  const api = apiOf(call);
  call.store.imports.push({
    restApiId: api.fields.id as string,
    query: Object.fromEntries(call.query.entries()),
  });
  const mode = call.query.get('mode') ?? 'merge';
  if (mode !== 'merge' && mode !== 'overwrite')
    throw badRequest(`Invalid mode specified: ${mode}. Valid values are merge, overwrite`);
  const failOnWarnings = call.query.get('failonwarnings') === 'true';
  const errors = structuralErrors(call.body);
  if (errors.length > 0) throw importErrors(errors);
  const id = api.fields.id as string;
  const saved = structuredClone(api);
  const importer = new Importer(call, router, api, call.body, mode === 'overwrite');
  try {
    importer.run();
  } catch (err) {
    call.store.restApis.set(id, saved);
    if (err instanceof AwsError) throw importErrors([err.message]);
    throw err;
  }
  if (importer.warnings.length > 0 && failOnWarnings) {
    call.store.restApis.set(id, saved);
    throw badRequest(`Warnings found during import:\n\t${importer.warnings.join('\n\t')}`);
  }
  const answer: Json = { ...(call.store.restApis.get(id) as RestApiState).fields };
  if (importer.warnings.length > 0) answer.warnings = importer.warnings;
  return ok(answer);
}

export function registerImport(router: Router): void {
  router.add('PUT', '/restapis/{restApiId}', (call) => putRestApi(call, router));
}
