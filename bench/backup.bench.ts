/**
 * `npm run bench:backup`: an end-to-end backup of the ~146k-entity synthetic gateway (bench/synthetic.ts)
 * — requestBackup → BullMQ (real Redis) → worker → dump over HTTP → content hash → encrypted artifact +
 * one copy → SQLite record — next to the bare `dumpGateway` of the same gateway in the same run. kong-sim
 * runs in a child process so its CPU is not on our event loop. Each round gets a fresh database and
 * directories so the backup really writes (an unchanged backup would skip the write). One untimed dump and
 * one untimed backup first (both paths are compiled and warm before anything is timed), then ROUNDS
 * rounds of dump then backup, and the median of each. Prints one JSON line last.
 * Goal: backupMs ≤ 1.3 × dumpMs.
 *
 * `npm run bench:backup -- --s3`: the same with an S3 primary — a real S3-compatible server (s3rver, in its
 * own process, test/support/s3-server.ts) on 127.0.0.1, a fresh bucket per round — and the directory copy.
 * Goal: backupMs ≤ 1.4 × dumpMs, peak RSS < 500 MB.
 *
 * `--scale F` (0 < F ≤ 1) shrinks every kind's count to F of the full gateway and `--rounds N` sets the
 * timed rounds: `npm run bench:backup -- --s3 --scale 0.05 --rounds 1` checks the variant works in seconds.
 * Figures for docs/benchmarks.md come from the full size (no --scale) and 7 rounds on a quiet machine.
 * The JSON line's `ratio` is backupMs / dumpMs; `peakRssMb` is this process's (bench, worker and the
 * writer), not kong-sim's or s3rver's, which run in their own processes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BackupEvent, requestBackup, SILENT_NOTIFIER } from '../src/app/index.ts';
import { createServices } from '../src/compose/index.ts';
import { loadConfig } from '../src/config/index.ts';
import { toKongDeclarative } from '../src/core/deck/index.ts';
import type { Backup } from '../src/db/index.ts';
import { startWorkers } from '../src/jobs/index.ts';
import { createKongClient, dumpGateway } from '../src/kong/index.ts';
import { S3_ACCESS_KEY, S3_SECRET_KEY, startS3Server } from '../test/support/s3-server.ts';
import { writeBenchConfig } from './bench-config.ts';
import { simCompatible } from './sim-compat.ts';
import { startSimProcess, stopSimProcess } from './sim-process.ts';
import { DEFAULT_SYNTHETIC, type SyntheticOptions, syntheticGateway } from './synthetic.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}
const SCALE = Number(option('--scale') ?? 1);
const ROUNDS = Number(option('--rounds') ?? 7);
if (!(SCALE > 0 && SCALE <= 1) || !Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error('usage: bench:backup [-- --s3] [--scale F (0 < F ≤ 1)] [--rounds N (≥ 1)]');
  process.exit(2);
}
const S3 = process.argv.includes('--s3');
const s3 = S3 ? await startS3Server() : null;
const TOKEN = 'bench-token';

/** The full synthetic gateway's counts times `f` (at least one of each); the per-parent counts stay. */
function scaled(f: number): Partial<SyntheticOptions> {
  if (f === 1) return {};
  const { seed, targetsPerUpstream, snisPerCertificate, ...counts } = DEFAULT_SYNTHETIC;
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, Math.max(1, Math.round(n * f))]));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timedDump(url: string): Promise<{ ms: number; entities: number }> {
  const client = createKongClient({ url, token: TOKEN });
  const t0 = performance.now();
  const snapshot = await dumpGateway(client);
  const ms = performance.now() - t0;
  client.close();
  const entities = Object.values(snapshot.meta.counts).reduce((a, n) => a + (n ?? 0), 0);
  return { ms, entities };
}

