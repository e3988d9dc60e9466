/**
 * Issue 18 §5: a reader that closes early (`| head -3`) must never kill the CLI. Before, the EPIPE was an
 * unhandled `error` event: a stack trace on stderr, and `apply … --yes | head` died after a few of its
 * writes, leaving the gateway half-changed. Now printing stops, the command runs to its end (every write
 * of the apply made) and the exit code is its result. The real bin/snapgate runs under bash with its
 * stdout in an OS pipe to `head`, as a user types it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SNAPGATE_BIN } from '../../support/snapgate-cli.ts';
import { createTestEnv } from '../jobs/harness.ts';
import { closeAll, gateway } from './helpers.ts';

afterAll(closeAll);
const dir = mkdtempSync(join(tmpdir(), 'snapgate-epipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Piped {
  head: string;
  stderr: string;
  /** snapgate's own exit status (bash PIPESTATUS[0]) */
  status: number;
}

/** `snapgate ARGS | head -3` under bash; snapgate's status read from PIPESTATUS. */
function pipedIntoHead(args: string[], env: Record<string, string> = {}): Promise<Piped> {
  const quoted = [SNAPGATE_BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const p = spawn('bash', ['-c', `${quoted} | head -3; echo "status=\${PIPESTATUS[0]}" >&2`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let head = '';
  let stderr = '';
  p.stdout.on('data', (d) => {
    head += d;
  });
  p.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) =>
    p.on('exit', () => {
      const status = Number(/status=(\d+)\n$/.exec(stderr)?.[1] ?? -1);
      resolve({ head, stderr: stderr.replace(/status=\d+\n$/, ''), status });
    }),
  );
}

async function countServices(url: string): Promise<number> {
  let n = 0;
  let next: string | null = '/services?size=1000';
  while (next) {
    const page = (await (await fetch(`${url}${next}`)).json()) as { data: unknown[]; next: string | null };
    n += page.data.length;
    next = page.next;
  }
  return n;
}

it('apply --yes | head -3: no stack trace, every write made, exit 0', async () => {
  // a plan longer than a pipe's 64 KiB buffer: the plan print itself meets the closed pipe, before any write
  const services = 3000;
  const file = join(dir, 'many.yaml');
  const lines = ['_format_version: "3.0"', 'services:'];
  for (let i = 0; i < services; i++) lines.push(`  - name: svc-${i}`, `    host: svc-${i}.internal`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const { sim } = await gateway();

  const run = await pipedIntoHead(['apply', '--kong-url', sim.url, file, '--yes']);
  expect(run.head.split('\n').filter(Boolean)).toHaveLength(3);
  expect(run.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
  expect(run.stderr).toContain('snapgate: output stopped early (the reader closed the pipe)');
  expect(run.status).toBe(0);
  expect(await countServices(sim.url)).toBe(services);
}, 120_000);

it('backups list | head -3: no stack trace, exit 0', async () => {
  const env = await createTestEnv();
  try {
    const services = await env.open();
    for (let i = 0; i < 1500; i++) {
      await services.repos.backups.create({
        connection: 'prod',
        type: 'manual',
        requestedBy: 'cli:test',
        note: `a note long enough to fill the pipe quickly ${i}`,
      });
    }
    const run = await pipedIntoHead(
      ['backups', 'list', 'prod', '--limit', '1500', '--config', env.configPath],
      env.env,
    );
    expect(run.head.split('\n').filter(Boolean)).toHaveLength(3);
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(run.status).toBe(0);
  } finally {
    await env.cleanup();
  }
}, 60_000);
