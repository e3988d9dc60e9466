/**
 * Shared setup for the jobs integration tests: a temp dir with a real snapgate.yml (loaded by loadConfig),
 * a real SQLite file, a kong-sim on a random port seeded with known secrets, real Redis under a random
 * BullMQ prefix (deleted afterwards), and a notifier that records what it was told.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import type { BackupEvent, DiffOutcome, Notifier, PruneEvent, VerifyEvent } from '../../../src/app/index.ts';
import {
  type CreateServicesOptions,
  createServices,
  type Runtime as Services,
} from '../../../src/compose/index.ts';
import { type Config, loadConfig } from '../../../src/config/index.ts';
import type { Backup } from '../../../src/db/index.ts';
import { type KongSim, type KongSimOptions, startKongSim } from '../../../tools/kong-sim/index.ts';

export const REDIS_URL = process.env.SNAPGATE_TEST_REDIS ?? 'redis://127.0.0.1:6379';
export const KONG_TOKEN = 'kong-admin-token-9d1c2f7a55';

const cert = parse(
  readFileSync(new URL('../../fixtures/deck/004-certificates-snis.yaml', import.meta.url), 'utf8'),
);
const firstCert = (cert.certificates as Record<string, unknown>[])[0]!;
export const PRIVATE_KEY_PEM = firstCert.key as string;

/** Values that must never appear in plaintext outside Kong. */
export const KNOWN_SECRETS = {
  keyauth: 'keyauth-secret-4b6e0c9d1a',
  hmac: 'hmac-shared-secret-77aa01',
  jwt: 'jwt-hs256-signing-secret-5e2b',
  privateKeyLine: PRIVATE_KEY_PEM.split('\n')[1]!,
  kongToken: KONG_TOKEN,
};

export const SEED = {
  _format_version: '3.0',
  services: [
    {
      name: 'orders',
      host: 'orders.internal',
      port: 8080,
      routes: [{ name: 'orders-api', paths: ['/orders'] }],
      plugins: [{ name: 'rate-limiting', config: { minute: 100, policy: 'local' } }],
    },
    { name: 'billing', host: 'billing.internal', routes: [{ name: 'billing-api', paths: ['/billing'] }] },
  ],
  consumers: [
    {
      username: 'alice',
      keyauth_credentials: [{ key: KNOWN_SECRETS.keyauth }],
      hmacauth_credentials: [{ username: 'alice-hmac', secret: KNOWN_SECRETS.hmac }],
      jwt_secrets: [{ key: 'alice-issuer', algorithm: 'HS256', secret: KNOWN_SECRETS.jwt }],
    },
  ],
  certificates: [{ cert: firstCert.cert, key: PRIVATE_KEY_PEM, snis: [{ name: 'api.example.com' }] }],
};

export class RecordingNotifier implements Notifier {
  backups: BackupEvent[] = [];
  verifies: VerifyEvent[] = [];
  prunes: PruneEvent[] = [];
  diffs: DiffOutcome[] = [];
  backupChanged(e: BackupEvent) {
    this.backups.push(e);
  }
  verifyFinished(e: VerifyEvent) {
    this.verifies.push(e);
  }
  pruneFinished(e: PruneEvent) {
    this.prunes.push(e);
  }
  diffFinished(e: DiffOutcome) {
    this.diffs.push(e);
  }
}

export interface TestEnv {
  dir: string;
  configPath: string;
  env: Record<string, string>;
  prefix: string;
  sim: KongSim;
  config: Config;
  notifier: RecordingNotifier;
  open(overrides?: Partial<CreateServicesOptions>): Promise<Services>;
  /** rewrite the config file with changes and load it again */
  reload(edit: (yaml: string) => string): Promise<Config>;
  cleanup(): Promise<void>;
}

export interface EnvOptions {
  sim?: KongSimOptions;
  /** extra YAML under the first connection (schedules, retention) */
  connectionExtra?: string;
  /** a second connection with the same gateway */
  secondConnection?: boolean;
  /** `storage.primary` as YAML (a path, or a flow map like `{ type: s3, … }`) */
  primary?: string;
  /** more environment variables for the config (S3 credentials) */
  env?: Record<string, string>;
  /**
   * the first connection's gateway lines instead of `kongUrl` + `tokenEnv` (a `type: konnect` connection,
   * a Kong connection with `workspaces`), given the simulator's URL
   */
  gatewayYaml?: (simUrl: string) => string;
}

export const KONNECT_TOKEN = 'kpat_jobsharness0123456789abcdefghijklmnopqrstuv';

/**
 * kong-sim in Konnect mode, the seed in control plane `prod` (beside an empty `staging`), and a
 * `type: konnect` connection `prod` that reaches it.
 */
