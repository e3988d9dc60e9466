/**
 * The API Gateway client a connection describes: its region, an optional endpoint, and credentials from
 * named environment variables or files (resolved by the config), a shared-config profile, or the SDK's
 * default chain (environment, shared files, SSO, instance or task role). Throttling
 * (TooManyRequestsException, LimitExceeded 429) and 5xx are retried by the SDK's standard retry strategy
 * with exponential back-off and jitter; `maxAttempts` bounds it.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { AwsApiGatewayConnectionConfig } from '../config/types.ts';

export interface AwsClientOptions {
  maxAttempts?: number;
}

export function apiGatewayClientFor(
  connection: AwsApiGatewayConnectionConfig,
  options: AwsClientOptions = {},
): APIGatewayClient {
  const creds = connection.credentials;
  return new APIGatewayClient({
    region: connection.region,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(creds
      ? {
          credentials: {
            accessKeyId: creds.accessKeyId.reveal(),
            secretAccessKey: creds.secretAccessKey.reveal(),
            ...(creds.sessionToken ? { sessionToken: creds.sessionToken.reveal() } : {}),
          },
        }
      : connection.profile
        ? { profile: connection.profile }
        : {}),
    maxAttempts: options.maxAttempts ?? 6,
    retryMode: 'standard',
  });
}

/** Where the connection points, for operators: never holds a credential. */
export function addressOf(connection: AwsApiGatewayConnectionConfig): string {
  return connection.endpoint ?? `https://apigateway.${connection.region}.amazonaws.com`;
}
