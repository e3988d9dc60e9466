/**
 * Shared setup for the Kong integration tests: a real kong-sim on a random loopback port per test, a
 * client with fast retries, and the snapgate CLI run as a subprocess (stdin is not a TTY there).
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  type Entity,
  fromDeckFile,
  planRestore,
  type Section,
  type Snapshot,
  toDeckFile,
} from '../../../src/core/index.ts';
import {
  createKongClient,
  dumpGateway,
  type KongClient,
  type KongClientOptions,
} from '../../../src/kong/index.ts';
import { type KongSim, type KongSimOptions, startKongSim } from '../../../tools/kong-sim/index.ts';
import { bundledPluginSchema, storedPluginConfig } from '../../../tools/kong-sim/kong-schema.ts';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/deck');
const ROOT = join(import.meta.dirname, '../../..');

/** A decK fixture as written: plugin configs carry only what the file's author set. */
export function rawFixture(name: string): Snapshot {
  return fromDeckFile(readFileSync(join(FIXTURES, name), 'utf8'));
}

/**
 * A decK fixture with each bundled plugin's config as Kong 3.9 stores it (schema defaults filled,
 * kong-sim's data from kong/plugins/<p>/schema.lua). The simulator fills defaults on write as Kong
 * does; until snapgate's engine fills them itself before diffing (issue 11 §1), round trips that are
 * about something else compare against the filled form.
 */
export function fixture(name: string): Snapshot {
  return withKongDefaults(rawFixture(name));
}

export function withKongDefaults(s: Snapshot): Snapshot {
  const plugins: Record<string, Entity> = {};
  for (const [id, p] of Object.entries(s.entities.plugins ?? {})) {
    const name = String(p.name);
    const known = bundledPluginSchema(name) !== undefined;
    const config = (p.config ?? {}) as Record<string, unknown>;
    plugins[id] = known ? { ...p, config: storedPluginConfig(name, config) } : p;
  }
  return { meta: s.meta, entities: { ...s.entities, plugins } };
}

/**
 * A decK file's text with every bundled plugin's config in Kong's stored form (see `fixture`), nothing
 * else changed (no ids added): for tests that give the CLI a file about something other than defaults.
 */
export function withKongDefaultsText(text: string): string {
  const doc = parseYaml(text) as unknown;
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const obj = node as Record<string, unknown>;
    if (Array.isArray(obj.plugins)) {
      for (const p of obj.plugins as Record<string, unknown>[]) {
        const name = String(p.name);
        if (bundledPluginSchema(name))
          p.config = storedPluginConfig(name, (p.config ?? {}) as Record<string, unknown>);
      }
    }
    for (const v of Object.values(obj)) walk(v);
  };
  walk(doc);
  return stringifyYaml(doc);
}

/** `fixture(name)` written out as a decK file in `dir` (for the CLI, which reads files). */
export function fixtureFile(name: string, dir: string): string {
  const path = join(dir, `filled-${name.replace(/\.json$/, '.yaml')}`);
  writeFileSync(path, toDeckFile(fixture(name)));
  return path;
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
