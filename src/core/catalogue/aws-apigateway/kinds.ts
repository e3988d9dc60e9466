/**
 * AWS API Gateway kinds (REST APIs; shapes from the service model `apigateway` 2015-07-09, as
 * @aws-sdk/client-api-gateway calls it). Ids and references are natural keys (`keys.ts`); `awsId` is what
 * AWS assigned. Dependency levels, created top-down and deleted bottom-up:
 *
 *   L1  restapis  api_keys  domain_names  vpc_links  client_certificates
 *        │
 *   L2  resources (parent first: a parent's key prefixes its children's)  models  request_validators
 *        │        authorizers  gateway_responses
 *   L3  methods (→ resource, authorizer, request validator)
 *   L4  method_responses  integrations (→ a VPC link)
 *   L5  integration_responses  documentation_parts (after what their locations name)
 *   L6  documentation_versions (a version copies the parts there are when it is made)  stages (→ a
 *       deployment the restore makes after L1-L5, and the documentation version they name)
 *   L7  usage_plans (→ API stages)  base_path_mappings (→ domain, API, stage)
 *   L8  usage_plan_keys (→ usage plan, API key)
 *
 * Deployments are not entities of the snapshot: a deployment is a frozen copy of an API at one time, which
 * no API call can write back; a restore ends with one new deployment per changed API that its stages point
 * at (`deploymentId` is an assigned field of a stage).
 */
import type { Entity, ForeignKey, KindDef } from '../types.ts';
import { parseResourceKey } from './keys.ts';
import type { AwsKind } from './names.ts';

const ASSIGNED = ['awsId'] as const;

function fk(field: string, references: AwsKind, required = true): ForeignKey {
  // AWS deletes an API's resources, methods, stages… with it (DeleteRestApi); the plan deletes them
  // explicitly anyway, bottom-up, and the applier takes a child already gone as deleted.
  return { field, references, onDelete: 'cascade', required };
}

function str(e: Entity, field: string): string {
  const v = e[field];
  return typeof v === 'string' && v.length > 0 ? v : '';
}

/**
 * Labels read as the AWS console's breadcrumbs do (API › resource path › method), so a card says
 * `update integration petstore › /pets › GET` and `delete stage petstore › staging`, never an id.
 */
const CRUMB = ' › ';

/** `petstore › /pets › GET`, `petstore › /pets › GET › 200` from a method-or-below key. */
function methodLabel(key: string): string {
  const { api, path, rest } = parseResourceKey(key);
  return [api, path, ...rest].join(CRUMB);
}

function inApiLabel(field: string): (e: Entity) => string {
  return (e) => {
    const api = parseApi(e.id);
    const own = str(e, field) || e.id;
    return api ? `${api}${CRUMB}${own}` : own;
  };
}

function inApiParts(id: string): { api: string; name: string } {
  const at = id.indexOf(':doc ');
  return at < 0 ? { api: '', name: id } : { api: id.slice(0, at), name: id.slice(at + 1) };
}

function parseApi(id: string): string {
  const at = id.lastIndexOf(':');
  return at < 0 ? '' : id.slice(0, at);
}

function def(
  kind: AwsKind,
  section: KindDef['section'],
  level: number,
  rest: Partial<KindDef> & Pick<KindDef, 'naturalKey' | 'label'>,
): KindDef {
  return {
    kind,
    section,
    level,
    unique: [],
    foreignKeys: [],
    secretFields: [],
    hashedFields: [],
    setFields: [],
    defaults: {},
    readOnlyFields: [],
    assignedFields: ASSIGNED,
    enterprise: false,
    deckKey: '',
    ...rest,
  };
}

