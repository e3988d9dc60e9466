/**
 * `npm run demo`: snapgate's engine end to end on a fresh clone, no real Kong needed. Starts kong-sim
 * with a sample gateway (test/fixtures/deck/001-services-routes-plugins.yaml), takes a dump with the
 * CLI, breaks the gateway through the Admin API, shows the diff, applies the dump back and shows that
 * the re-diff is empty. Every step prints what it runs; the demo exits 1 if any step misbehaves.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKongSim } from './kong-sim/index.ts';

const ROOT = join(import.meta.dirname, '..');
const SAMPLE = join(ROOT, 'test/fixtures/deck/001-services-routes-plugins.yaml');

function banner(text: string): void {
  process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
}

function snapgate(args: string[]): Promise<{ code: number; out: string }> {
  process.stdout.write(`$ ./bin/snapgate ${args.join(' ')}\n`);
  return new Promise((resolve) => {
    execFile(join(ROOT, 'bin/snapgate'), args, { cwd: ROOT }, (err, stdout, stderr) => {
      const out = stdout + stderr;
      if (out.trim()) process.stdout.write(`${out.trimEnd().replace(/^/gm, '  ')}\n`);
      resolve({ code: err ? Number(err.code ?? 1) : 0, out });
    });
  });
}

async function admin(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  process.stdout.write(`$ curl -X ${method} ${url}${path}${body ? ` -d '${JSON.stringify(body)}'` : ''}\n`);
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  process.stdout.write(`  → ${res.status}\n`);
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}`);
  return res.status === 204 ? null : res.json();
}

function expectCode(step: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${step}: exit code ${got}, expected ${want}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'snapgate-demo-'));
  const backup = join(dir, 'backup.yaml');
  banner('Start a Kong Admin API simulator with a sample gateway');
  const kong = await startKongSim({ port: 0, seed: SAMPLE });
  process.stdout.write(`kong-sim listening on ${kong.url} with ${kong.state.store.total()} entities\n`);
  const url = ['--kong-url', kong.url];
  try {
    banner('1. Back up the gateway as a decK file');
    expectCode('dump', (await snapgate(['dump', ...url, '--output', backup])).code, 0);

    banner('2. Break it through the Admin API: delete a route, change a plugin, add a rogue consumer');
    await admin(kong.url, 'DELETE', '/routes/orders-admin');
    const plugins = (await fetch(`${kong.url}/plugins?size=1000`).then((r) => r.json())) as {
      data: { id: string; name: string; config: Record<string, unknown> }[];
    };
    const limiter = plugins.data.find((p) => p.name === 'rate-limiting');
    if (!limiter) throw new Error('the sample gateway has no rate-limiting plugin');
    await admin(kong.url, 'PATCH', `/plugins/${limiter.id}`, {
      config: { ...limiter.config, minute: 100000 },
    });
    await admin(kong.url, 'POST', '/consumers', { username: 'rogue-admin' });

    banner('3. See what restoring the backup would change');
    expectCode('diff', (await snapgate(['diff', ...url, backup, '--exit-code'])).code, 2);

    banner('4. Restore the backup');
    expectCode('apply', (await snapgate(['apply', ...url, backup, '--yes'])).code, 0);

    banner('5. Check: the gateway matches the backup again');
    const check = await snapgate(['diff', ...url, backup, '--exit-code']);
    expectCode('re-diff', check.code, 0);
    banner(`Done: ${kong.state.writes} writes reached the gateway; the re-diff is empty.`);
  } finally {
    await kong.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
