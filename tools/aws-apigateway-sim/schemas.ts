/**
 * Per entity: the members a create/put takes and how each takes patches (service model apigateway
 * 2015-07-09: CreateRestApiRequest, PutMethodRequest, …; the patchable paths from the API reference's
 * "Patch Operations" tables). Members not listed are ignored on create, as the service ignores members
 * the model does not have.
 */
import type { PatchSchema } from './patch.ts';

export const REST_API: PatchSchema = {
  name: 'string',
  description: 'string',
  version: 'string',
  binaryMediaTypes: 'set',
  minimumCompressionSize: 'number',
  apiKeySource: 'string',
  endpointConfiguration: 'object',
  policy: 'string',
  disableExecuteApiEndpoint: 'boolean',
};

export const RESOURCE: PatchSchema = { pathPart: 'string', parentId: 'string' };

export const METHOD: PatchSchema = {
  authorizationType: 'string',
  authorizerId: 'string',
  apiKeyRequired: 'boolean',
  requestValidatorId: 'string',
  operationName: 'string',
  requestParameters: 'boolMap',
  requestModels: 'map',
  authorizationScopes: 'set',
};

export const METHOD_RESPONSE: PatchSchema = { responseParameters: 'boolMap', responseModels: 'map' };

export const INTEGRATION: PatchSchema = {
  type: 'string',
  httpMethod: 'string',
  uri: 'string',
  connectionType: 'string',
  connectionId: 'string',
  credentials: 'string',
  requestParameters: 'map',
  requestTemplates: 'map',
  passthroughBehavior: 'string',
  contentHandling: 'string',
  timeoutInMillis: 'number',
  cacheNamespace: 'string',
  cacheKeyParameters: 'set',
  tlsConfig: 'object',
};

export const INTEGRATION_RESPONSE: PatchSchema = {
  selectionPattern: 'string',
  responseParameters: 'map',
  responseTemplates: 'map',
  contentHandling: 'string',
};

export const MODEL: PatchSchema = { description: 'string', schema: 'string' };

export const REQUEST_VALIDATOR: PatchSchema = {
  name: 'string',
  validateRequestBody: 'boolean',
  validateRequestParameters: 'boolean',
};

export const AUTHORIZER: PatchSchema = {
  name: 'string',
  type: 'string',
  providerARNs: 'set',
  authType: 'string',
  authorizerUri: 'string',
  authorizerCredentials: 'string',
  identitySource: 'string',
  identityValidationExpression: 'string',
  authorizerResultTtlInSeconds: 'number',
};

export const GATEWAY_RESPONSE: PatchSchema = {
  statusCode: 'string',
  responseParameters: 'map',
  responseTemplates: 'map',
};

export const STAGE: PatchSchema = {
  deploymentId: 'string',
  clientCertificateId: 'string',
  description: 'string',
  cacheClusterEnabled: 'boolean',
  cacheClusterSize: 'string',
  variables: 'map',
  documentationVersion: 'string',
  accessLogSettings: 'object',
  canarySettings: 'object',
  tracingEnabled: 'boolean',
  webAclArn: 'string',
};

export const DEPLOYMENT: PatchSchema = { description: 'string' };

export const API_KEY: PatchSchema = {
  name: 'string',
  description: 'string',
  enabled: 'boolean',
  customerId: 'string',
};

export const USAGE_PLAN: PatchSchema = {
  name: 'string',
  description: 'string',
  productCode: 'string',
  throttle: 'object',
  quota: 'object',
};

export const DOMAIN_NAME: PatchSchema = {
  certificateName: 'string',
  certificateArn: 'string',
  regionalCertificateName: 'string',
  regionalCertificateArn: 'string',
  endpointConfiguration: 'object',
  securityPolicy: 'string',
  mutualTlsAuthentication: 'object',
};

export const BASE_PATH_MAPPING: PatchSchema = { basePath: 'string', restapiId: 'string', stage: 'string' };

/** Gateway response types and their default status codes (API reference, GatewayResponse; "Gateway
 * response types for API Gateway"). DEFAULT_4XX and DEFAULT_5XX carry no status code of their own. */
export const GATEWAY_RESPONSE_DEFAULTS: Readonly<Record<string, string | undefined>> = {
  ACCESS_DENIED: '403',
  API_CONFIGURATION_ERROR: '500',
  AUTHORIZER_CONFIGURATION_ERROR: '500',
  AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_BODY: '400',
  BAD_REQUEST_PARAMETERS: '400',
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  EXPIRED_TOKEN: '403',
  INTEGRATION_FAILURE: '504',
  INTEGRATION_TIMEOUT: '504',
  INVALID_API_KEY: '403',
  INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403',
  QUOTA_EXCEEDED: '429',
  REQUEST_TOO_LARGE: '413',
  RESOURCE_NOT_FOUND: '404',
  THROTTLED: '429',
  UNAUTHORIZED: '401',
  UNSUPPORTED_MEDIA_TYPE: '415',
  WAF_FILTERED: '403',
};

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;
export const INTEGRATION_TYPES = ['HTTP', 'AWS', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY'] as const;
export const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'] as const;

/** UpdateDocumentationPart takes `/properties` only; UpdateDocumentationVersion `/description` only. */
/** UpdateVpcLink takes `/name` and `/description`. */
export const VPC_LINK: PatchSchema = { name: 'string', description: 'string' };

export const DOCUMENTATION_PART: PatchSchema = { properties: 'string' };
export const DOCUMENTATION_VERSION: PatchSchema = { description: 'string' };
