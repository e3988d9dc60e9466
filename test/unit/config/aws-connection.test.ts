/**
 * `type: aws-apigateway` connections in snapgate.yml: region, optional endpoint and profile, credentials
 * from named variables or files (never inline), an API selection; Kong stays the default type.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.ts';

const KEY_HEX = '00'.repeat(32);

function yamlWith(connection: string): string {
  return `
connections:
  - name: prod-eu
    kongUrl: https://kong.example:8444
    tokenEnv: KONG_TOKEN
    environment: prod
${connection}
storage:
  primary: /var/snapgate
  copies: [{ type: directory, path: /mnt/copy }]
keys:
  - { id: k1, env: KEY_1, current: true }
database: { path: snap.db }
`;
}

async function load(connection: string, env: Record<string, string> = {}) {
  return loadConfig({
    path: '/etc/snapgate/snapgate.yml',
    env: { KONG_TOKEN: 't', KEY_1: KEY_HEX, ...env },
    readFile: async (p) => {
      if (p === '/etc/snapgate/snapgate.yml') return yamlWith(connection);
      if (p === '/etc/snapgate/aws-secret') return 'secret-from-file\n';
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    },
  });
}

async function problems(connection: string, env: Record<string, string> = {}): Promise<string[]> {
  const err = await load(connection, env).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
}

describe('aws-apigateway connections', () => {
  it('reads region, endpoint, credentials from a variable and a file, and the selection', async () => {
    const config = await load(
      `  - name: payments-api-eu
    type: aws-apigateway
    region: eu-west-1
    endpoint: http://127.0.0.1:4567/
    credentials: { accessKeyIdEnv: AWS_ID, secretAccessKeyFile: aws-secret }
    apis: { names: [payments], tags: [team=payments, env=prod] }
    environment: prod`,
      { AWS_ID: 'AKIAEXAMPLE' },
    );
    const aws = config.connections[1];
    expect(aws).toMatchObject({
      type: 'aws-apigateway',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4567',
      profile: null,
      apis: { ids: [], names: ['payments'], tags: { team: 'payments', env: 'prod' } },
    });
    expect(aws?.type === 'aws-apigateway' && aws.credentials?.accessKeyId.reveal()).toBe('AKIAEXAMPLE');
    expect(aws?.type === 'aws-apigateway' && aws.credentials?.secretAccessKey.reveal()).toBe(
      'secret-from-file',
    );
    expect(JSON.stringify(config)).not.toContain('secret-from-file');
    expect(config.connections[0]?.type).toBe('kong');
  });

  it('without credentials the SDK default chain (or the profile) is used', async () => {
    const config = await load(`  - name: aws
    type: aws-apigateway
    region: us-east-1
    profile: ops
    environment: prod`);
    expect(config.connections[1]).toMatchObject({ credentials: null, profile: 'ops', endpoint: null });
  });

  it('refuses inline credentials, a bad region, a bad API id, an unknown type and a missing variable', async () => {
    expect(
      await problems(`  - name: aws
    type: aws-apigateway
    region: eu-west-1
    credentials: { accessKeyId: AKIA, secretAccessKeyEnv: S }
    environment: prod`),
    ).toEqual([
      expect.stringMatching(
        /^connections\[1\]\.credentials\.accessKeyId: inline AWS credentials are not allowed/,
      ),
      'connections[1].credentials.secretAccessKeyEnv: environment variable S is not set (it should hold the AWS secret access key)',
    ]);
    expect(
      await problems(`  - name: aws
    type: aws-apigateway
    region: Europe
    apis: { ids: [NOT-AN-ID] }
    environment: prod`),
    ).toEqual([
      'connections[1].region: region must be an AWS region such as eu-west-1',
      'connections[1].apis.ids[0]: a REST API id is 10 lowercase letters and digits',
    ]);
    expect(
      await problems(`  - name: other
    type: azure-apim
    environment: prod`),
    ).toEqual(['connections[1].type: type must be one of: kong, konnect, aws-apigateway']);
  });
});
