/**
 * The live account as a Snapshot of AWS API Gateway's catalogue: the selected REST APIs with everything
 * they own, then the usage plans, API keys and custom domain names that name them. Entities are keyed by
 * natural key (src/core/catalogue/aws-apigateway/keys.ts) and hold references as keys; the ids AWS
 * assigned stay in `awsId`. Every list is paginated to the end; per-API listings run `parallelism` at once.
 */
import {
  type APIGatewayClient,
  type ClientCertificate,
  GetApiKeysCommand,
  GetAuthorizersCommand,
  GetBasePathMappingsCommand,
  GetClientCertificatesCommand,
  GetDocumentationPartsCommand,
  GetDocumentationVersionsCommand,
  GetDomainNamesCommand,
  GetGatewayResponsesCommand,
  GetModelsCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  GetVpcLinksCommand,
  type Method,
  type RestApi,
  type VpcLink,
} from '@aws-sdk/client-api-gateway';
import type { DumpOptions } from '../app/ports/gateway.ts';
import type { AwsApiSelection } from '../config/types.ts';
import {
  AWS_KINDS,
  type AwsKind,
  awsKeys,
  type Entity,
  type EntityKind,
  kindsOfSection,
  type SnapshotMeta,
  type SnapshotSink,
} from '../core/index.ts';
import { AwsGatewayError } from './errors.ts';
import { inPool, listAll, PAGE_LIMIT } from './list.ts';

export const AWS_VERSION = 'apigateway 2015-07-09';

type Collected = Map<AwsKind, Entity[]>;

/** Members copied as they are, per kind (the rest are keys, references or what AWS assigned). */
const COPIED: Record<string, readonly string[]> = {
  restapis: [
    'name',
    'description',
    'version',
    'binaryMediaTypes',
    'minimumCompressionSize',
    'apiKeySource',
    'endpointConfiguration',
    'policy',
    'tags',
    'disableExecuteApiEndpoint',
  ],
  methods: [
    'httpMethod',
    'authorizationType',
    'apiKeyRequired',
    'operationName',
    'requestParameters',
    'requestModels',
    'authorizationScopes',
  ],
  integrations: [
    'type',
    'httpMethod',
    'uri',
    'connectionType',
    'connectionId',
    'credentials',
    'requestParameters',
    'requestTemplates',
    'passthroughBehavior',
    'contentHandling',
    'timeoutInMillis',
    'cacheNamespace',
    'cacheKeyParameters',
    'tlsConfig',
  ],
  stages: [
    'stageName',
    'deploymentId',
    'description',
    'cacheClusterEnabled',
    'cacheClusterSize',
    'variables',
    'methodSettings',
    'accessLogSettings',
    'canarySettings',
    'tracingEnabled',
    'clientCertificateId',
    'documentationVersion',
    'tags',
    'webAclArn',
  ],
  api_keys: ['name', 'description', 'enabled', 'value', 'customerId', 'tags'],
  usage_plans: ['name', 'description', 'throttle', 'quota', 'productCode', 'tags'],
  domain_names: [
    'domainName',
    'certificateName',
    'certificateArn',
    'regionalCertificateName',
    'regionalCertificateArn',
    'endpointConfiguration',
    'securityPolicy',
    'mutualTlsAuthentication',
    'ownershipVerificationCertificateArn',
    'tags',
  ],
  vpc_links: ['name', 'description', 'targetArns', 'tags'],
};

function copy(kind: string, from: object, into: Entity): Entity {
  const src = from as Record<string, unknown>;
  for (const f of COPIED[kind] ?? []) if (src[f] !== undefined && src[f] !== null) into[f] = src[f];
  return into;
}

