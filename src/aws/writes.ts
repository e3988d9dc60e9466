/**
 * One plan step as API Gateway calls: creates through each kind's Create/Put operation with references
 * turned into the ids the service takes (recording the ids it assigns), updates as PATCH operations
 * (integrations, integration responses and gateway responses are written whole with their Put operation,
 * which replaces them), deletes through each kind's Delete operation.
 */
import {
  type APIGatewayClient,
  CreateApiKeyCommand,
  CreateAuthorizerCommand,
  CreateBasePathMappingCommand,
  CreateDocumentationPartCommand,
  CreateDocumentationVersionCommand,
  CreateDomainNameCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  CreateVpcLinkCommand,
  DeleteApiKeyCommand,
  DeleteAuthorizerCommand,
  DeleteBasePathMappingCommand,
  DeleteClientCertificateCommand,
  DeleteDocumentationPartCommand,
  DeleteDocumentationVersionCommand,
  DeleteDomainNameCommand,
  DeleteGatewayResponseCommand,
  DeleteIntegrationCommand,
  DeleteIntegrationResponseCommand,
  DeleteMethodCommand,
  DeleteMethodResponseCommand,
  DeleteModelCommand,
  DeleteRequestValidatorCommand,
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  DeleteUsagePlanCommand,
  DeleteUsagePlanKeyCommand,
  DeleteVpcLinkCommand,
  GenerateClientCertificateCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiKeyCommand,
  UpdateAuthorizerCommand,
  UpdateBasePathMappingCommand,
  UpdateClientCertificateCommand,
  UpdateDocumentationPartCommand,
  UpdateDocumentationVersionCommand,
  UpdateDomainNameCommand,
  UpdateMethodCommand,
  UpdateMethodResponseCommand,
  UpdateModelCommand,
  UpdateRequestValidatorCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
  UpdateUsagePlanCommand,
  UpdateVpcLinkCommand,
} from '@aws-sdk/client-api-gateway';
import { type AwsKind, CATALOGUE, type Entity, NO_BASE_PATH } from '../core/index.ts';
import { type IdMap, inApiParts, methodParts, splitLast } from './ids.ts';
import { type PatchOperation, patchOperations, TAGGABLE } from './patch-ops.ts';

type Body = Record<string, unknown>;

function without(e: Entity, ...fields: string[]): Body {
  const out: Body = { ...e };
  for (const f of ['id', 'awsId', ...fields]) delete out[f];
  return out;
}

/** A target or live entity in the service's own member names and ids (for comparing and writing). */
export function toService(kind: AwsKind, e: Entity, ids: IdMap): Body {
  switch (kind) {
    case 'methods': {
      const out = without(e, 'resource', 'authorizer', 'requestValidator');
      if (typeof e.authorizer === 'string') out.authorizerId = ids.need('authorizers', e.authorizer);
      if (typeof e.requestValidator === 'string') {
        out.requestValidatorId = ids.need('request_validators', e.requestValidator);
      }
      return out;
    }
    // an API the dump could not name (deleted, or outside the selection) is held by its AWS id
    case 'usage_plans':
      return {
        ...without(e),
        apiStages: ((e.apiStages ?? []) as Body[]).map((s) => ({
          ...s,
          apiId: ids.get('restapis', s.apiId as string) ?? s.apiId,
        })),
      };
    case 'base_path_mappings':
      return { restapiId: ids.get('restapis', e.restApi as string) ?? e.restApi, stage: e.stage };
    case 'stages': {
      const out = without(e, 'restApi', 'deploymentId', 'clientCertificate');
      // a certificate the dump could not name is held by its AWS id
      if (typeof e.clientCertificate === 'string')
        out.clientCertificateId = ids.get('client_certificates', e.clientCertificate) ?? e.clientCertificate;
      return out;
    }
    case 'client_certificates':
      return without(e, 'pemEncodedCertificate', 'expirationDate');
    case 'integrations': {
      const out = without(e, 'method', 'cacheNamespace', 'vpcLink');
      // a VPC link the dump could not name (outside the account's links) is held by its AWS id
      if (typeof e.vpcLink === 'string') out.connectionId = ids.get('vpc_links', e.vpcLink) ?? e.vpcLink;
      return out;
    }
    default:
      return without(e, 'restApi', 'method', 'integration', 'parent', 'deploymentId', 'cacheNamespace');
  }
}