export const AWS_CATALOGUE_DEFS: Readonly<Record<AwsKind, KindDef>> = {
  restapis: def('restapis', 'apis', 1, {
    naturalKey: ['name'],
    defaults: {
      apiKeySource: 'HEADER',
      endpointConfiguration: { types: ['EDGE'] },
      disableExecuteApiEndpoint: false,
    },
    setFields: ['binaryMediaTypes'],
    readOnlyFields: ['createdDate', 'warnings', 'rootResourceId'],
    label: (e) => str(e, 'name') || e.id,
  }),
  resources: def('resources', 'apis', 2, {
    naturalKey: ['restApi', 'path'],
    foreignKeys: [fk('restApi', 'restapis'), fk('parent', 'resources', false)],
    readOnlyFields: ['resourceMethods'],
    label: (e) => {
      const { api, path } = parseResourceKey(e.id);
      return `${api}${CRUMB}${str(e, 'path') || path}`;
    },
  }),
  models: def('models', 'apis', 2, {
    naturalKey: ['restApi', 'name'],
    foreignKeys: [fk('restApi', 'restapis')],
    label: inApiLabel('name'),
  }),
  request_validators: def('request_validators', 'apis', 2, {
    naturalKey: ['restApi', 'name'],
    defaults: { validateRequestBody: false, validateRequestParameters: false },
    foreignKeys: [fk('restApi', 'restapis')],
    label: inApiLabel('name'),
  }),
  authorizers: def('authorizers', 'apis', 2, {
    naturalKey: ['restApi', 'name'],
    foreignKeys: [fk('restApi', 'restapis')],
    setFields: ['providerARNs'],
    label: inApiLabel('name'),
  }),
  gateway_responses: def('gateway_responses', 'apis', 2, {
    naturalKey: ['restApi', 'responseType'],
    foreignKeys: [fk('restApi', 'restapis')],
    readOnlyFields: ['defaultResponse'],
    label: inApiLabel('responseType'),
  }),
  methods: def('methods', 'apis', 3, {
    naturalKey: ['resource', 'httpMethod'],
    foreignKeys: [
      fk('resource', 'resources'),
      { ...fk('authorizer', 'authorizers', false), onDelete: 'restrict' },
      { ...fk('requestValidator', 'request_validators', false), onDelete: 'restrict' },
    ],
    setFields: ['authorizationScopes'],
    defaults: { apiKeyRequired: false },
    readOnlyFields: ['methodResponses', 'methodIntegration'],
    assignedFields: [],
    label: (e) => methodLabel(e.id),
  }),
  method_responses: def('method_responses', 'apis', 4, {
    naturalKey: ['method', 'statusCode'],
    foreignKeys: [fk('method', 'methods')],
    assignedFields: [],
    label: (e) => methodLabel(e.id),
  }),
  integrations: def('integrations', 'apis', 4, {
    naturalKey: ['method'],
    // `vpcLink`: the VPC link a `connectionType: VPC_LINK` integration goes through (its `connectionId`)
    foreignKeys: [fk('method', 'methods'), { ...fk('vpcLink', 'vpc_links', false), onDelete: 'restrict' }],
    setFields: ['cacheKeyParameters'],
    defaults: { passthroughBehavior: 'WHEN_NO_MATCH', connectionType: 'INTERNET', timeoutInMillis: 29000 },
    readOnlyFields: ['integrationResponses'],
    // AWS fills `cacheNamespace` with the resource's id when a write leaves it out: assigned, like the id
    assignedFields: ['cacheNamespace'],
    label: (e) => methodLabel(e.id),
  }),
  integration_responses: def('integration_responses', 'apis', 5, {
    naturalKey: ['integration', 'statusCode'],
    foreignKeys: [fk('integration', 'integrations')],
    assignedFields: [],
    label: (e) => methodLabel(e.id),
  }),
  documentation_parts: def('documentation_parts', 'apis', 5, {
    naturalKey: ['restApi', 'location'],
    foreignKeys: [fk('restApi', 'restapis')],
    label: (e) => {
      const { api, name } = inApiParts(e.id);
      return [api, 'documentation', name.replace(/^doc /, '')].join(CRUMB);
    },
  }),
  documentation_versions: def('documentation_versions', 'apis', 6, {
    naturalKey: ['restApi', 'version'],
    foreignKeys: [fk('restApi', 'restapis')],
    // (its `createdDate` is not kept: a re-created version is made at restore time)
    // a version has no id of its own: its version string is its key
    assignedFields: [],
    label: (e) => [parseApi(e.id), 'documentation', str(e, 'version')].join(CRUMB),
  }),
  stages: def('stages', 'stages', 6, {
    naturalKey: ['restApi', 'stageName'],
    // `clientCertificate`: the certificate the stage presents to its backends (its `clientCertificateId`)
    foreignKeys: [
      fk('restApi', 'restapis'),
      { ...fk('clientCertificate', 'client_certificates', false), onDelete: 'restrict' },
    ],
    defaults: { cacheClusterEnabled: false, tracingEnabled: false, methodSettings: {} },
    readOnlyFields: ['createdDate', 'lastUpdatedDate', 'cacheClusterStatus'],
    assignedFields: ['deploymentId'],
    label: inApiLabel('stageName'),
  }),
  api_keys: def('api_keys', 'api_keys', 1, {
    naturalKey: ['name'],
    secretFields: ['value'],
    defaults: { enabled: false },
    readOnlyFields: ['createdDate', 'lastUpdatedDate', 'stageKeys'],
    label: (e) => str(e, 'name') || e.id,
  }),
  usage_plans: def('usage_plans', 'usage_plans', 7, {
    naturalKey: ['name'],
    defaults: { apiStages: [] },
    label: (e) => str(e, 'name') || e.id,
  }),
  usage_plan_keys: def('usage_plan_keys', 'usage_plans', 8, {
    naturalKey: ['usagePlan', 'apiKey'],
    foreignKeys: [fk('usagePlan', 'usage_plans'), fk('apiKey', 'api_keys')],
    assignedFields: [],
    label: (e) => `${str(e, 'usagePlan')}${CRUMB}${str(e, 'apiKey')}`,
  }),
  domain_names: def('domain_names', 'domain_names', 1, {
    naturalKey: ['domainName'],
    defaults: { endpointConfiguration: { types: ['EDGE'] }, securityPolicy: 'TLS_1_2' },
    readOnlyFields: [
      'regionalDomainName',
      'regionalHostedZoneId',
      'distributionDomainName',
      'distributionHostedZoneId',
      'domainNameStatus',
      'domainNameStatusMessage',
      'certificateUploadDate',
    ],
    assignedFields: [],
    label: (e) => str(e, 'domainName') || e.id,
  }),
  base_path_mappings: def('base_path_mappings', 'domain_names', 7, {
    naturalKey: ['domainName', 'basePath'],
    foreignKeys: [fk('domainName', 'domain_names'), fk('restApi', 'restapis')],
    assignedFields: [],
    label: (e) => {
      const at = e.id.indexOf(':');
      return at < 0 ? e.id : `${e.id.slice(0, at)}${CRUMB}${e.id.slice(at + 1)}`;
    },
  }),
  client_certificates: def('client_certificates', 'client_certificates', 1, {
    naturalKey: ['description'],
    // AWS makes the key pair: a re-created certificate is a new one (new PEM, new expiry), kept aside
    assignedFields: ['awsId', 'pemEncodedCertificate', 'expirationDate'],
    label: (e) => str(e, 'description') || e.id,
  }),
  vpc_links: def('vpc_links', 'vpc_links', 1, {
    naturalKey: ['name'],
    setFields: ['targetArns'],
    readOnlyFields: ['status', 'statusMessage'],
    label: (e) => str(e, 'name') || e.id,
  }),
};