function selected(api: RestApi, selection: AwsApiSelection): boolean {
  const { ids, names, tags } = selection;
  const tagEntries = Object.entries(tags);
  if (ids.length === 0 && names.length === 0 && tagEntries.length === 0) return true;
  if (ids.includes(api.id as string) || names.includes(api.name as string)) return true;
  return tagEntries.length > 0 && tagEntries.every(([k, v]) => api.tags?.[k] === v);
}

/** API keys by natural key: the name, or `name#awsId` when two selected APIs share a name. */
function apiKeysByAwsId(apis: readonly RestApi[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const a of apis) count.set(a.name as string, (count.get(a.name as string) ?? 0) + 1);
  return new Map(
    apis.map((a) => {
      const name = a.name as string;
      return [a.id as string, (count.get(name) ?? 0) > 1 ? `${name}#${a.id}` : awsKeys.api(name)];
    }),
  );
}

function push(out: Collected, kind: AwsKind, e: Entity): void {
  const list = out.get(kind);
  if (list) list.push(e);
  else out.set(kind, [e]);
}

/** VPC links by natural key: the name, or `name#awsId` when two share a name (AWS allows it). */
function vpcLinkKeys(links: readonly VpcLink[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const l of links) count.set(l.name as string, (count.get(l.name as string) ?? 0) + 1);
  return new Map(
    links.map((l) => {
      const name = l.name as string;
      return [l.id as string, (count.get(name) ?? 0) > 1 ? `${name}#${l.id}` : name];
    }),
  );
}

/**
 * Client certificates by natural key: the description (the name the console lists them by), or
 * `description#awsId` when two share one, `#awsId` without one — those two cannot be matched again once
 * re-created (AWS gives the new one another id).
 */
function certificateKeys(certs: readonly ClientCertificate[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const c of certs) count.set(c.description ?? '', (count.get(c.description ?? '') ?? 0) + 1);
  return new Map(
    certs.map((c) => {
      const d = c.description ?? '';
      const id = c.clientCertificateId as string;
      return [id, d !== '' && count.get(d) === 1 ? d : `${d}#${id}`];
    }),
  );
}

