/**
 * A private `redis-server` for tests that must break Redis: its own process on a random free port, no
 * persistence (`--save '' --appendonly no`), its own temp dir. `kill()` is a crash (SIGKILL, every key
 * lost with it), `restart()` starts an empty server on the same port. The shared Redis on 127.0.0.1:6379
 * is never touched.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateRedis {
  url: string;
  port: number;
  kill(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A redis-server on 127.0.0.1:`port` that keeps nothing on disk (its files, if any, in `dir`). */
export function ephemeralRedisArgs(port: number, dir: string, extra: string[] = []): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    ...extra,
  ];
}

async function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  return spawnRedisServer(ephemeralRedisArgs(port, dir));
}

/** `redis-server` with these arguments (a config file first for Sentinel), once it accepts connections. */
export async function spawnRedisServer(args: string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections|Sentinel ID is/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

export async function stop(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'snapgate-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined = await spawnRedis(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      await stop(child, 'SIGKILL');
      child = undefined;
    },
    async restart() {
      await stop(child, 'SIGKILL');
      child = await spawnRedis(port, dir);
    },
    async close() {
      await stop(child, 'SIGKILL');
      child = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
