/**
 * `npm run bench:scale` (issue 14, "Numbers"): backups per minute with 1 and with 3 `snapgate worker`
 * processes, and audit appends per second from 4 processes on PostgreSQL.
 *
 * Backups: 10 connections, each its own kong-sim child process seeded with the synthetic gateway at a
 * tenth of its full size (~15k entities; bench/synthetic.ts) and `--latency-ms 20` on every request (a
 * remote gateway). Records in a private PostgreSQL schema, artifacts in one shared directory (plus its
 * copy), Redis under a fresh prefix — what several instances share. For each worker count: a fresh
 * schema, prefix and directory; N real `bin/snapgate worker` processes (default concurrency, 2 backups
 * each); once all have started, 30 backups (3 per connection) are requested at once through the
 * application (`requestBackup`, as `serve` does), and the clock runs from the first request to the
 * last record reaching `completed`. The 2nd and 3rd backup of a connection find its content unchanged
 * and share the first one's artifact, as they would in production.
 *
 * Audit: bench/audit-postgres.bench.ts as a child process (2,000 appends from 4 processes, chain verified).
 *
 * `--scale F` (0 < F ≤ 1) shrinks the per-connection gateway further (`--scale 0.1`: ~1.5k entities, a
 * smoke run in about a minute); `--backups N` changes the 30. Figures for docs/benchmarks.md come from
 * the full size on a quiet machine. Prints one JSON line last. Goal: ≥ 2.5× backups per minute with 3
 * workers than with 1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestBackup, SILENT_NOTIFIER } from '../src/app/index.ts';
import { createServices } from '../src/compose/index.ts';
import { loadConfig } from '../src/config/index.ts';
import { toKongDeclarative } from '../src/core/deck/index.ts';
import { privateSchema } from '../test/support/postgres.ts';
import { SNAPGATE_BIN } from '../test/support/snapgate-cli.ts';
import { BENCH_REDIS_URL } from './bench-config.ts';
import { simCompatible } from './sim-compat.ts';
import { type SimProcess, startSimProcess, stopSimProcess } from './sim-process.ts';
import { DEFAULT_SYNTHETIC, type SyntheticOptions, syntheticGateway } from './synthetic.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}
const SCALE = Number(option('--scale') ?? 1);
const BACKUPS = Number(option('--backups') ?? 30);
if (!(SCALE > 0 && SCALE <= 1) || !Number.isInteger(BACKUPS) || BACKUPS < 1) {
  console.error('usage: bench:scale [-- --scale F (0 < F ≤ 1)] [--backups N (≥ 1)]');
  process.exit(2);
}
const CONNECTIONS = 10;
const LATENCY_MS = 20;
const TOKEN = 'bench-token';
/** a tenth of the full synthetic gateway (~146k entities): ~15k per connection */
const BASE_FRACTION = 0.1;

function scaled(f: number): Partial<SyntheticOptions> {
  const { seed, targetsPerUpstream, snisPerCertificate, ...counts } = DEFAULT_SYNTHETIC;
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, Math.max(1, Math.round(n * f))]));
}

function configYaml(dir: string, sims: SimProcess[], database: string, prefix: string): string {
  const connections = sims
    .map(
      (s, i) =>
        `  - name: gw${i + 1}\n    kongUrl: ${s.url}\n    tokenEnv: KONG_TOKEN\n    environment: bench\n`,
    )
    .join('');
  return `connections:
${connections}storage:
  primary: ${join(dir, 'primary')}
  copies:
    - type: directory
      path: ${join(dir, 'offsite')}
keys:
  - id: k1
    env: BENCH_KEY
    current: true
database: ${database}
redis:
  url: ${BENCH_REDIS_URL}
  prefix: ${prefix}
`;
}

