/**
 * The OpenAPI 2.0 definition of one REST API (src/aws/openapi.ts), member by member, in the shapes API
 * Gateway's extension reference gives them: x-amazon-apigateway-integration (type and passthrough behaviour
 * lower-case, responses keyed by selection pattern, `default` for none), x-amazon-apigateway-authorizer under
 * securityDefinitions (with x-amazon-apigateway-authtype when the authorizer has one), awsSigv4 for AWS_IAM,
 * an x-api-key header scheme for API-key-required methods, request validators by name, gateway responses,
 * binary media types, API key source, minimum compression size, policy as JSON, endpoint configuration.
 * The round trip through PutRestApi is test/integration/aws/openapi-import.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../../src/aws/openapi.ts';
import type { Entity } from '../../../src/core/index.ts';

const api: Entity = {
  id: 'shop',
  name: 'shop',
  description: 'the shop',
  version: '3',
  binaryMediaTypes: ['image/png'],
  apiKeySource: 'AUTHORIZER',
  minimumCompressionSize: 1024,
  policy: '{"Version":"2012-10-17","Statement":[]}',
  endpointConfiguration: { types: ['PRIVATE'], vpcEndpointIds: ['vpce-1'] },
  disableExecuteApiEndpoint: true,
};

const content = {
  resources: [
    { id: 'shop:/', restApi: 'shop', parent: null, path: '/' },
    { id: 'shop:/orders', restApi: 'shop', parent: 'shop:/', path: '/orders', pathPart: 'orders' },
    {
      id: 'shop:/orders/{id}',
      restApi: 'shop',
      parent: 'shop:/orders',
      path: '/orders/{id}',
      pathPart: '{id}',
    },
  ],
  methods: [
    {
      id: 'shop:/orders POST',
      resource: 'shop:/orders',
      httpMethod: 'POST',
      authorizationType: 'COGNITO_USER_POOLS',
      authorizer: 'shop:users',
      authorizationScopes: ['orders/write'],
      apiKeyRequired: true,
      requestValidator: 'shop:all',
      operationName: 'createOrder',
      requestModels: { 'application/json': 'Order' },
      requestParameters: { 'method.request.header.X-Trace': false },
    },
    {
      id: 'shop:/orders/{id} ANY',
      resource: 'shop:/orders/{id}',
      httpMethod: 'ANY',
      authorizationType: 'AWS_IAM',
      requestParameters: { 'method.request.path.id': true },
    },
  ],
  method_responses: [
    {
      id: 'shop:/orders POST 201',
      method: 'shop:/orders POST',
      statusCode: '201',
      responseModels: { 'application/json': 'Order' },
      responseParameters: { 'method.response.header.Location': true },
    },
  ],
  integrations: [
    {
      id: 'shop:/orders POST',
      method: 'shop:/orders POST',
      type: 'HTTP',
      httpMethod: 'POST',
      uri: 'http://orders.internal/orders',
      connectionType: 'VPC_LINK',
      vpcLink: 'orders-nlb',
      passthroughBehavior: 'WHEN_NO_TEMPLATES',
      timeoutInMillis: 5000,
      cacheNamespace: 'abc123',
    },
  ],
  integration_responses: [
    {
      id: 'shop:/orders POST 201',
      integration: 'shop:/orders POST',
      statusCode: '201',
      selectionPattern: '',
    },
    {
      id: 'shop:/orders POST 400',
      integration: 'shop:/orders POST',
      statusCode: '400',
      selectionPattern: '4\\d{2}',
      responseTemplates: { 'application/json': '{}' },
    },
  ],
  models: [
    {
      id: 'shop:Order',
      restApi: 'shop',
      name: 'Order',
      contentType: 'application/json',
      schema: '{"type":"object"}',
    },
  ],
  request_validators: [
    {
      id: 'shop:all',
      restApi: 'shop',
      name: 'all',
      validateRequestBody: true,
      validateRequestParameters: true,
    },
  ],
  authorizers: [
    {
      id: 'shop:users',
      restApi: 'shop',
      name: 'users',
      type: 'COGNITO_USER_POOLS',
      providerARNs: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_x'],
      identitySource: 'method.request.header.Authorization',
      authType: 'cognito_user_pools',
    },
  ],
  gateway_responses: [
    {
      id: 'shop:UNAUTHORIZED',
      restApi: 'shop',
      responseType: 'UNAUTHORIZED',
      statusCode: '401',
      responseParameters: {},
    },
  ],
};

describe('buildOpenApi', () => {
  const doc = buildOpenApi(api, content as never, (key) => (key === 'orders-nlb' ? 'vl0123456' : undefined));

  it('names the API and carries its root extensions', () => {
    expect(doc).toMatchObject({
      swagger: '2.0',
      info: { title: 'shop', version: '3', description: 'the shop' },
      'x-amazon-apigateway-binary-media-types': ['image/png'],
      'x-amazon-apigateway-api-key-source': 'AUTHORIZER',
      'x-amazon-apigateway-minimum-compression-size': 1024,
      'x-amazon-apigateway-policy': { Version: '2012-10-17', Statement: [] },
      'x-amazon-apigateway-endpoint-configuration': {
        vpcEndpointIds: ['vpce-1'],
        disableExecuteApiEndpoint: true,
      },
      definitions: { Order: { type: 'object' } },
      'x-amazon-apigateway-request-validators': {
        all: { validateRequestBody: true, validateRequestParameters: true },
      },
      'x-amazon-apigateway-gateway-responses': {
        UNAUTHORIZED: { statusCode: '401', responseParameters: {} },
      },
    });
  });

  it('every resource is a path, with or without operations; ANY is x-amazon-apigateway-any-method', () => {
    const paths = doc.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths)).toEqual(['/', '/orders', '/orders/{id}']);
    expect(paths['/']).toEqual({});
    expect(Object.keys(paths['/orders/{id}'] ?? {})).toEqual(['x-amazon-apigateway-any-method']);
  });

  it('an operation: parameters, body model, responses, security, validator and integration', () => {
    const post = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/orders']?.post;
    expect(post).toEqual({
      operationId: 'createOrder',
      consumes: ['application/json'],
      produces: ['application/json'],
      parameters: [
        { name: 'X-Trace', in: 'header', required: false, type: 'string' },
        { in: 'body', name: 'Order', required: true, schema: { $ref: '#/definitions/Order' } },
      ],
      responses: {
        '201': {
          description: '201 response',
          schema: { $ref: '#/definitions/Order' },
          headers: { Location: { type: 'string' } },
        },
      },
      security: [{ users: ['orders/write'] }, { api_key: [] }],
      'x-amazon-apigateway-request-validator': 'all',
      'x-amazon-apigateway-integration': {
        type: 'http',
        httpMethod: 'POST',
        uri: 'http://orders.internal/orders',
        connectionType: 'VPC_LINK',
        connectionId: 'vl0123456',
        passthroughBehavior: 'when_no_templates',
        timeoutInMillis: 5000,
        responses: {
          default: { statusCode: '201' },
          '4\\d{2}': { statusCode: '400', responseTemplates: { 'application/json': '{}' } },
        },
      },
    });
    const any = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/orders/{id}']?.[
      'x-amazon-apigateway-any-method'
    ];
    expect(any).toMatchObject({
      parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
      security: [{ sigv4: [] }],
      responses: {},
    });
  });

  it('authorizers, the API key and SigV4 as security definitions', () => {
    expect(doc.securityDefinitions).toEqual({
      users: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'cognito_user_pools',
        'x-amazon-apigateway-authorizer': {
          type: 'cognito_user_pools',
          identitySource: 'method.request.header.Authorization',
          providerARNs: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_x'],
        },
      },
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      sigv4: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'awsSigv4',
      },
    });
  });
});