export interface StepContext {
  client: APIGatewayClient;
  ids: IdMap;
  /** the live entity before this step (updates, deletes) */
  before: Entity | undefined;
  /** a deployment of the step's API, made on first need (a stage cannot be created without one) */
  deploymentFor(apiKey: string): Promise<string>;
}

/** Creates the entity; returns the id AWS assigned, if it assigns one. */
export async function create(kind: AwsKind, e: Entity, ctx: StepContext): Promise<string | null> {
  const { client, ids } = ctx;
  const b = toService(kind, e, ids);
  switch (kind) {
    case 'restapis': {
      const api = await client.send(new CreateRestApiCommand(b as never));
      ids.set('resources', `${e.id}:/`, api.rootResourceId as string);
      return api.id as string;
    }
    case 'resources': {
      if (e.parent === null || e.parent === undefined) {
        // the root resource comes with its API
        return ids.need('resources', e.id);
      }
      const r = await client.send(
        new CreateResourceCommand({
          restApiId: ids.need('restapis', e.restApi as string),
          parentId: ids.need('resources', e.parent as string),
          pathPart: e.pathPart as string,
        }),
      );
      return r.id as string;
    }
    case 'methods': {
      const { api, resource, verb } = methodParts(e.id);
      await client.send(
        new PutMethodCommand({
          ...b,
          restApiId: ids.need('restapis', api),
          resourceId: ids.need('resources', resource),
          httpMethod: verb,
        } as never),
      );
      return null;
    }
    case 'method_responses':
    case 'integration_responses': {
      const [method, statusCode] = splitLast(e.id);
      const { api, resource, verb } = methodParts(method);
      const where = {
        restApiId: ids.need('restapis', api),
        resourceId: ids.need('resources', resource),
        httpMethod: verb,
        statusCode,
      };
      if (kind === 'method_responses')
        await client.send(new PutMethodResponseCommand({ ...b, ...where } as never));
      else await client.send(new PutIntegrationResponseCommand({ ...b, ...where } as never));
      return null;
    }
    case 'integrations': {
      const { api, resource, verb } = methodParts(e.id);
      const { httpMethod, ...rest } = b;
      await client.send(
        new PutIntegrationCommand({
          ...rest,
          ...(httpMethod ? { integrationHttpMethod: httpMethod } : {}),
          restApiId: ids.need('restapis', api),
          resourceId: ids.need('resources', resource),
          httpMethod: verb,
        } as never),
      );
      return null;
    }
    case 'models': {
      const m = await client.send(
        new CreateModelCommand({ ...b, restApiId: ids.need('restapis', e.restApi as string) } as never),
      );
      return m.id as string;
    }
    case 'request_validators': {
      const v = await client.send(
        new CreateRequestValidatorCommand({
          ...b,
          restApiId: ids.need('restapis', e.restApi as string),
        } as never),
      );
      return v.id as string;
    }
    case 'authorizers': {
      const a = await client.send(
        new CreateAuthorizerCommand({ ...b, restApiId: ids.need('restapis', e.restApi as string) } as never),
      );
      return a.id as string;
    }
    case 'documentation_parts': {
      const part = await client.send(
        new CreateDocumentationPartCommand({
          restApiId: ids.need('restapis', e.restApi as string),
          location: e.location as never,
          properties: e.properties as string,
        }),
      );
      return part.id as string;
    }
    case 'documentation_versions':
      // made from the parts there are now: the restore has put the backup's parts back first (L5)
      await client.send(
        new CreateDocumentationVersionCommand({
          restApiId: ids.need('restapis', e.restApi as string),
          documentationVersion: e.version as string,
          ...(typeof e.description === 'string' ? { description: e.description } : {}),
        }),
      );
      return null;
    case 'gateway_responses':
      await client.send(
        new PutGatewayResponseCommand({
          ...b,
          restApiId: ids.need('restapis', e.restApi as string),
        } as never),
      );
      return null;
    case 'stages': {
      const deploymentId = await ctx.deploymentFor(e.restApi as string);
      const { methodSettings, clientCertificateId, accessLogSettings, ...rest } = b;
      await client.send(
        new CreateStageCommand({
          ...rest,
          restApiId: ids.need('restapis', e.restApi as string),
          deploymentId,
        } as never),
      );
      // method settings, the client certificate and access logging are not CreateStage members: patched in
      const ops = patchOperations(
        'stages',
        { id: e.id },
        { id: e.id, methodSettings, clientCertificateId, accessLogSettings },
        new Set(['id']),
      );
      if (ops && ops.length > 0) await patchStage(ctx, e, ops);
      return null;
    }
    case 'api_keys': {
      const k = await client.send(new CreateApiKeyCommand(b as never));
      return k.id as string;
    }
    case 'usage_plans': {
      const p = await client.send(new CreateUsagePlanCommand(b as never));
      return p.id as string;
    }
    case 'usage_plan_keys':
      await client.send(
        new CreateUsagePlanKeyCommand({
          usagePlanId: ids.need('usage_plans', e.usagePlan as string),
          keyId: ids.need('api_keys', e.apiKey as string),
          keyType: 'API_KEY',
        }),
      );
      return null;
    case 'domain_names':
      await client.send(new CreateDomainNameCommand(b as never));
      return null;
    case 'vpc_links': {
      const link = await client.send(new CreateVpcLinkCommand(b as never));
      return link.id as string;
    }
    case 'client_certificates': {
      // a new certificate: AWS generates its key pair, so its PEM differs from the one backed up
      const cert = await client.send(new GenerateClientCertificateCommand(b as never));
      return cert.clientCertificateId as string;
    }
    case 'base_path_mappings': {
      const basePath = e.basePath === NO_BASE_PATH ? undefined : (e.basePath as string);
      await client.send(
        new CreateBasePathMappingCommand({
          domainName: e.domainName as string,
          restApiId: b.restapiId as string,
          ...(basePath ? { basePath } : {}),
          ...(b.stage ? { stage: b.stage as string } : {}),
        }),
      );
      return null;
    }
  }
}

