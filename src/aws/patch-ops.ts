/**
 * Updates as API Gateway's PATCH operations: the difference between the live entity and the target,
 * member by member, in the paths the service takes (`/name`, `/requestParameters/<key>`,
 * `/binaryMediaTypes/image~1png`, `/throttle/rateLimit`, a stage's `/~1pets/GET/logging/loglevel`, a usage
 * plan's `/apiStages` `<apiId>:<stage>`). Values are strings, as the service takes them. References
 * (`authorizer`, `requestValidator`, `restApi` of a mapping) are written as the ids `resolve` gives.
 */
import type { AwsKind, Entity } from '../core/index.ts';

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: string;
}

type Shape = 'scalar' | 'map' | 'set' | 'object' | 'methodSettings' | 'apiStages';

/** What each kind's PATCH takes; a kind not here is written whole (PUT) or cannot change in place. */
export const PATCHABLE: Partial<Record<AwsKind, Readonly<Record<string, Shape>>>> = {
  restapis: {
    description: 'scalar',
    version: 'scalar',
    binaryMediaTypes: 'set',
    minimumCompressionSize: 'scalar',
    apiKeySource: 'scalar',
    endpointConfiguration: 'object',
    policy: 'scalar',
    disableExecuteApiEndpoint: 'scalar',
  },
  methods: {
    authorizationType: 'scalar',
    authorizerId: 'scalar',
    apiKeyRequired: 'scalar',
    requestValidatorId: 'scalar',
    operationName: 'scalar',
    requestParameters: 'map',
    requestModels: 'map',
    authorizationScopes: 'set',
  },
  method_responses: { responseParameters: 'map', responseModels: 'map' },
  models: { description: 'scalar', schema: 'scalar' },
  documentation_parts: { properties: 'scalar' },
  documentation_versions: { description: 'scalar' },
  // a VPC link's target NLB cannot change in place (UpdateVpcLink takes /name and /description)
  vpc_links: { description: 'scalar' },
  request_validators: { validateRequestBody: 'scalar', validateRequestParameters: 'scalar' },
  authorizers: {
    type: 'scalar',
    providerARNs: 'set',
    authType: 'scalar',
    authorizerUri: 'scalar',
    authorizerCredentials: 'scalar',
    identitySource: 'scalar',
    identityValidationExpression: 'scalar',
    authorizerResultTtlInSeconds: 'scalar',
  },
  stages: {
    description: 'scalar',
    cacheClusterEnabled: 'scalar',
    cacheClusterSize: 'scalar',
    variables: 'map',
    methodSettings: 'methodSettings',
    accessLogSettings: 'object',
    canarySettings: 'object',
    tracingEnabled: 'scalar',
    clientCertificateId: 'scalar',
    documentationVersion: 'scalar',
    webAclArn: 'scalar',
  },
  api_keys: { name: 'scalar', description: 'scalar', enabled: 'scalar', customerId: 'scalar' },
  usage_plans: {
    description: 'scalar',
    productCode: 'scalar',
    throttle: 'object',
    quota: 'object',
    apiStages: 'apiStages',
  },
  domain_names: {
    certificateName: 'scalar',
    certificateArn: 'scalar',
    regionalCertificateName: 'scalar',
    regionalCertificateArn: 'scalar',
    endpointConfiguration: 'object',
    securityPolicy: 'scalar',
    mutualTlsAuthentication: 'object',
  },
  base_path_mappings: { restapiId: 'scalar', stage: 'scalar' },
  client_certificates: { description: 'scalar' },
};

/**
 * Kinds whose `tags` are written by TagResource / UntagResource on the entity's ARN (no PATCH path takes
 * them): `writes.ts` diffs them apart from the PATCH.
 */
export const TAGGABLE: ReadonlySet<AwsKind> = new Set([
  'restapis',
  'stages',
  'usage_plans',
  'api_keys',
  'domain_names',
  'vpc_links',
  'client_certificates',
]);

const escapeSegment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const present = (v: unknown) => v !== undefined && v !== null;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A stage's MethodSetting members and the patch path under `/{resource path}/{verb}/` that sets each. */
const METHOD_SETTING_PATHS: Record<string, string> = {
  metricsEnabled: 'metrics/enabled',
  loggingLevel: 'logging/loglevel',
  dataTraceEnabled: 'logging/dataTrace',
  throttlingBurstLimit: 'throttling/burstLimit',
  throttlingRateLimit: 'throttling/rateLimit',
  cachingEnabled: 'caching/enabled',
  cacheTtlInSeconds: 'caching/ttlInSeconds',
  cacheDataEncrypted: 'caching/dataEncrypted',
  requireAuthorizationForCacheControl: 'caching/requireAuthorizationForCacheControl',
  unauthorizedCacheControlHeaderStrategy: 'caching/unauthorizedCacheControlHeaderStrategy',
};

