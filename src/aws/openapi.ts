/**
 * One REST API of a snapshot as the OpenAPI 2.0 (swagger) definition PutRestApi imports, with API Gateway's
 * extensions: `x-amazon-apigateway-integration` per operation (its `responses` keyed by selection pattern,
 * `default` for none), `x-amazon-apigateway-request-validators` and `-request-validator`, authorizers as
 * `securityDefinitions` with `x-amazon-apigateway-authtype` / `-authorizer` (and `api_key` / `sigv4` schemes
 * for API-key-required and AWS_IAM methods), `x-amazon-apigateway-gateway-responses`,
 * `-binary-media-types`, `-api-key-source`, `-minimum-compression-size`, `-policy` and
 * `-endpoint-configuration`. OpenAPI 2.0 because API Gateway's extension reference documents every
 * extension used here for it, and its `definitions` / `securityDefinitions` map one to one onto models and
 * authorizers.
 *
 * What an import cannot carry (NOT_CARRIED) is written entity-level after it (apply.ts re-reads the API and
 * patches the rest), so the definition need not be exact — only complete in what it names.
 */
import type { AwsKind, Entity } from '../core/index.ts';

type Json = Record<string, unknown>;

/** The entities of one API, by kind, as a snapshot holds them (references as keys). */
export type ApiContent = Partial<Record<AwsKind, Entity[]>>;

/** The kinds an import writes (overwrite replaces them all); everything else of an API stays entity-level. */
export const IMPORTED_KINDS: readonly AwsKind[] = [
  'resources',
  'methods',
  'method_responses',
  'integrations',
  'integration_responses',
  'models',
  'request_validators',
  'authorizers',
  'gateway_responses',
];

/**
 * Members a definition cannot carry, per kind: PutRestApi leaves them as they were or imports them
 * otherwise, so they are written entity-level after the import. A REST API's endpoint configuration (and
 * the execute-api switch in it) and tags are not changed by an update by import; a model is imported with
 * content type application/json and without a description; a method response header is imported as not
 * required; an empty selection pattern is imported as none.
 */
export const NOT_CARRIED: Partial<Record<AwsKind, readonly string[]>> = {
  restapis: ['endpointConfiguration', 'disableExecuteApiEndpoint', 'tags'],
  models: ['contentType', 'description'],
  method_responses: ['responseParameters'],
  integration_responses: ['selectionPattern'],
};

/** The content type every model an import makes has. */
export const IMPORTED_MODEL_CONTENT_TYPE = 'application/json';

const OPERATION: Record<string, string> = {
  GET: 'get',
  PUT: 'put',
  POST: 'post',
  DELETE: 'delete',
  PATCH: 'patch',
  HEAD: 'head',
  OPTIONS: 'options',
  ANY: 'x-amazon-apigateway-any-method',
};

const API_KEY_SCHEME = 'api_key';
const SIGV4_SCHEME = 'sigv4';

const PARAMETER_IN: Record<string, string> = { path: 'path', querystring: 'query', header: 'header' };

function defined(src: Entity | Json, fields: readonly string[]): Json {
  const out: Json = {};
  for (const f of fields) if (src[f] !== undefined && src[f] !== null) out[f] = src[f];
  return out;
}

const ref = (model: string) => ({ $ref: `#/definitions/${model}` });

