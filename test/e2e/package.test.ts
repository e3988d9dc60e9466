/**
 * The installable package (issue 14, "Build"): `npm pack` builds (prepack → `npm run build`) and packs;
 * the unpacked package, with only its production dependencies beside it (tsx, typescript and the other
 * dev tools absent), runs its `snapgate` bin on plain Node: help, config check, db migrate on SQLite,
 * a dump of a live gateway (kong-sim) and the local console's page assets.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KongSim, startKongSim } from '../../tools/kong-sim/server.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

let dir: string;
let pkg: string;
let sim: KongSim;

/** Production dependencies linked from the checkout; their own dependencies resolve from its node_modules. */
function linkProductionDependencies(into: string): string[] {
  const deps = Object.keys(JSON.parse(readFileSync(join(into, 'package.json'), 'utf8')).dependencies);
  for (const dep of deps) {
    const link = join(into, 'node_modules', dep);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dep), link);
  }
  return deps;
}

async function snapgate(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(pkg, 'bin/snapgate'), ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'snapgate-package-'));
  await run('npm', ['pack', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  await run('tar', ['xzf', join(dir, tarball), '-C', dir]);
  pkg = join(dir, 'package');
  linkProductionDependencies(pkg);
  sim = await startKongSim({
    port: 0,
    seed: { _format_version: '3.0', services: [{ name: 'orders', host: 'orders.internal', port: 8080 }] },
  });
}, 240_000);

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed snapgate', () => {
  it('holds the build, the migrations and the console page, and no TypeScript sources or dev tools', () => {
    expect(existsSync(join(pkg, 'dist/src/cli/main.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist/src/console/page/index.html'))).toBe(true);
    expect(readdirSync(join(pkg, 'drizzle')).some((f) => f.endsWith('.sql'))).toBe(true);
    expect(readdirSync(join(pkg, 'drizzle-postgres')).some((f) => f.endsWith('.sql'))).toBe(true);
    expect(existsSync(join(pkg, 'src'))).toBe(false);
    expect(existsSync(join(pkg, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(pkg, 'node_modules/typescript'))).toBe(false);
  });

  it('runs its bin on plain Node', async () => {
    const help = await snapgate(['--help']);
    expect(help.code).toBe(0);
    for (const verb of ['serve', 'worker', 'backup', 'restore', 'dump', 'db'])
      expect(help.stdout).toContain(verb);
  });

  it('checks a config and migrates its SQLite database', async () => {
    const config = join(dir, 'snapgate.yml');
    writeFileSync(
      config,
      `connections:
  - { name: prod, kongUrl: ${sim.url}, tokenEnv: PKG_KONG_TOKEN, environment: prod }
storage: { primary: ${join(dir, 'artifacts')}, allowSingleCopy: true }
keys: [{ id: k1, env: PKG_KEY, current: true }]
database: { path: ${join(dir, 'snapgate.db')} }
`,
    );
    const env = { PKG_KONG_TOKEN: 'token', PKG_KEY: 'b'.repeat(64) };
    const bad = await snapgate(['config', 'check', '-c', config]);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/PKG_KONG_TOKEN is not set/);
    const migrated = await snapgate(['db', 'migrate', '-c', config], env);
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    expect(existsSync(join(dir, 'snapgate.db'))).toBe(true);
  });

  it('dumps a live gateway', async () => {
    const dumped = await snapgate(['dump', '--kong-url', sim.url, '--format', 'json']);
    expect(dumped.code).toBe(0);
    const file = JSON.parse(dumped.stdout);
    expect(file._format_version).toBe('3.0');
    expect(file.services.map((s: { name: string }) => s.name)).toEqual(['orders']);
  });
});