async function patchStage(ctx: StepContext, e: Entity, ops: PatchOperation[]): Promise<void> {
  const { name } = inApiParts(e.id);
  await ctx.client.send(
    new UpdateStageCommand({
      restApiId: ctx.ids.need('restapis', e.restApi as string),
      stageName: name,
      patchOperations: ops,
    }),
  );
}

export class NotUpdatableError extends Error {
  constructor(kind: AwsKind, key: string) {
    super(
      `${CATALOGUE[kind].kind} ${key}: a member that changed cannot be updated in place by API Gateway (delete it and restore again)`,
    );
    this.name = 'NotUpdatableError';
  }
}

/** The path of a taggable entity's ARN, `arn:aws:apigateway:{region}::{path}` (TagResource's resource). */
function arnPath(kind: AwsKind, e: Entity, ids: IdMap): string {
  switch (kind) {
    case 'restapis':
      return `/restapis/${ids.need('restapis', e.id)}`;
    case 'stages':
      return `/restapis/${ids.need('restapis', e.restApi as string)}/stages/${e.stageName as string}`;
    case 'usage_plans':
      return `/usageplans/${ids.need('usage_plans', e.id)}`;
    case 'api_keys':
      return `/apikeys/${ids.need('api_keys', e.id)}`;
    case 'domain_names':
      return `/domainnames/${e.domainName as string}`;
    case 'vpc_links':
      return `/vpclinks/${ids.need('vpc_links', e.id)}`;
    case 'client_certificates':
      return `/clientcertificates/${ids.need('client_certificates', e.id)}`;
    default:
      throw new NotUpdatableError(kind, e.id);
  }
}

type Tags = Record<string, string>;

/** The live entity's tags made the target's: TagResource for what is new or changed, UntagResource for the rest. */
async function writeTags(kind: AwsKind, e: Entity, before: Tags, after: Tags, ctx: StepContext) {
  const put: Tags = {};
  for (const [k, v] of Object.entries(after)) if (before[k] !== v) put[k] = v;
  const gone = Object.keys(before).filter((k) => !(k in after));
  if (Object.keys(put).length === 0 && gone.length === 0) return;
  const resourceArn = `arn:aws:apigateway:${await ctx.client.config.region()}::${arnPath(kind, e, ctx.ids)}`;
  if (Object.keys(put).length > 0) await ctx.client.send(new TagResourceCommand({ resourceArn, tags: put }));
  if (gone.length > 0) await ctx.client.send(new UntagResourceCommand({ resourceArn, tagKeys: gone }));
}