function leafOps(path: string, before: unknown, after: unknown, out: PatchOperation[]): void {
  if (after !== null && typeof after === 'object') {
    const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    for (const k of Object.keys(a)) leafOps(`${path}/${escapeSegment(k)}`, b[k], a[k], out);
    for (const k of Object.keys(b))
      if (!(k in a)) out.push({ op: 'remove', path: `${path}/${escapeSegment(k)}` });
    return;
  }
  if (same(before, after)) return;
  if (present(after)) out.push({ op: 'replace', path, value: String(after) });
  else if (present(before)) out.push({ op: 'remove', path });
}

function methodSettingsOps(before: unknown, after: unknown, out: PatchOperation[]): void {
  const b = (before ?? {}) as Record<string, Record<string, unknown>>;
  const a = (after ?? {}) as Record<string, Record<string, unknown>>;
  const pathOf = (key: string) => {
    const at = key.lastIndexOf('/');
    const resource = key.slice(0, at);
    const verb = key.slice(at + 1);
    return `/${resource === '*' ? '*' : escapeSegment(`/${resource}`)}/${verb}`;
  };
  for (const key of Object.keys(a)) {
    const cur = b[key] ?? {};
    for (const [member, value] of Object.entries(a[key] ?? {})) {
      const sub = METHOD_SETTING_PATHS[member];
      if (sub && !same(cur[member], value) && present(value)) {
        out.push({ op: 'replace', path: `${pathOf(key)}/${sub}`, value: String(value) });
      }
    }
  }
  for (const key of Object.keys(b)) if (!(key in a)) out.push({ op: 'remove', path: pathOf(key) });
}

function apiStagesOps(before: unknown, after: unknown, out: PatchOperation[]): void {
  const key = (s: { apiId?: unknown; stage?: unknown }) => `${String(s.apiId)}:${String(s.stage)}`;
  const b = new Set(((before ?? []) as { apiId?: unknown; stage?: unknown }[]).map(key));
  const a = new Set(((after ?? []) as { apiId?: unknown; stage?: unknown }[]).map(key));
  for (const s of a) if (!b.has(s)) out.push({ op: 'add', path: '/apiStages', value: s });
  for (const s of b) if (!a.has(s)) out.push({ op: 'remove', path: '/apiStages', value: s });
}

/**
 * The operations turning `before` into `after` (both in the service's member names and ids), or null
 * when a member that differs cannot be patched (the caller re-creates or refuses).
 */
export function patchOperations(
  kind: AwsKind,
  before: Entity,
  after: Entity,
  ignore: ReadonlySet<string>,
): PatchOperation[] | null {
  const shapes = PATCHABLE[kind];
  if (!shapes) return null;
  const out: PatchOperation[] = [];
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const f of fields) {
    if (ignore.has(f) || same(before[f], after[f])) continue;
    const shape = shapes[f];
    if (!shape) {
      if (!present(before[f]) && !present(after[f])) continue;
      return null;
    }
    const b = before[f];
    const a = after[f];
    switch (shape) {
      case 'scalar':
        if (present(a)) out.push({ op: 'replace', path: `/${f}`, value: String(a) });
        else out.push({ op: 'replace', path: `/${f}` });
        break;
      case 'map': {
        const bm = (b ?? {}) as Record<string, unknown>;
        const am = (a ?? {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(am)) {
          if (!(k in bm)) out.push({ op: 'add', path: `/${f}/${escapeSegment(k)}`, value: String(v) });
          else if (!same(bm[k], v))
            out.push({ op: 'replace', path: `/${f}/${escapeSegment(k)}`, value: String(v) });
        }
        for (const k of Object.keys(bm))
          if (!(k in am)) out.push({ op: 'remove', path: `/${f}/${escapeSegment(k)}` });
        break;
      }
      case 'set': {
        const bs = new Set((b ?? []) as string[]);
        const as = new Set((a ?? []) as string[]);
        for (const x of as) if (!bs.has(x)) out.push({ op: 'add', path: `/${f}/${escapeSegment(x)}` });
        for (const x of bs) if (!as.has(x)) out.push({ op: 'remove', path: `/${f}/${escapeSegment(x)}` });
        break;
      }
      case 'object':
        leafOps(`/${f}`, b, a ?? {}, out);
        break;
      case 'methodSettings':
        methodSettingsOps(b, a, out);
        break;
      case 'apiStages':
        apiStagesOps(b, a, out);
        break;
    }
  }
  return out;
}
