/**
 * Shared setup for the Kong integration tests: a real kong-sim on a random loopback port per test, a
 * client with fast retries, and the snapgate CLI run as a subprocess (stdin is not a TTY there).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromDeckFile, planRestore, type Section, type Snapshot } from '../../../src/core/index.ts';
import {
  createKongClient,
  dumpGateway,
  type KongClient,
  type KongClientOptions,
} from '../../../src/kong/index.ts';
import { type KongSim, type KongSimOptions, startKongSim } from '../../../tools/kong-sim/index.ts';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/deck');
const ROOT = join(import.meta.dirname, '../../..');

export function fixture(name: string): Snapshot {
  return fromDeckFile(readFileSync(join(FIXTURES, name), 'utf8'));
}

export interface Gateway {
  sim: KongSim;
  client: KongClient;
  close(): Promise<void>;
}

const open: Gateway[] = [];

export async function gateway(
  simOpts: KongSimOptions = {},
  clientOpts: Partial<KongClientOptions> = {},
): Promise<Gateway> {
  const sim = await startKongSim({ port: 0, edition: 'enterprise', ...simOpts });
  const client = createKongClient({
    url: sim.url,
    token: simOpts.token,
    workspace: simOpts.workspace,
    retry: { baseDelayMs: 2, maxDelayMs: 20, maxAttempts: 12 },
    ...clientOpts,
  });
  const g = {
    sim,
    client,
    close: async () => {
      client.close();
      await sim.close();
    },
  };
  open.push(g);
  return g;
}

export async function closeAll(): Promise<void> {
  for (const g of open.splice(0)) await g.close();
}

/** Remaining differences between the live gateway and `target` (the re-diff). */
export async function remaining(client: KongClient, target: Snapshot, only?: Section[]) {
  const live = await dumpGateway(client, { takenAt: 'now', ...(only ? { only } : {}) });
  return planRestore(live, target, only ? { only } : {}).changes;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function snapgate(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      join(ROOT, 'bin/snapgate'),
      args,
      {
        cwd: ROOT,
        env: { ...process.env, SNAPGATE_KONG_URL: '', SNAPGATE_KONG_TOKEN: '', ...env },
        timeout: 30_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}
