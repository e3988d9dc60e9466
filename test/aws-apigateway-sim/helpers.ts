/** A simulator per test file and an SDK client signed with static test credentials, pointed at it. */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll } from 'vitest';
import { type AwsApiGatewaySim, startAwsApiGatewaySim } from '../../tools/aws-apigateway-sim/index.ts';

export function clientFor(sim: AwsApiGatewaySim, maxAttempts = 1): APIGatewayClient {
  return new APIGatewayClient({
    endpoint: sim.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'not-checked' },
    maxAttempts,
  });
}

export function useSim(): { sim: () => AwsApiGatewaySim; client: () => APIGatewayClient } {
  let sim: AwsApiGatewaySim | undefined;
  let client: APIGatewayClient | undefined;
  beforeAll(async () => {
    sim = await startAwsApiGatewaySim({ idSeed: 42 });
    client = clientFor(sim);
  });
  afterAll(async () => {
    client?.destroy();
    await sim?.close();
  });
  return { sim: () => sim as AwsApiGatewaySim, client: () => client as APIGatewayClient };
}

/** The SDK's error for a rejected promise: its name, status, message and Retry-After. */
export async function awsError(
  p: Promise<unknown>,
): Promise<{ name: string; status?: number; message: string; retryAfterSeconds?: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as {
      name: string;
      message: string;
      $metadata?: { httpStatusCode?: number };
      retryAfterSeconds?: string;
    };
    return {
      name: e.name,
      status: e.$metadata?.httpStatusCode,
      message: e.message,
      retryAfterSeconds: e.retryAfterSeconds,
    };
  }
  throw new Error('expected the call to fail');
}