/** Updates the live entity to `e`. */
export async function update(kind: AwsKind, e: Entity, ctx: StepContext): Promise<void> {
  const { client, ids } = ctx;
  if (kind === 'integrations' || kind === 'integration_responses' || kind === 'gateway_responses') {
    await create(kind, e, ctx);
    return;
  }
  const before = ctx.before ? toService(kind, ctx.before, ids) : {};
  const after = toService(kind, e, ids);
  if (TAGGABLE.has(kind)) {
    await writeTags(kind, e, (before.tags ?? {}) as Tags, (after.tags ?? {}) as Tags, ctx);
    delete before.tags;
    delete after.tags;
  }
  // the members that make up the natural key cannot differ between the two (they name the same entity)
  const ignore = new Set([
    'name',
    'stageName',
    'domainName',
    'httpMethod',
    'statusCode',
    'responseType',
    'path',
    'pathPart',
    'basePath',
    'location',
    'version',
  ]);
  const ops = patchOperations(kind, before as Entity, after as Entity, ignore);
  if (ops === null) throw new NotUpdatableError(kind, e.id);
  if (ops.length === 0) return;
  const patchOperationsArg = { patchOperations: ops };
  switch (kind) {
    case 'restapis':
      await client.send(
        new UpdateRestApiCommand({ restApiId: ids.need('restapis', e.id), ...patchOperationsArg }),
      );
      return;
    case 'methods': {
      const { api, resource, verb } = methodParts(e.id);
      await client.send(
        new UpdateMethodCommand({
          restApiId: ids.need('restapis', api),
          resourceId: ids.need('resources', resource),
          httpMethod: verb,
          ...patchOperationsArg,
        }),
      );
      return;
    }
    case 'method_responses': {
      const [method, statusCode] = splitLast(e.id);
      const { api, resource, verb } = methodParts(method);
      await client.send(
        new UpdateMethodResponseCommand({
          restApiId: ids.need('restapis', api),
          resourceId: ids.need('resources', resource),
          httpMethod: verb,
          statusCode,
          ...patchOperationsArg,
        }),
      );
      return;
    }
    case 'models':
      await client.send(
        new UpdateModelCommand({
          restApiId: ids.need('restapis', e.restApi as string),
          modelName: e.name as string,
          ...patchOperationsArg,
        }),
      );
      return;
    case 'request_validators':
      await client.send(
        new UpdateRequestValidatorCommand({
          restApiId: ids.need('restapis', e.restApi as string),
          requestValidatorId: ids.need('request_validators', e.id),
          ...patchOperationsArg,
        }),
      );
      return;
    case 'authorizers':
      await client.send(
        new UpdateAuthorizerCommand({
          restApiId: ids.need('restapis', e.restApi as string),
          authorizerId: ids.need('authorizers', e.id),
          ...patchOperationsArg,
        }),
      );
      return;
    case 'stages':
      await patchStage(ctx, e, ops);
      return;
    case 'documentation_parts':
      await client.send(
        new UpdateDocumentationPartCommand({
          restApiId: ids.need('restapis', e.restApi as string),
          documentationPartId: ids.need('documentation_parts', e.id),
          ...patchOperationsArg,
        }),
      );
      return;
    case 'documentation_versions':
      await client.send(
        new UpdateDocumentationVersionCommand({
          restApiId: ids.need('restapis', e.restApi as string),
          documentationVersion: e.version as string,
          ...patchOperationsArg,
        }),
      );
      return;
    case 'api_keys':
      await client.send(
        new UpdateApiKeyCommand({ apiKey: ids.need('api_keys', e.id), ...patchOperationsArg }),
      );
      return;
    case 'usage_plans':
      await client.send(
        new UpdateUsagePlanCommand({ usagePlanId: ids.need('usage_plans', e.id), ...patchOperationsArg }),
      );
      return;
    case 'domain_names':
      await client.send(
        new UpdateDomainNameCommand({ domainName: e.domainName as string, ...patchOperationsArg }),
      );
      return;
    case 'vpc_links':
      await client.send(
        new UpdateVpcLinkCommand({ vpcLinkId: ids.need('vpc_links', e.id), ...patchOperationsArg }),
      );
      return;
    case 'base_path_mappings':
      await client.send(
        new UpdateBasePathMappingCommand({
          domainName: e.domainName as string,
          basePath: e.basePath as string,
          ...patchOperationsArg,
        }),
      );
      return;
    case 'client_certificates':
      await client.send(
        new UpdateClientCertificateCommand({
          clientCertificateId: ids.need('client_certificates', e.id),
          ...patchOperationsArg,
        }),
      );
      return;
    default:
      throw new NotUpdatableError(kind, e.id);
  }
}