const nameIn = (key: string) => key.slice(key.lastIndexOf(':') + 1);

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function operation(
  method: Entity,
  responses: readonly Entity[],
  integration: Entity | undefined,
  integrationResponses: readonly Entity[],
  vpcLinkId: (key: string) => string | undefined,
): Json {
  const op: Json = {};
  if (typeof method.operationName === 'string') op.operationId = method.operationName;
  const parameters: Json[] = [];
  for (const [name, required] of Object.entries((method.requestParameters as Json | undefined) ?? {})) {
    const m = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(name);
    if (!m) continue;
    parameters.push({
      name: m[2],
      in: PARAMETER_IN[m[1] as string],
      required: required === true,
      type: 'string',
    });
  }
  const requestModels = Object.entries((method.requestModels as Json | undefined) ?? {});
  if (requestModels.length > 0) {
    // one body per operation: the first content type's model, for every content type naming it
    const model = requestModels[0]?.[1] as string;
    op.consumes = requestModels.filter(([, m]) => m === model).map(([ct]) => ct);
    parameters.push({ in: 'body', name: model, required: true, schema: ref(model) });
  }
  if (parameters.length > 0) op.parameters = parameters;
  const produces = new Set<string>();
  const out: Json = {};
  for (const r of [...responses].sort((a, b) => String(a.statusCode).localeCompare(String(b.statusCode)))) {
    const response: Json = { description: `${String(r.statusCode)} response` };
    const models = Object.entries((r.responseModels as Json | undefined) ?? {});
    if (models.length > 0) {
      for (const [ct] of models) produces.add(ct);
      response.schema = ref(models[0]?.[1] as string);
    }
    const headers = Object.keys((r.responseParameters as Json | undefined) ?? {})
      .map((p) => /^method\.response\.header\.(.+)$/.exec(p)?.[1])
      .filter((h): h is string => h !== undefined);
    if (headers.length > 0)
      response.headers = Object.fromEntries(headers.map((h) => [h, { type: 'string' }]));
    out[String(r.statusCode)] = response;
  }
  if (produces.size > 0) op.produces = [...produces];
  op.responses = out;
  const security: Json[] = [];
  if (
    (method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS') &&
    typeof method.authorizer === 'string'
  )
    security.push({
      [nameIn(method.authorizer)]: (method.authorizationScopes as string[] | undefined) ?? [],
    });
  if (method.authorizationType === 'AWS_IAM') security.push({ [SIGV4_SCHEME]: [] });
  if (method.apiKeyRequired === true) security.push({ [API_KEY_SCHEME]: [] });
  if (security.length > 0) op.security = security;
  if (typeof method.requestValidator === 'string')
    op['x-amazon-apigateway-request-validator'] = nameIn(method.requestValidator);
  if (integration) {
    const i: Json = defined(integration, [
      'type',
      'httpMethod',
      'uri',
      'credentials',
      'requestParameters',
      'requestTemplates',
      'passthroughBehavior',
      'contentHandling',
      'timeoutInMillis',
      'cacheKeyParameters',
      'connectionType',
      'connectionId',
      'tlsConfig',
    ]);
    if (typeof integration.vpcLink === 'string')
      i.connectionId = vpcLinkId(integration.vpcLink) ?? integration.vpcLink;
    if (typeof i.type === 'string') i.type = i.type.toLowerCase();
    if (typeof i.passthroughBehavior === 'string')
      i.passthroughBehavior = i.passthroughBehavior.toLowerCase();
    const byPattern: Json = {};
    for (const r of integrationResponses) {
      const pattern =
        typeof r.selectionPattern === 'string' && r.selectionPattern !== '' ? r.selectionPattern : 'default';
      byPattern[pattern] = {
        statusCode: r.statusCode,
        ...defined(r, ['responseParameters', 'responseTemplates', 'contentHandling']),
      };
    }
    if (Object.keys(byPattern).length > 0) i.responses = byPattern;
    op['x-amazon-apigateway-integration'] = i;
  }
  return op;
}

/** The definition of `api` with its content; `vpcLinkId` turns a VPC link's key into its id. */
export function buildOpenApi(
  api: Entity,
  content: ApiContent,
  vpcLinkId: (key: string) => string | undefined = () => undefined,
): Json {
  const by = <T extends Entity>(kind: AwsKind, key: (e: Entity) => string) => {
    const map = new Map<string, T[]>();
    for (const e of content[kind] ?? []) {
      const k = key(e);
      map.set(k, [...(map.get(k) ?? []), e as T]);
    }
    return map;
  };
  const methodsOf = by('methods', (m) => m.resource as string);
  const responsesOf = by('method_responses', (r) => r.method as string);
  const integrationOf = new Map((content.integrations ?? []).map((i) => [i.method as string, i]));
  const integrationResponsesOf = by('integration_responses', (r) => r.integration as string);
  const paths: Json = {};
  const resources = [...(content.resources ?? [])].sort((a, b) =>
    String(a.path).localeCompare(String(b.path)),
  );
  let needsApiKey = false;
  let needsSigv4 = false;
  for (const r of resources) {
    const item: Json = {};
    for (const m of (methodsOf.get(r.id) ?? []).sort((a, b) => a.id.localeCompare(b.id))) {
      const verb = OPERATION[m.httpMethod as string];
      if (!verb) continue;
      needsApiKey ||= m.apiKeyRequired === true;
      needsSigv4 ||= m.authorizationType === 'AWS_IAM';
      item[verb] = operation(
        m,
        responsesOf.get(m.id) ?? [],
        integrationOf.get(m.id),
        integrationResponsesOf.get(m.id) ?? [],
        vpcLinkId,
      );
    }
    paths[r.path as string] = item;
  }
  const info: Json = { title: api.name, version: typeof api.version === 'string' ? api.version : '' };
  if (typeof api.description === 'string') info.description = api.description;
  const doc: Json = { swagger: '2.0', info, paths };
  const definitions: Json = {};
  for (const m of content.models ?? []) definitions[m.name as string] = parseJson(m.schema);
  if (Object.keys(definitions).length > 0) doc.definitions = definitions;
  const schemes: Json = {};
  for (const a of content.authorizers ?? []) {
    const identity = typeof a.identitySource === 'string' ? a.identitySource : '';
    const header = /^method\.request\.header\.([^,\s]+)$/.exec(identity)?.[1] ?? 'Authorization';
    const scheme: Json = { type: 'apiKey', name: header, in: 'header' };
    if (typeof a.authType === 'string') scheme['x-amazon-apigateway-authtype'] = a.authType;
    const authorizer: Json = defined(a, [
      'authorizerUri',
      'authorizerCredentials',
      'identitySource',
      'identityValidationExpression',
      'authorizerResultTtlInSeconds',
      'providerARNs',
    ]);
    authorizer.type = String(a.type).toLowerCase();
    scheme['x-amazon-apigateway-authorizer'] = authorizer;
    schemes[a.name as string] = scheme;
  }
  if (needsApiKey) schemes[API_KEY_SCHEME] = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  if (needsSigv4)
    schemes[SIGV4_SCHEME] = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    };
  if (Object.keys(schemes).length > 0) doc.securityDefinitions = schemes;
  const validators: Json = {};
  for (const v of content.request_validators ?? [])
    validators[v.name as string] = {
      validateRequestBody: v.validateRequestBody === true,
      validateRequestParameters: v.validateRequestParameters === true,
    };
  if (Object.keys(validators).length > 0) doc['x-amazon-apigateway-request-validators'] = validators;
  const gatewayResponses: Json = {};
  for (const g of content.gateway_responses ?? [])
    gatewayResponses[g.responseType as string] = defined(g, [
      'statusCode',
      'responseParameters',
      'responseTemplates',
    ]);
  if (Object.keys(gatewayResponses).length > 0)
    doc['x-amazon-apigateway-gateway-responses'] = gatewayResponses;
  if (Array.isArray(api.binaryMediaTypes) && api.binaryMediaTypes.length > 0)
    doc['x-amazon-apigateway-binary-media-types'] = api.binaryMediaTypes;
  if (typeof api.apiKeySource === 'string') doc['x-amazon-apigateway-api-key-source'] = api.apiKeySource;
  if (typeof api.minimumCompressionSize === 'number')
    doc['x-amazon-apigateway-minimum-compression-size'] = api.minimumCompressionSize;
  if (typeof api.policy === 'string' && api.policy !== '')
    doc['x-amazon-apigateway-policy'] = parseJson(api.policy);
  const endpoint = api.endpointConfiguration as Json | undefined;
  const endpointExtension: Json = {};
  if (Array.isArray(endpoint?.vpcEndpointIds)) endpointExtension.vpcEndpointIds = endpoint.vpcEndpointIds;
  if (typeof api.disableExecuteApiEndpoint === 'boolean')
    endpointExtension.disableExecuteApiEndpoint = api.disableExecuteApiEndpoint;
  if (Object.keys(endpointExtension).length > 0)
    doc['x-amazon-apigateway-endpoint-configuration'] = endpointExtension;
  return doc;
}