async function timedBackup(
  url: string,
  root: string,
  round: number,
): Promise<{ ms: number; backup: Backup }> {
  const dir = join(root, `round-${round}`);
  const env = {
    KONG_TOKEN: TOKEN,
    BENCH_KEY: randomBytes(32).toString('hex'),
    S3_KEY_ID: S3_ACCESS_KEY,
    S3_SECRET: S3_SECRET_KEY,
  };
  const prefix = `sgbench-${randomBytes(4).toString('hex')}`;
  mkdirSync(dir, { recursive: true });
  const bucket = `bench-${round + 1}-${randomBytes(3).toString('hex')}`;
  if (s3) await s3.createBucket(bucket);
  const configPath = writeBenchConfig({
    ...(s3
      ? {
          primary: `{ type: s3, endpoint: "${s3.endpoint}", region: us-east-1, bucket: ${bucket}, forcePathStyle: true, credentials: { accessKeyIdEnv: S3_KEY_ID, secretAccessKeyEnv: S3_SECRET } }`,
        }
      : {}),
    dir,
    kongUrl: url,
    prefix,
    connection: 'bench',
    environment: 'bench',
    keyEnv: 'BENCH_KEY',
  });
  const config = await loadConfig({ path: configPath, env });
  const phases: string[] = [];
  let t0 = performance.now();
  const notifier = {
    ...SILENT_NOTIFIER,
    backupChanged: (e: BackupEvent) => {
      // first report of each phase only (dumping also reports progress)
      if (!phases.some((p) => p.startsWith(`${e.phase} `)))
        phases.push(`${e.phase} +${Math.round(performance.now() - t0)}`);
    },
  };
  const services = await createServices({ config, notifier, retry: { attempts: 1 } });
  const workers = await startWorkers(services, {
    syncSchedules: false,
    recover: false,
    log: () => undefined,
  });
  try {
    t0 = performance.now();
    const requested = await requestBackup(services, {
      connection: 'bench',
      type: 'manual',
      requestedBy: 'system',
    });
    for (;;) {
      const b = await services.repos.backups.get(requested.id);
      if (b && (b.status === 'completed' || b.status === 'failed')) {
        const ms = performance.now() - t0;
        if (b.status === 'failed') throw new Error(`backup failed: ${b.failureReason}`);
        console.log(`  phases (ms since enqueue): ${phases.join(', ')}`);
        return { ms, backup: b };
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await workers.close(5000);
    await services.queues.backup.obliterate({ force: true });
    await services.close();
  }
}

const root = mkdtempSync(join(tmpdir(), 'snapgate-bench-backup-'));
const seedPath = join(root, 'seed.json');
writeFileSync(seedPath, JSON.stringify(toKongDeclarative(simCompatible(syntheticGateway(scaled(SCALE))))));
const sim = await startSimProcess(['--port', '0', '--token', TOKEN, '--seed', seedPath]);
try {
  const warm = await timedDump(sim.url);
  const warmBackup = await timedBackup(sim.url, root, -1);
  console.log(
    `warm-up: dump of ${warm.entities} entities in ${Math.round(warm.ms)} ms, backup in ${Math.round(warmBackup.ms)} ms`,
  );
  const dumps: number[] = [];
  const backups: number[] = [];
  let last: Backup | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const d = await timedDump(sim.url);
    dumps.push(d.ms);
    const b = await timedBackup(sim.url, root, round);
    backups.push(b.ms);
    last = b.backup;
    console.log(
      `round ${round + 1}: dump ${Math.round(d.ms)} ms, backup ${Math.round(b.ms)} ms (${b.backup.bytes} bytes)`,
    );
  }
  const dumpMs = Math.round(median(dumps));
  const backupMs = Math.round(median(backups));
  console.log(`backup/dump = ${(backupMs / dumpMs).toFixed(2)} (goal ≤ ${S3 ? '1.40' : '1.30'})`);
  console.log(
    JSON.stringify({
      bench: S3 ? 'backup-s3-primary' : 'backup',
      entities: warm.entities,
      ...(SCALE === 1 ? {} : { scale: SCALE }),
      rounds: ROUNDS,
      dumpMs,
      backupMs,
      ratio: Number((backupMs / dumpMs).toFixed(2)),
      artifactBytes: last?.bytes ?? 0,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  await stopSimProcess(sim);
  await s3?.close();
  rmSync(root, { recursive: true, force: true });
}