async function dumpApi(
  client: APIGatewayClient,
  api: RestApi,
  key: string,
  out: Collected,
  linkKey: Map<string, string>,
  certKey: Map<string, string>,
  signal?: AbortSignal,
): Promise<void> {
  const restApiId = api.id as string;
  const opts = signal ? { abortSignal: signal } : {};
  push(out, 'restapis', copy('restapis', api, { id: key, awsId: restApiId }));
  const [authorizers, validators, models, responses, resources, stages, parts, versions] = await Promise.all([
    listAll((position) =>
      client.send(new GetAuthorizersCommand({ restApiId, position, limit: PAGE_LIMIT }), opts),
    ),
    listAll((position) =>
      client.send(new GetRequestValidatorsCommand({ restApiId, position, limit: PAGE_LIMIT }), opts),
    ),
    listAll((position) =>
      client.send(new GetModelsCommand({ restApiId, position, limit: PAGE_LIMIT }), opts),
    ),
    listAll((position) =>
      client.send(new GetGatewayResponsesCommand({ restApiId, position, limit: PAGE_LIMIT }), opts),
    ),
    listAll((position) =>
      client.send(
        new GetResourcesCommand({ restApiId, position, limit: PAGE_LIMIT, embed: ['methods'] }),
        opts,
      ),
    ),
    client.send(new GetStagesCommand({ restApiId }), opts).then((r) => r.item ?? []),
    listAll((position) =>
      client.send(new GetDocumentationPartsCommand({ restApiId, position, limit: PAGE_LIMIT }), opts),
    ),
    listAll((position) =>
      client.send(new GetDocumentationVersionsCommand({ restApiId, position, limit: PAGE_LIMIT }), opts),
    ),
  ]);
  const authorizerKey = new Map<string, string>();
  for (const a of authorizers) {
    const id = awsKeys.inApi(key, a.name as string);
    authorizerKey.set(a.id as string, id);
    const { id: awsId, ...rest } = a;
    push(out, 'authorizers', { ...rest, id, awsId: awsId as string, restApi: key });
  }
  const validatorKey = new Map<string, string>();
  for (const v of validators) {
    const id = awsKeys.inApi(key, v.name as string);
    validatorKey.set(v.id as string, id);
    const { id: awsId, ...rest } = v;
    push(out, 'request_validators', { ...rest, id, awsId: awsId as string, restApi: key });
  }
  for (const m of models) {
    const { id: awsId, ...rest } = m;
    push(out, 'models', {
      ...rest,
      id: awsKeys.inApi(key, m.name as string),
      awsId: awsId as string,
      restApi: key,
    });
  }
  for (const r of responses) {
    if (r.defaultResponse) continue;
    const { defaultResponse: _d, ...rest } = r;
    push(out, 'gateway_responses', {
      ...rest,
      id: awsKeys.inApi(key, r.responseType as string),
      restApi: key,
    });
  }
  const pathById = new Map(resources.map((r) => [r.id as string, r.path as string]));
  for (const r of resources) {
    const id = awsKeys.resource(key, r.path as string);
    const parentPath = r.parentId ? pathById.get(r.parentId) : undefined;
    const e: Entity = {
      id,
      awsId: r.id as string,
      restApi: key,
      parent: parentPath ? awsKeys.resource(key, parentPath) : null,
      path: r.path,
    };
    if (r.pathPart) e.pathPart = r.pathPart;
    push(out, 'resources', e);
    for (const [verb, m] of Object.entries(r.resourceMethods ?? {}))
      dumpMethod(out, id, verb, m, authorizerKey, validatorKey, linkKey);
  }
  for (const p of parts) {
    const location = Object.fromEntries(
      Object.entries(p.location ?? {}).filter(([, v]) => v !== undefined && v !== null),
    );
    push(out, 'documentation_parts', {
      id: awsKeys.documentationPart(key, location),
      awsId: p.id as string,
      restApi: key,
      location,
      properties: p.properties,
    });
  }
  for (const v of versions) {
    const e: Entity = {
      id: awsKeys.documentationVersion(key, v.version as string),
      restApi: key,
      version: v.version,
    };
    if (v.description) e.description = v.description;
    push(out, 'documentation_versions', e);
  }
  for (const s of stages) {
    const stage = copy('stages', s, { id: awsKeys.inApi(key, s.stageName as string), restApi: key });
    const cert = s.clientCertificateId ? certKey.get(s.clientCertificateId) : undefined;
    if (cert !== undefined) {
      delete stage.clientCertificateId;
      stage.clientCertificate = cert;
    }
    push(out, 'stages', stage);
  }
}

/**
 * One REST API as a dump reads it (keyed `key`), by kind: what apply.ts reads back after importing it.
 * `linkKey` and `certKey` name VPC links and client certificates by AWS id.
 */
export async function dumpOneApi(
  client: APIGatewayClient,
  restApiId: string,
  key: string,
  linkKey: Map<string, string>,
  certKey: Map<string, string>,
): Promise<Map<AwsKind, Entity[]>> {
  const api = await client.send(new GetRestApiCommand({ restApiId }));
  const out: Collected = new Map();
  await dumpApi(client, api, key, out, linkKey, certKey);
  return out;
}