/** Deletes the live entity `before` (keyed `key`). */
export async function remove(kind: AwsKind, key: string, before: Entity, ctx: StepContext): Promise<void> {
  const { client, ids } = ctx;
  const api = (k: string) => ids.need('restapis', k);
  switch (kind) {
    case 'restapis':
      await client.send(new DeleteRestApiCommand({ restApiId: api(key) }));
      return;
    case 'resources':
      if (before.parent === null || before.parent === undefined) return; // the root goes with its API
      await client.send(
        new DeleteResourceCommand({
          restApiId: api(before.restApi as string),
          resourceId: ids.need('resources', key),
        }),
      );
      return;
    case 'methods':
    case 'integrations': {
      const { api: a, resource, verb } = methodParts(key);
      const where = { restApiId: api(a), resourceId: ids.need('resources', resource), httpMethod: verb };
      await client.send(
        kind === 'methods' ? new DeleteMethodCommand(where) : new DeleteIntegrationCommand(where),
      );
      return;
    }
    case 'method_responses':
    case 'integration_responses': {
      const [method, statusCode] = splitLast(key);
      const { api: a, resource, verb } = methodParts(method);
      const where = {
        restApiId: api(a),
        resourceId: ids.need('resources', resource),
        httpMethod: verb,
        statusCode,
      };
      await client.send(
        kind === 'method_responses'
          ? new DeleteMethodResponseCommand(where)
          : new DeleteIntegrationResponseCommand(where),
      );
      return;
    }
    case 'models':
      await client.send(
        new DeleteModelCommand({
          restApiId: api(before.restApi as string),
          modelName: before.name as string,
        }),
      );
      return;
    case 'request_validators':
      await client.send(
        new DeleteRequestValidatorCommand({
          restApiId: api(before.restApi as string),
          requestValidatorId: ids.need('request_validators', key),
        }),
      );
      return;
    case 'authorizers':
      await client.send(
        new DeleteAuthorizerCommand({
          restApiId: api(before.restApi as string),
          authorizerId: ids.need('authorizers', key),
        }),
      );
      return;
    case 'gateway_responses':
      await client.send(
        new DeleteGatewayResponseCommand({
          restApiId: api(before.restApi as string),
          responseType: before.responseType as never,
        }),
      );
      return;
    case 'documentation_parts':
      await client.send(
        new DeleteDocumentationPartCommand({
          restApiId: api(before.restApi as string),
          documentationPartId: ids.need('documentation_parts', key),
        }),
      );
      return;
    case 'documentation_versions':
      await client.send(
        new DeleteDocumentationVersionCommand({
          restApiId: api(before.restApi as string),
          documentationVersion: before.version as string,
        }),
      );
      return;
    case 'stages':
      await client.send(
        new DeleteStageCommand({
          restApiId: api(before.restApi as string),
          stageName: before.stageName as string,
        }),
      );
      return;
    case 'api_keys':
      await client.send(new DeleteApiKeyCommand({ apiKey: ids.need('api_keys', key) }));
      return;
    case 'usage_plans':
      await client.send(new DeleteUsagePlanCommand({ usagePlanId: ids.need('usage_plans', key) }));
      return;
    case 'usage_plan_keys':
      await client.send(
        new DeleteUsagePlanKeyCommand({
          usagePlanId: ids.need('usage_plans', before.usagePlan as string),
          keyId: ids.need('api_keys', before.apiKey as string),
        }),
      );
      return;
    case 'domain_names':
      await client.send(new DeleteDomainNameCommand({ domainName: key }));
      return;
    case 'vpc_links':
      await client.send(new DeleteVpcLinkCommand({ vpcLinkId: ids.need('vpc_links', key) }));
      return;
    case 'client_certificates':
      await client.send(
        new DeleteClientCertificateCommand({ clientCertificateId: ids.need('client_certificates', key) }),
      );
      return;
    case 'base_path_mappings':
      await client.send(
        new DeleteBasePathMappingCommand({
          domainName: before.domainName as string,
          basePath: before.basePath as string,
        }),
      );
      return;
  }
}
