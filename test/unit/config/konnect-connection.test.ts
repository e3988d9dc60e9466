/**
 * `type: konnect` connections in snapgate.yml: a region (us, eu, au, me, in) or a base URL, the control
 * plane by name or id, and a personal (kpat_) or system account (spat_) token from a variable or a file,
 * never inline. Every mistake is named with its place in the file.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.ts';

const KEY_HEX = '00'.repeat(32);
const TOKEN = 'kpat_0123456789abcdefghijABCDEFGHIJ0123456789abcdefgh';

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
      if (p === '/etc/snapgate/konnect-token') return `${TOKEN}\n`;
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    },
  });
}

async function problems(connection: string, env: Record<string, string> = {}): Promise<string[]> {
  const err = await load(connection, env).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
}

describe('konnect connections', () => {
  it('a region becomes https://{region}.api.konghq.com; the token comes from a variable or a file', async () => {
    const config = await load(
      `  - name: konnect-prod
    type: konnect
    region: eu
    controlPlane: prod
    tokenEnv: KONNECT_TOKEN
    environment: prod
  - name: konnect-lab
    type: konnect
    baseUrl: http://127.0.0.1:8100/
    controlPlane: 7f9fd312-a987-4628-b4c5-bb4f4fddd5f7
    tokenFile: konnect-token
    environment: lab`,
      { KONNECT_TOKEN: 'spat_system0123456789' },
    );
    expect(config.connections[1]).toMatchObject({
      type: 'konnect',
      region: 'eu',
      baseUrl: 'https://eu.api.konghq.com',
      controlPlane: 'prod',
    });
    expect(config.connections[2]).toMatchObject({
      type: 'konnect',
      region: null,
      baseUrl: 'http://127.0.0.1:8100',
      controlPlane: '7f9fd312-a987-4628-b4c5-bb4f4fddd5f7',
    });
    const lab = config.connections[2];
    expect(lab?.type === 'konnect' && lab.token.reveal()).toBe(TOKEN);
    expect(JSON.stringify(config)).not.toContain(TOKEN);
  });

  it('refuses a bad region, an inline token, a token that is not a Konnect token, and neither region nor baseUrl', async () => {
    expect(
      await problems(`  - name: konnect-prod
    type: konnect
    region: asia
    controlPlane: prod
    token: kpat_inline
    environment: prod`),
    ).toEqual([
      'connections[1].region: region must be one of: us, eu, au, me, in',
      expect.stringMatching(
        /^connections\[1\]\.token: an inline token is not allowed .* tokenEnv .* tokenFile holding the Konnect personal \(kpat_…\) or system account \(spat_…\) token$/,
      ),
    ]);
    expect(
      await problems(
        `  - name: konnect-prod
    type: konnect
    controlPlane: prod
    tokenEnv: KONNECT_TOKEN
    environment: prod`,
        { KONNECT_TOKEN: 'kong-admin-token' },
      ),
    ).toEqual([
      'connections[1].region: a konnect connection needs region (us, eu, au, me, in) or baseUrl',
      'connections[1].tokenEnv: the token from environment variable KONNECT_TOKEN is not a Konnect access token: a personal access token starts with kpat_, a system account token with spat_',
    ]);
    expect(
      await problems(`  - name: konnect-prod
    type: konnect
    region: us
    baseUrl: https://us.api.konghq.com
    controlPlane: ""
    tokenFile: konnect-token
    environment: prod`),
    ).toEqual([
      'connections[1].controlPlane: controlPlane names a control plane (its exact name or id)',
      'connections[1].baseUrl: give region or baseUrl, not both',
    ]);
  });
});

describe('kong connections with workspaces', () => {
  it('takes all or a list, and refuses workspaces together with workspace, or an empty list', async () => {
    const config = await load(`  - name: ee
    kongUrl: https://kong-ee.example:8444
    tokenEnv: KONG_TOKEN
    workspaces: [team-a, team-b]
    environment: prod`);
    expect(config.connections[1]).toMatchObject({ type: 'kong', workspaces: ['team-a', 'team-b'] });
    expect(
      await problems(`  - name: ee
    kongUrl: https://kong-ee.example:8444
    tokenEnv: KONG_TOKEN
    workspace: team-a
    workspaces: all
    environment: prod
  - name: ee2
    kongUrl: https://kong-ee.example:8444
    tokenEnv: KONG_TOKEN
    workspaces: []
    environment: prod`),
    ).toEqual([
      'connections[1].workspaces: give workspace (one workspace) or workspaces (several in one backup), not both',
      'connections[2].workspaces: workspaces lists at least one workspace (or is `all`)',
    ]);
  });
});
