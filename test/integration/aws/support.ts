/** An AWS connection pointed at a simulator, as snapgate.yml would describe it. */
import type { AwsApiGatewayConnectionConfig } from '../../../src/config/index.ts';
import { Secret } from '../../../src/config/index.ts';

export function awsConnection(
  endpoint: string,
  over: Partial<AwsApiGatewayConnectionConfig> = {},
): AwsApiGatewayConnectionConfig {
  return {
    name: 'payments-api-eu',
    type: 'aws-apigateway',
    region: 'eu-west-1',
    endpoint,
    profile: null,
    credentials: {
      accessKeyId: new Secret('AKIDSNAPGATETEST'),
      secretAccessKey: new Secret('not-checked-by-the-sim'),
    },
    apis: { ids: [], names: [], tags: {} },
    environment: 'test',
    owner: null,
    tags: [],
    schedules: [],
    retention: { keepPreRestore: '30d' },
    roles: { viewer: [], operator: [], approver: [], admin: [] },
    ...over,
  };
}