function dumpMethod(
  out: Collected,
  resource: string,
  verb: string,
  m: Method,
  authorizerKey: Map<string, string>,
  validatorKey: Map<string, string>,
  linkKey: Map<string, string>,
): void {
  const id = awsKeys.method(resource, verb);
  const method = copy('methods', m, { id, resource });
  method.httpMethod = verb;
  if (m.authorizerId) method.authorizer = authorizerKey.get(m.authorizerId) ?? m.authorizerId;
  if (m.requestValidatorId)
    method.requestValidator = validatorKey.get(m.requestValidatorId) ?? m.requestValidatorId;
  push(out, 'methods', method);
  for (const [code, r] of Object.entries(m.methodResponses ?? {})) {
    push(out, 'method_responses', { ...r, statusCode: code, id: awsKeys.response(id, code), method: id });
  }
  const integration = m.methodIntegration;
  if (!integration) return;
  const e = copy('integrations', integration, { id, method: id });
  // a VPC link is named by its key; a stage variable (`${stageVariables.vpcLinkId}`) stays as it is
  const link = integration.connectionType === 'VPC_LINK' ? linkKey.get(e.connectionId as string) : undefined;
  if (link !== undefined) {
    delete e.connectionId;
    e.vpcLink = link;
  }
  push(out, 'integrations', e);
  for (const [code, r] of Object.entries(integration.integrationResponses ?? {})) {
    push(out, 'integration_responses', {
      ...r,
      statusCode: code,
      id: awsKeys.response(id, code),
      integration: id,
    });
  }
}

async function dumpAccount(
  client: APIGatewayClient,
  apiKeyOf: Map<string, string>,
  everything: boolean,
  out: Collected,
  signal?: AbortSignal,
): Promise<void> {
  const opts = signal ? { abortSignal: signal } : {};
  const [keys, plans, domains] = await Promise.all([
    listAll((position) =>
      client.send(new GetApiKeysCommand({ position, limit: PAGE_LIMIT, includeValues: true }), opts),
    ),
    listAll((position) => client.send(new GetUsagePlansCommand({ position, limit: PAGE_LIMIT }), opts)),
    listAll((position) => client.send(new GetDomainNamesCommand({ position, limit: PAGE_LIMIT }), opts)),
  ]);
  const keyName = new Map(keys.map((k) => [k.id as string, k.name as string]));
  const usedKeys = new Set<string>();
  for (const p of plans) {
    const stages = (p.apiStages ?? []).filter((s) => everything || apiKeyOf.has(s.apiId as string));
    if (!everything && stages.length === 0) continue;
    const id = p.name as string;
    const plan = copy('usage_plans', p, { id, awsId: p.id as string });
    plan.apiStages = stages.map((s) => ({ ...s, apiId: apiKeyOf.get(s.apiId as string) ?? s.apiId }));
    push(out, 'usage_plans', plan);
    const planKeys = await listAll((position) =>
      client.send(new GetUsagePlanKeysCommand({ usagePlanId: p.id, position, limit: PAGE_LIMIT }), opts),
    );
    for (const k of planKeys) {
      const name = keyName.get(k.id as string) ?? (k.name as string);
      usedKeys.add(k.id as string);
      push(out, 'usage_plan_keys', { id: awsKeys.usagePlanKey(id, name), usagePlan: id, apiKey: name });
    }
  }
  for (const k of keys) {
    if (!everything && !usedKeys.has(k.id as string)) continue;
    push(out, 'api_keys', copy('api_keys', k, { id: k.name as string, awsId: k.id as string }));
  }
  for (const d of domains) {
    const domain = d.domainName as string;
    const mappings = await listAll((position) =>
      client.send(new GetBasePathMappingsCommand({ domainName: domain, position, limit: PAGE_LIMIT }), opts),
    );
    const mine = mappings.filter((m) => everything || apiKeyOf.has(m.restApiId as string));
    if (!everything && mine.length === 0) continue;
    push(out, 'domain_names', copy('domain_names', d, { id: domain }));
    for (const m of mine) {
      const e: Entity = {
        id: awsKeys.basePathMapping(domain, m.basePath === '(none)' ? '' : (m.basePath as string)),
        domainName: domain,
        basePath: m.basePath,
        restApi: apiKeyOf.get(m.restApiId as string) ?? m.restApiId,
      };
      if (m.stage) e.stage = m.stage;
      push(out, 'base_path_mappings', e);
    }
  }
}

