/**
 * The engine verbs can name a connection from snapgate.yml (`--connection`), opened through the gateway
 * registry like the services open it, instead of ad-hoc `--kong-url` flags.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fromDeckFile } from '../../../src/core/index.ts';
import { configYaml } from '../jobs/harness.ts';
import { closeAll, fixturePath, gateway, snapgate } from './helpers.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'snapgate-cli-conn-'));
});
afterEach(async () => {
  await closeAll();
  rmSync(dir, { recursive: true, force: true });
});

it('applies, diffs and dumps a configured connection with its token from the config', async () => {
  const { sim } = await gateway({ token: 'conn-s3cret' });
  const config = join(dir, 'snapgate.yml');
  writeFileSync(config, configYaml(dir, sim.url));
  const env = { KONG_TOKEN: 'conn-s3cret', SNAPGATE_KEY_1: '11'.repeat(32) };
  const by = ['--connection', 'prod', '--config', config];
  // the decK fixture as written (an Enterprise gateway: 002 holds mtls-auth credentials)
  const file = fixturePath('002-consumers-credentials.yaml');
  const applied = await snapgate(['apply', ...by, file, '--yes'], env);
  expect(applied.stderr).toBe('');
  expect(applied.code).toBe(0);
  expect((await snapgate(['diff', ...by, file, '--exit-code'], env)).code).toBe(0);
  const dumped = await snapgate(['dump', ...by, '--format', 'json'], env);
  expect(dumped.code).toBe(0);
  expect(Object.keys(fromDeckFile(dumped.stdout).entities.consumers ?? {}).length).toBeGreaterThan(0);
  expect(dumped.stdout + dumped.stderr + applied.stdout).not.toContain('conn-s3cret');
});

it('an unknown connection or one mixed with --kong-url is one line on stderr, exit 1', async () => {
  const config = join(dir, 'snapgate.yml');
  writeFileSync(config, configYaml(dir, 'http://127.0.0.1:9'));
  const env = { KONG_TOKEN: 't', SNAPGATE_KEY_1: '11'.repeat(32) };
  const unknown = await snapgate(['dump', '--connection', 'nope', '--config', config], env);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/unknown connection "nope" \(configured: prod\)/);
  const mixed = await snapgate(
    ['dump', '--connection', 'prod', '--config', config, '--kong-url', 'http://127.0.0.1:9'],
    env,
  );
  expect(mixed.code).toBe(1);
  expect(mixed.stderr).toMatch(/--connection takes the URL, token and workspace from snapgate\.yml/);
});

it("a file's _workspace must be the connection's workspace: refused with nothing read or written, else applied there", async () => {
  const { sim } = await gateway({ workspace: 'team-a' });
  const config = join(dir, 'snapgate.yml');
  writeFileSync(config, configYaml(dir, sim.url, { connectionExtra: 'workspace: team-a' }));
  const env = { KONG_TOKEN: 't', SNAPGATE_KEY_1: '11'.repeat(32) };
  const by = ['--connection', 'prod', '--config', config];
  const file = (ws: string | null) => {
    const path = join(dir, `ws-${ws ?? 'none'}.yaml`);
    const head = ws ? `_workspace: ${ws}\n` : '';
    writeFileSync(
      path,
      `_format_version: "3.0"\n${head}services:\n  - name: orders\n    host: orders.internal\n`,
    );
    return path;
  };
  const requests = sim.state.requests;
  for (const ws of ['default', 'team-b']) {
    const path = file(ws);
    for (const verb of [['diff'], ['apply', '--yes']]) {
      const run = await snapgate([verb[0] as string, ...by, path, ...verb.slice(1)], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `${path} is for workspace "${ws}" (_workspace) but connection prod reaches workspace "team-a"; nothing was done`,
      );
    }
  }
  // only the describe of each run reached the gateway: no dump, no write
  expect(sim.state.writes).toBe(0);
  expect(sim.state.requests - requests).toBeLessThanOrEqual(8);

  for (const ws of ['team-a', null]) {
    const applied = await snapgate(['apply', ...by, file(ws), '--yes'], env);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
  }
  const live = (await (await fetch(`${sim.url}/team-a/services/orders`)).json()) as { host: string };
  expect(live.host).toBe('orders.internal');
});
