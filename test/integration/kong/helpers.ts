/**
 * Shared setup for the Kong integration tests: a real kong-sim on a random loopback port per test, a
 * client with fast retries, and the snapgate CLI run as a subprocess (stdin is not a TTY there).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planOnGateway } from '../../../src/app/plan-against-live.ts';
import { fromDeckFile, type PlanOptions, type Section, type Snapshot } from '../../../src/core/index.ts';
import {
  createKongClient,
  describeGateway,
  dumpGateway,
  type KongClient,
  type KongClientOptions,
  openGatewayPlanning,
} from '../../../src/kong/index.ts';
import { type KongSim, type KongSimOptions, startKongSim } from '../../../tools/kong-sim/index.ts';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/deck');
const ROOT = join(import.meta.dirname, '../../..');

/**
 * A decK fixture as written: plugin configs carry only what the file's author set. snapgate's engine
 * fills Kong's schema defaults from the gateway before it plans (`planOn`), so these real decK files
 * must converge as they are.
 */
export function fixture(name: string): Snapshot {
  return fromDeckFile(readFileSync(join(FIXTURES, name), 'utf8'));
}

/** The fixture file itself, for the CLI. */
export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

/**
 * Plan `target` against the live gateway as every snapgate caller does (`planOnGateway`: the gateway's
 * schema defaults filled into the target, then the plan, then preflight). `current` is what
 * `applyPlan` takes.
 */
export async function planOn(client: KongClient, target: Snapshot, options: PlanOptions = {}) {
  const gw = await describeGateway(client);
  const [planning, live] = await Promise.all([
    openGatewayPlanning(client, gw),
    dumpGateway(client, { gateway: gw, takenAt: 'now' }),
  ]);
  return planOnGateway(planning, live, target, options);
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

/** Remaining differences between the live gateway and `target` (the re-diff, defaults filled). */
export async function remaining(client: KongClient, target: Snapshot, only?: Section[]) {
  return (await planOn(client, target, only ? { only } : {})).plan.changes;
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
        // below the 60 s test timeout: eight CLI starts at once on a loaded 2-core machine take > 30 s
        timeout: 55_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}