function startWorker(configPath: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(SNAPGATE_BIN, ['worker', '--config', configPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const seen = (d: Buffer) => {
      out += d;
      if (out.includes('worker started')) resolve(child);
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${out.slice(-2000)}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  child.removeAllListeners('exit');
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  return gone;
}

interface Round {
  workers: number;
  ms: number;
  backupsPerMinute: number;
  failed: number;
  /** CPU seconds spent during the round, by process: where the two cores went */
  cpuSeconds: { workers: number; sims: number; postgres: number; bench: number; machine: number };
}

/** utime + stime of a process in clock ticks (/proc/<pid>/stat fields 14 and 15), 0 once it is gone. */
function cpuTicks(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The PostgreSQL server's processes (postmaster and backends), by command name. */
function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/comm`, 'utf8').trim().startsWith('postgres');
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Busy ticks of the whole machine (/proc/stat `cpu` line: everything but idle and iowait). */
function machineBusyTicks(): number {
  const [, ...v] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] as string).trim().split(/\s+/);
  const n = v.map(Number);
  return n.reduce((a, b) => a + b, 0) - (n[3] ?? 0) - (n[4] ?? 0);
}

/** Clock ticks per second on Linux (USER_HZ). */
const HZ = 100;

async function round(workers: number, sims: SimProcess[], root: string): Promise<Round> {
  const dir = join(root, `workers-${workers}`);
  mkdirSync(dir, { recursive: true });
  const pg = await privateSchema('benchscale');
  const prefix = `sgbench-${randomBytes(4).toString('hex')}`;
  const env = { KONG_TOKEN: TOKEN, BENCH_KEY: randomBytes(32).toString('hex') };
  const configPath = join(dir, 'snapgate.yml');
  writeFileSync(
    configPath,
    configYaml(dir, sims, `{ url: "${pg.database.url}", schema: ${pg.schema} }`, prefix),
  );
  const config = await loadConfig({ path: configPath, env });
  // the producer only, as `serve --no-workers` is (it also migrates the schema before the workers start)
  const services = await createServices({ config, notifier: SILENT_NOTIFIER });
  const children: ChildProcess[] = [];
  try {
    for (const c of await Promise.all(Array.from({ length: workers }, () => startWorker(configPath, env))))
      children.push(c);
    const pgPids = postgresPids();
    const cpu0 = {
      sims: sims.reduce((n, s) => n + cpuTicks(s.child.pid), 0),
      postgres: pgPids.reduce((n, p) => n + cpuTicks(p), 0),
      bench: process.cpuUsage(),
      machine: machineBusyTicks(),
    };
    const workers0 = children.reduce((n, c) => n + cpuTicks(c.pid), 0);
    const t0 = performance.now();
    const ids = await Promise.all(
      Array.from({ length: BACKUPS }, (_, i) =>
        requestBackup(services, {
          connection: `gw${(i % CONNECTIONS) + 1}`,
          type: 'manual',
          requestedBy: 'system',
          note: `bench ${i}`,
        }).then((b) => b.id),
      ),
    );
    let failed = 0;
    const pending = new Set(ids);
    while (pending.size > 0) {
      for (const id of [...pending]) {
        const b = await services.repos.backups.get(id);
        if (b?.status === 'completed' || b?.status === 'failed') {
          if (b.status === 'failed') failed++;
          pending.delete(id);
        }
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 100));
    }
    const ms = performance.now() - t0;
    const bench = process.cpuUsage(cpu0.bench);
    const secs = (ticks: number) => Number((ticks / HZ).toFixed(2));
    const r = {
      workers,
      ms: Math.round(ms),
      backupsPerMinute: Number(((BACKUPS / ms) * 60_000).toFixed(1)),
      failed,
      cpuSeconds: {
        workers: secs(children.reduce((n, c) => n + cpuTicks(c.pid), 0) - workers0),
        sims: secs(sims.reduce((n, s) => n + cpuTicks(s.child.pid), 0) - cpu0.sims),
        postgres: secs(postgresPids().reduce((n, p) => n + cpuTicks(p), 0) - cpu0.postgres),
        bench: Number(((bench.user + bench.system) / 1e6).toFixed(2)),
        machine: secs(machineBusyTicks() - cpu0.machine),
      },
    };
    console.log(
      `  ${workers} worker(s): ${BACKUPS} backups in ${r.ms} ms = ${r.backupsPerMinute}/min, ${failed} failed; CPU s ${JSON.stringify(r.cpuSeconds)}`,
    );
    return r;
  } finally {
    await Promise.all(children.map(stop));
    await services.queues.backup.obliterate({ force: true }).catch(() => undefined);
    await services.close();
    await pg.drop();
  }
}

function auditBench(): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/audit-postgres.bench.ts'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve({ ...(JSON.parse(line) as Record<string, unknown>), exitCode: code });
      } catch {
        reject(new Error(`bench/audit-postgres.bench.ts printed no JSON (exit ${code}): ${out}`));
      }
    });
  });
}

const root = mkdtempSync(join(tmpdir(), 'snapgate-bench-scale-'));
const seedPath = join(root, 'seed.json');
const gateway = simCompatible(syntheticGateway(scaled(BASE_FRACTION * SCALE)));
const entities = Object.values(gateway.entities).reduce((n, m) => n + Object.keys(m).length, 0);
writeFileSync(seedPath, JSON.stringify(toKongDeclarative(gateway)));
console.log(`${CONNECTIONS} kong-sims of ${entities} entities each, ${LATENCY_MS} ms latency per request`);
const stopOnSignal = () => {
  for (const s of sims) s.child.kill('SIGTERM');
  process.exit(130);
};
const sims: SimProcess[] = [];
process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
sims.push(
  ...(await Promise.all(
    Array.from({ length: CONNECTIONS }, () =>
      startSimProcess([
        '--port',
        '0',
        '--token',
        TOKEN,
        '--seed',
        seedPath,
        '--latency-ms',
        String(LATENCY_MS),
      ]),
    ),
  )),
);
try {
  const one = await round(1, sims, root);
  const three = await round(3, sims, root);
  const audit = await auditBench();
  const speedup = Number((three.backupsPerMinute / one.backupsPerMinute).toFixed(2));
  console.log(`3 workers / 1 worker = ${speedup}× (goal ≥ 2.5×)`);
  console.log(
    JSON.stringify({
      bench: 'scale',
      ...(SCALE === 1 ? {} : { scale: SCALE }),
      connections: CONNECTIONS,
      entitiesPerConnection: entities,
      latencyMs: LATENCY_MS,
      backups: BACKUPS,
      oneWorker: one,
      threeWorkers: three,
      speedup,
      audit,
    }),
  );
  if (one.failed + three.failed > 0 || audit.verified !== true) process.exitCode = 1;
} finally {
  await Promise.all(sims.map(stopSimProcess));
  rmSync(root, { recursive: true, force: true });
}
