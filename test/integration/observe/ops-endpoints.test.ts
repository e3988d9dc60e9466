/**
 * `/healthz`, `/readyz` and `/metrics` over real HTTP with real Redis, SQLite, directories and kong-sim
 * (issue 14 §4). In process: readiness names the part that fails — a copy directory that is no longer a
 * directory, Redis gone (its port closed), the database closed — while `/healthz` keeps answering. Then
 * the real `snapgate worker --metrics-port 0`: its metrics change after a backup it ran, and its JSON log
 * lines about that backup carry the job's id (issue 14 §5).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { requestBackup } from '../../../src/app/index.ts';
import type { Runtime } from '../../../src/compose/index.ts';
import { processMetrics, readinessChecks } from '../../../src/compose/observe.ts';
import { type OpsServer, opsRoutes, startOpsServer } from '../../../src/observe/http.ts';
import { SNAPGATE_BIN } from '../../support/snapgate-cli.ts';
import { createTestEnv, KONG_TOKEN, type TestEnv, waitFor, waitForBackup } from '../jobs/harness.ts';

const ASYNC_HOOKS_PROBE = fileURLToPath(new URL('../../support/async-hooks-probe.mjs', import.meta.url));

let env: TestEnv | undefined;
let ops: OpsServer | undefined;
let proxy: { port: number; close(): Promise<void> } | undefined;
let worker: ChildProcess | undefined;

afterEach(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker!.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  worker = undefined;
  await ops?.close();
  await proxy?.close();
  await env?.cleanup();
  ops = undefined;
  proxy = undefined;
  env = undefined;
});

/** A TCP relay to the real Redis whose port can be closed, as a Redis that went away. */
async function redisRelay(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(6379, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

/** `/readyz`: the HTTP status and the JSON body (`status` is the body's: `ready` or the failing part). */
async function readyz(port: number) {
  const r = await get(port, '/readyz');
  const body = JSON.parse(r.body) as { status: string; checks: Record<string, { ok: boolean }> };
  return { http: r.status, ...body };
}

describe('readiness over HTTP', () => {
  it('names the failing part: a copy directory, Redis, the database; /healthz answers throughout', async () => {
    env = await createTestEnv();
    proxy = await redisRelay();
    const services = (await env.open({ redis: { url: `redis://127.0.0.1:${proxy.port}` } })) as Runtime;
    ops = await startOpsServer(
      0,
      opsRoutes(readinessChecks(services), processMetrics(() => services).metrics),
    );
    const copy = join(env.dir, 'offsite');
    const copyCheck = `storage:directory:${copy}`;

    const ready = await readyz(ops.port);
    expect(ready).toMatchObject({ http: 200, status: 'ready' });
    expect(Object.keys(ready.checks)).toEqual(['database', 'redis', 'storage:primary', copyCheck]);

    // the copy directory is replaced by a file (a mount gone wrong)
    rmSync(copy, { recursive: true, force: true });
    writeFileSync(copy, 'not a directory');
    const storageDown = await readyz(ops.port);
    expect(storageDown.http).toBe(503);
    expect(storageDown.status).toBe(`${copyCheck}: ${copy} is not a directory`);
    expect(storageDown.checks[copyCheck]).toMatchObject({ ok: false });
    expect(storageDown.checks.database).toMatchObject({ ok: true });
    rmSync(copy);
    mkdirSync(copy);
    expect(await readyz(ops.port)).toMatchObject({ http: 200, status: 'ready' });

    // Redis goes away: its port closes
    await proxy.close();
    const redisDown = await waitFor('readyz to see Redis gone', async () => {
      const r = await get(ops!.port, '/readyz');
      return r.status === 503 ? (JSON.parse(r.body) as { status: string }) : undefined;
    });
    expect(redisDown.status).toMatch(
      new RegExp(`^redis: Redis at redis://127\\.0\\.0\\.1:${proxy.port}/? does not answer`),
    );
    expect((await get(ops.port, '/healthz')).status).toBe(200);

    // the database closes
    await services.repos.close();
    const dbDown = await readyz(ops.port);
    expect(dbDown.http).toBe(503);
    expect(dbDown.checks.database).toMatchObject({ ok: false });
    expect(dbDown.status).toMatch(/^database: /);
    expect(JSON.stringify(dbDown)).not.toContain(KONG_TOKEN);
  });
});

describe('snapgate worker --metrics-port', () => {
  it('serves the endpoints, and its metrics change after a backup it ran', async () => {
    env = await createTestEnv();
    let out = '';
    let stdout = '';
    // the probe reports whether async hooks were ever on in the worker (test/support/async-hooks-probe.mjs)
    const nodeOptions = [process.env.NODE_OPTIONS, `--import=${ASYNC_HOOKS_PROBE}`].filter(Boolean).join(' ');
    worker = spawn(SNAPGATE_BIN, ['worker', '--config', env.configPath, '--metrics-port', '0'], {
      env: { ...process.env, ...env.env, SNAPGATE_LOG_LEVEL: 'debug', NODE_OPTIONS: nodeOptions },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d) => {
      out += d;
      stdout += d;
    });
    worker.stderr!.on('data', (d) => {
      out += d;
    });
    const port = Number(
      (await waitFor('the metrics port', async () => /metrics on port (\d+)/.exec(out), 30_000))[1],
    );
    expect((await get(port, '/healthz')).status).toBe(200);
    expect(await readyz(port)).toMatchObject({ http: 200, status: 'ready' });
    const before = await get(port, '/metrics');
    expect(before.status).toBe(200);
    expect(before.body).toContain('snapgate_queue_jobs{queue="backup",state="waiting"} 0');
    expect(before.body).not.toMatch(/snapgate_backups_total\{/);
    expect(before.body).not.toMatch(/snapgate_last_successful_backup_timestamp_seconds\{/);

    const services = await env.open();
    const requested = await requestBackup(services, {
      connection: 'prod',
      type: 'manual',
      requestedBy: 'U0OPS',
    });
    const done = await waitForBackup(services, requested.id);
    expect(done.status).toBe('completed');

    const after = await waitFor('the backup in the metrics', async () => {
      const m = await get(port, '/metrics');
      return m.body.includes('snapgate_backups_total{connection="prod",status="completed"} 1')
        ? m.body
        : undefined;
    });
    expect(after).toContain('snapgate_backup_duration_seconds_count{connection="prod",status="completed"} 1');
    expect(after).toContain(`snapgate_artifact_bytes_written_total{connection="prod"} ${done.bytes}`);
    expect(after).toContain(`snapgate_artifact_bytes{connection="prod"} ${done.bytes}`);
    expect(after).toContain(
      `snapgate_last_successful_backup_timestamp_seconds{connection="prod"} ${done.finishedAt!.getTime() / 1000}`,
    );
    expect(after).toContain('snapgate_queue_jobs{queue="backup",state="failed"} 0');
    expect(after).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(after).not.toContain(KONG_TOKEN);
    expect(after).not.toContain(env.env.SNAPGATE_KEY_1);

    // its log (issue 14 §5): JSON lines; every line about the backup carries its job's id and queue
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as { msg: string; level: string; jobId?: string; queue?: string; process: string },
      );
    expect(lines.every((l) => l.process === 'worker' && typeof l.msg === 'string')).toBe(true);
    const aboutBackup = lines.filter((l) => l.msg.includes(done.id));
    expect(aboutBackup.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/running \(started\)/),
        expect.stringMatching(/completed/),
      ]),
    );
    expect(aboutBackup.every((l) => l.jobId === done.id && l.queue === 'backup')).toBe(true);
    expect(lines.find((l) => /metrics on port/.test(l.msg))).not.toHaveProperty('jobId');
    expect(stdout).not.toContain(KONG_TOKEN);
    expect(stdout).not.toContain(env.env.SNAPGATE_KEY_1);

    // the job's lines named it without async hooks: on Node 20 they slow every promise of the job (the
    // apply of a 146k-entity restore ~5 %); src/app/log-context.ts
    const exited = new Promise((r) => worker!.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
    expect(out).toMatch(/async-hooks-probe: off \([1-9]\d* checks\)/);
  });
});