/** The kinds a dump covers: every AWS kind, or those of the sections asked for. */
export function dumpKinds(only: DumpOptions['only']): AwsKind[] {
  if (!only || only.length === 0) return [...AWS_KINDS];
  const wanted = new Set<EntityKind>(only.flatMap((s) => kindsOfSection(s)));
  return AWS_KINDS.filter((k) => wanted.has(k));
}

export async function dumpInto(
  client: APIGatewayClient,
  selection: AwsApiSelection,
  sink: SnapshotSink,
  options: DumpOptions = {},
): Promise<SnapshotMeta> {
  const signal = options.signal;
  const opts = signal ? { abortSignal: signal } : {};
  const kinds = dumpKinds(options.only);
  sink.begin?.(kinds);
  const all = await listAll((position) =>
    client.send(new GetRestApisCommand({ position, limit: PAGE_LIMIT }), opts),
  );
  const apis = all.filter((a) => selected(a, selection));
  for (const id of selection.ids) {
    if (!all.some((a) => a.id === id)) {
      throw new AwsGatewayError({
        code: 'gateway_error',
        message: `REST API ${id} (named in the connection's apis.ids) was not found in this account and region`,
        status: 404,
        retryable: false,
      });
    }
  }
  const apiKeyOf = apiKeysByAwsId(apis);
  const links = await listAll((position) =>
    client.send(new GetVpcLinksCommand({ position, limit: PAGE_LIMIT }), opts),
  );
  const linkKey = vpcLinkKeys(links);
  const certs = await listAll((position) =>
    client.send(new GetClientCertificatesCommand({ position, limit: PAGE_LIMIT }), opts),
  );
  const certKey = certificateKeys(certs);
  const out: Collected = new Map();
  let done = 0;
  await inPool(apis, options.parallelism ?? 4, async (api) => {
    await dumpApi(client, api, apiKeyOf.get(api.id as string) as string, out, linkKey, certKey, signal);
    options.onProgress?.({ kind: 'restapis', fetched: ++done, done: false });
  });
  const everything =
    selection.ids.length === 0 && selection.names.length === 0 && Object.keys(selection.tags).length === 0;
  await dumpAccount(client, apiKeyOf, everything, out, signal);
  // every VPC link of the account, or with a selection those its integrations go through
  const used = new Set((out.get('integrations') ?? []).map((i) => i.vpcLink));
  for (const l of links) {
    const id = linkKey.get(l.id as string) as string;
    if (everything || used.has(id))
      push(out, 'vpc_links', copy('vpc_links', l, { id, awsId: l.id as string }));
  }
  // every client certificate of the account, or with a selection those its stages present
  const presented = new Set((out.get('stages') ?? []).map((s) => s.clientCertificate));
  for (const c of certs) {
    const id = certKey.get(c.clientCertificateId as string) as string;
    if (!everything && !presented.has(id)) continue;
    const e: Entity = { id, awsId: c.clientCertificateId as string };
    if (c.description) e.description = c.description;
    if (c.tags && Object.keys(c.tags).length > 0) e.tags = c.tags;
    if (c.pemEncodedCertificate) e.pemEncodedCertificate = c.pemEncodedCertificate;
    if (c.expirationDate) e.expirationDate = c.expirationDate.toISOString();
    push(out, 'client_certificates', e);
  }
  const counts: SnapshotMeta['counts'] = {};
  for (const kind of kinds) {
    const list = out.get(kind) ?? [];
    if (list.length > 0) sink.add(kind, list);
    const n = sink.close(kind);
    counts[kind] = n;
    options.onProgress?.({ kind, fetched: n, done: true });
  }
  return {
    format: 1,
    gateway: 'aws-apigateway',
    kongVersion: AWS_VERSION,
    edition: 'managed',
    database: 'unknown',
    workspace: null,
    takenAt: options.takenAt ?? new Date().toISOString(),
    counts,
  };
}
