/**
 * The engine CLI as a user runs it: `./bin/snapgate` in a subprocess (stdin is not a terminal) against
 * kong-sim. Bad input, an unreachable gateway or a wrong token → exit 1, one line on stderr, zero writes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromDeckFile } from '../../../src/core/index.ts';
import { closeAll, FIXTURES, fixturePath, gateway, snapgate } from './helpers.ts';

// sims stay up until the file ends: the table below runs concurrently (each CLI start costs ~2 s)
afterAll(closeAll);

const dir = mkdtempSync(join(tmpdir(), 'snapgate-cli-'));
// the decK fixtures as written: the engine fills Kong's plugin defaults from the gateway before it plans
const FILE = fixturePath('001-services-routes-plugins.yaml');
const CREDS = fixturePath('009-plugins-by-name.yaml');

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('snapgate dump / diff / apply', () => {
  it('applies a file, then diff --exit-code says 0; a drifted gateway says 2', async () => {
    const { sim } = await gateway();
    const url = ['--kong-url', sim.url];
    const applied = await snapgate(['apply', ...url, FILE, '--yes']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^creating service orders$/m);
    expect(applied.stdout).toMatch(/Summary:\n {2}Created: 9\n {2}Updated: 0\n {2}Deleted: 0/);
    expect(applied.stdout).toContain('Re-diff: the gateway matches the file.');

    expect((await snapgate(['diff', ...url, FILE, '--exit-code'])).code).toBe(0);
    await fetch(`${sim.url}/consumers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"rogue"}',
    });
    const drift = await snapgate(['diff', ...url, FILE, '--exit-code']);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/^deleting consumer rogue$/m);
    expect((await snapgate(['diff', ...url, FILE, '--no-deletes', '--exit-code'])).code).toBe(0);
    expect((await snapgate(['diff', ...url, FILE, '--only', 'services,routes', '--exit-code'])).code).toBe(0);
    // sections whose parents are outside --only: the live parents still count (no false "dangling" refusal)
    const children = await snapgate(['diff', ...url, FILE, '--only', 'routes,plugins', '--exit-code']);
    expect(children.stderr).toBe('');
    expect(children.code).toBe(0);
  });

  it('dumps to a decK file that diffs clean, from env settings with a token and a workspace', async () => {
    const { sim } = await gateway({ token: 's3cret', workspace: 'team-a' });
    const env = { SNAPGATE_KONG_URL: sim.url, SNAPGATE_KONG_TOKEN: 's3cret' };
    expect((await snapgate(['apply', '--workspace', 'team-a', CREDS, '--yes'], env)).code).toBe(0);
    const out = join(dir, 'dump.yaml');
    const dumped = await snapgate(['dump', '--workspace', 'team-a', '--output', out], env);
    expect(dumped.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^_format_version: "?3\.0"?$/m);
    expect(Object.keys(fromDeckFile(text).entities.plugins ?? {}).length).toBeGreaterThan(0);
    expect((await snapgate(['diff', '--workspace', 'team-a', out, '--exit-code'], env)).code).toBe(0);
    const json = await snapgate(
      ['dump', '--workspace', 'team-a', '--format', 'json', '--only', 'plugins'],
      env,
    );
    expect(JSON.parse(json.stdout)._format_version).toBe('3.0');
    expect(dumped.stdout + dumped.stderr + json.stderr).not.toContain('s3cret');
  });

  it('prints the plan as JSON with secrets masked', async () => {
    const { sim } = await gateway();
    const res = await snapgate([
      'diff',
      '--kong-url',
      sim.url,
      join(FIXTURES, '002-consumers-credentials.yaml'),
      '--json',
    ]);
    expect(res.code).toBe(0);
    const plan = JSON.parse(res.stdout);
    expect(plan.summary.create).toBeGreaterThan(0);
    const creds = plan.steps.filter((s: { kind: string }) => s.kind === 'keyauth_credentials');
    expect(creds.length).toBeGreaterThan(0);
    for (const s of creds) expect(s.body.key).toBe('[masked]');
  });

  const bad: {
    name: string;
    args: (url: string) => string[];
    stderr: RegExp;
    simOpts?: { token?: string };
  }[] = [
    {
      name: 'missing file',
      args: (u) => ['apply', '--kong-url', u, join(dir, 'nope.yaml'), '--yes'],
      stderr: /cannot read .*nope\.yaml: no such file/,
    },
    {
      name: 'malformed YAML',
      args: (u) => [
        'apply',
        '--kong-url',
        u,
        write('bad.yaml', 'services: [\n  - name: x\n    host: {'),
        '--yes',
      ],
      stderr: /bad\.yaml: /,
    },
    {
      name: 'not a decK file',
      args: (u) => ['diff', '--kong-url', u, write('list.yaml', '- 1\n- 2\n')],
      stderr: /list\.yaml: /,
    },
    {
      name: 'unknown section',
      args: (u) => ['apply', '--kong-url', u, FILE, '--only', 'servics', '--yes'],
      stderr: /unknown section "servics"/,
    },
    {
      name: 'no --yes without a terminal',
      args: (u) => ['apply', '--kong-url', u, FILE],
      stderr: /refusing to apply without --yes/,
    },
    {
      name: 'wrong token',
      args: (u) => ['apply', '--kong-url', u, '--kong-token', 'wrong', FILE, '--yes'],
      stderr: /Kong rejected the admin token \(401\)/,
      simOpts: { token: 'right' },
    },
    {
      name: 'no URL',
      args: () => ['dump'],
      stderr: /no Kong Admin API URL: pass --kong-url or set SNAPGATE_KONG_URL/,
    },
    {
      name: 'bad --parallelism',
      args: (u) => ['apply', '--kong-url', u, FILE, '--parallelism', '0', '--yes'],
      stderr: /--parallelism must be/,
    },
  ];

  it.concurrent.for(bad)(
    '$name → exit 1, one line on stderr, zero writes',
    async ({ args, stderr, simOpts }, { expect }) => {
      const { sim } = await gateway(simOpts ?? {});
      const res = await snapgate(args(sim.url));
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(stderr);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).not.toContain('    at ');
      expect(sim.state.writes).toBe(0);
    },
  );

  it('an unreachable gateway → exit 1 with the address', async () => {
    const { sim } = await gateway();
    const url = sim.url;
    await sim.close();
    const res = await snapgate(['apply', '--kong-url', url, FILE, '--yes']);
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe(`snapgate: cannot reach Kong at ${url}: connection refused`);
  });
});