export function konnectEnvOptions(seed: Record<string, unknown> = SEED): EnvOptions {
  return {
    sim: {
      token: undefined,
      seed: undefined,
      konnect: { token: KONNECT_TOKEN, controlPlanes: [{ name: 'prod', seed }, { name: 'staging' }] },
    },
    env: { KONNECT_TOKEN },
    gatewayYaml: (url) =>
      `    type: konnect\n    baseUrl: ${url}\n    controlPlane: prod\n    tokenEnv: KONNECT_TOKEN`,
  };
}

export function configYaml(dir: string, simUrl: string, o: EnvOptions = {}): string {
  const extra = (o.connectionExtra ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `    ${l}`)
    .join('\n');
  const gateway = o.gatewayYaml?.(simUrl) ?? `    kongUrl: ${simUrl}\n    tokenEnv: KONG_TOKEN`;
  return `connections:
  - name: prod
${gateway}
    environment: prod
${extra}
${
  o.secondConnection
    ? `  - name: staging
    kongUrl: ${simUrl}
    tokenEnv: KONG_TOKEN
    environment: staging
`
    : ''
}storage:
  primary: ${o.primary ?? join(dir, 'primary')}
  copies:
    - type: directory
      path: ${join(dir, 'offsite')}
keys:
  - id: k1
    env: SNAPGATE_KEY_1
    current: true
database:
  path: ${join(dir, 'snapgate.db')}
redis:
  url: ${REDIS_URL}
  prefix: PREFIX
`;
}

export async function createTestEnv(o: EnvOptions = {}): Promise<TestEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'snapgate-jobs-'));
  const sim = await startKongSim({ token: KONG_TOKEN, seed: SEED, ...o.sim });
  const prefix = `sgtest-${randomUUID().slice(0, 8)}`;
  const env = { KONG_TOKEN, SNAPGATE_KEY_1: randomBytes(32).toString('hex'), ...o.env };
  const configPath = join(dir, 'snapgate.yml');
  writeFileSync(configPath, configYaml(dir, sim.url, o).replace('PREFIX', prefix));
  const notifier = new RecordingNotifier();
  const opened: Services[] = [];
  const t: TestEnv = {
    dir,
    configPath,
    env,
    prefix,
    sim,
    notifier,
    config: await loadConfig({ path: configPath, env }),
    async open(overrides = {}) {
      const s = await createServices({
        config: t.config,
        notifier,
        retry: { attempts: 2, backoffMs: 50 },
        ...overrides,
      });
      opened.push(s);
      return s;
    },
    async reload(edit) {
      writeFileSync(configPath, edit(readFileSync(configPath, 'utf8')));
      t.config = await loadConfig({ path: configPath, env });
      return t.config;
    },
    async cleanup() {
      for (const s of opened) await s.close();
      await sim.close();
      await deletePrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function waitForBackup(
  services: Services,
  id: string,
  statuses = ['completed', 'failed'],
): Promise<Backup> {
  return waitFor(`backup ${id} to be ${statuses.join('/')}`, async () => {
    const b = await services.repos.backups.get(id);
    return b && statuses.includes(b.status) ? b : undefined;
  });
}

/** Three workspaces, each with an `orders` service (names are unique per workspace, ids across all). */
export const WORKSPACE_SEEDS = {
  seed: {
    _format_version: '3.0',
    services: [
      {
        id: '7d000000-0000-4000-8000-000000000001',
        name: 'orders',
        host: 'default.internal',
        routes: [{ id: '7d000000-0000-4000-8000-000000000002', name: 'orders', paths: ['/orders'] }],
      },
    ],
  },
  workspaceSeeds: Object.fromEntries(
    (['a', 'b'] as const).map((t, i) => [
      `team-${t}`,
      {
        _format_version: '3.0',
        services: [
          {
            id: `7d000000-0000-4000-8000-0000000001${i}1`,
            name: 'orders',
            host: `${t}.internal`,
            routes: [{ id: `7d000000-0000-4000-8000-0000000001${i}2`, name: 'orders', paths: [`/${t}`] }],
          },
        ],
        consumers: [{ id: `7d000000-0000-4000-8000-0000000001${i}3`, username: `${t}-user` }],
      },
    ]),
  ),
};

/**
 * Kong Enterprise with three workspaces (default, team-a, team-b; WORKSPACE_SEEDS) and a Kong connection
 * `prod` with `workspaces: all`.
 */
export function enterpriseEnvOptions(): EnvOptions {
  return {
    sim: {
      token: undefined,
      seed: WORKSPACE_SEEDS.seed,
      edition: 'enterprise',
      workspaces: ['team-a', 'team-b'],
      workspaceSeeds: WORKSPACE_SEEDS.workspaceSeeds,
    },
    gatewayYaml: (url) => `    kongUrl: ${url}\n    tokenEnv: KONG_TOKEN\n    workspaces: all`,
  };
}
