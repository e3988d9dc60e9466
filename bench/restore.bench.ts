/**
 * `npm run bench:restore`: a full restore of the ~146k-entity synthetic gateway through the whole flow —
 * request → plan job (integrity check, live dump, plan) → approve → run job (pre-restore backup, re-dump
 * and re-plan, apply, verification dump) — onto an empty gateway, next to the bare apply of the same
 * backup onto another empty gateway in the same run (the gateway port's `apply`, as the flow calls it, on
 * a gateway opened from the same connection). Real SQLite, real Redis (random prefix), kong-sim
 * in child processes; the worker runs in this process.
 *
 * Measured in rounds (`--rounds N`, default 4) that alternate the order — flow then bare, bare then flow —
 * because on a shared VM the same apply takes 15–35 s from one minute to the next and the apply a round
 * runs first was the slower one in most of session 13's rounds, whichever it was. So the headline `ratio`
 * is the whole flow time over the whole bare apply time of all rounds (an even number of rounds runs each
 * order equally often); `byOrder` gives the same per order, `medianRoundRatio` the median of the rounds'
 * own ratios, and `rounds` every round as `[flowMs, bareApplyMs, ratio]`. The other figures are medians
 * over the rounds, with the CPU time this process spent in the flow and in the bare apply (the
 * simulators' CPU is not in it). One warm-up flow and bare apply run first and are not counted: the first
 * apply in a process runs cold (3–8 s longer in session 13), and it fell on the flow in the first round of every earlier run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  approveRestore,
  ConsoleNotifier,
  requestBackup,
  requestRestore,
  verifyAndOpenBackup,
} from '../src/app/index.ts';
import { openGateway } from '../src/compose/gateways.ts';
import { createServices, type Runtime as Services } from '../src/compose/index.ts';
import { type ConnectionConfig, loadConfig } from '../src/config/index.ts';
import { toKongDeclarative } from '../src/core/deck/index.ts';
import { planRestore, type Snapshot } from '../src/core/index.ts';
import { startWorkers } from '../src/jobs/index.ts';
import { BENCH_REDIS_URL, writeBenchConfig } from './bench-config.ts';
import { simCompatible } from './sim-compat.ts';
import { type SimProcess, startSimProcess, stopSimProcess } from './sim-process.ts';
import { median } from './stats.ts';
import { syntheticGateway } from './synthetic.ts';

/** CPU milliseconds this process spent since `start` (the simulators are child processes: not counted). */
const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return Math.round((u.user + u.system) / 1000);
};

const total = (s: Snapshot) => Object.values(s.entities).reduce((n, m) => n + Object.keys(m ?? {}).length, 0);

/**
 * Status waits are woken by the notifier (a phase line names the request), with a slow poll as a
 * fallback: polling the record every 100 ms parsed its plan summary ~10 times a second in the process
 * under measurement (≈0.4 s of CPU over a 146k restore).
 */
const wake = new Set<() => void>();
function woken(): void {
  for (const w of [...wake]) w();
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 30 * 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => {
      const done = () => {
        wake.delete(done);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, 2000);
      wake.add(done);
    });
  }
}

async function statusIn(services: Services, id: string, statuses: string[]) {
  return until(`restore ${id} ${statuses.join('/')}`, async () => {
    const r = await services.repos.restores.get(id);
    return r && statuses.includes(r.status) ? r : null;
  });
}

async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(BENCH_REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

interface Round {
  planMs: number;
  flowMs: number;
  flowCpuMs: number;
  bareApplyMs: number;
  bareApplyCpuMs: number;
  /** flowMs / bareApplyMs */
  ratio: number;
}

/** The synthetic gateway as a seed file; not kept in memory (the rounds run without it). */
function writeSeed(dir: string): { entities: number; seed: string } {
  const target = simCompatible(syntheticGateway());
  const seed = join(dir, 'seed.json');
  writeFileSync(seed, JSON.stringify(toKongDeclarative(target)));
  return { entities: total(target), seed };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const sum = (rs: Round[], key: 'flowMs' | 'bareApplyMs') => rs.reduce((n, r) => n + r[key], 0);

function roundsArg(): number {
  const at = process.argv.indexOf('--rounds');
  const n = at >= 0 ? Number(process.argv[at + 1]) : 4;
  if (!Number.isInteger(n) || n < 1) throw new Error('--rounds takes a whole number ≥ 1');
  if (n % 2 === 1) console.error(`--rounds ${n}: odd, so one order runs once more than the other`);
  return n;
}

async function main(): Promise<void> {
  const roundCount = roundsArg();
  const dir = mkdtempSync(join(tmpdir(), 'snapgate-bench-restore-'));
  const prefix = `sgbench-${randomUUID().slice(0, 8)}`;
  const { entities, seed } = writeSeed(dir);
  const sims: SimProcess[] = [];
  let services: Services | undefined;
  try {
    // The connection's gateway: seeded for the backup, then replaced by an empty one on the same port.
    const seeded = await startSimProcess(['--port', '0', '--seed', seed]);
    sims.push(seeded);
    const port = new URL(seeded.url).port;
    const configPath = writeBenchConfig({ dir, kongUrl: seeded.url, prefix, keyEnv: 'SNAPGATE_KEY_1' });
    const env = { KONG_TOKEN: 'unused', SNAPGATE_KEY_1: randomBytes(32).toString('hex') };
    const config = await loadConfig({ path: configPath, env });
    // Phases with their time since the restore was requested, on stderr (where the time goes).
    let t0 = performance.now();
    let cpu0 = process.cpuUsage();
    const phases = new ConsoleNotifier((line) => {
      if (/ \(applying\)/.test(line)) return;
      const peak = Math.round(process.resourceUsage().maxRSS / 1024);
      const cpu = cpuMsSince(cpu0);
      console.error(`${Math.round(performance.now() - t0)} ms (cpu ${cpu} ms, peak RSS ${peak} MB) ${line}`);
      woken();
    });
    services = await createServices({ config, notifier: phases });
    const workers = await startWorkers(services, { syncSchedules: false, log: (l) => console.error(l) });
    const s = services;

    const b0 = performance.now();
    const asked = await requestBackup(s, { connection: 'prod', type: 'manual', requestedBy: 'system' });
    const backup = await until('the backup', async () => {
      const b = await s.repos.backups.get(asked.id);
      return b && (b.status === 'completed' || b.status === 'failed') ? b : null;
    });
    if (backup.status !== 'completed') throw new Error(`backup failed: ${backup.failureReason}`);
    console.error(`backup of ${entities} entities in ${Math.round(performance.now() - b0)} ms`);

    sims.splice(sims.indexOf(seeded), 1);
    await stopSimProcess(seeded);
    let connectionSim = await startSimProcess(['--port', port]);
    sims.push(connectionSim);

    /** The whole flow onto the connection's gateway, emptied first (a new simulator on the same port). */
    let connectionSimUsed = false;
    const flow = async () => {
      if (connectionSimUsed) {
        sims.splice(sims.indexOf(connectionSim), 1);
        await stopSimProcess(connectionSim);
        connectionSim = await startSimProcess(['--port', port]);
        sims.push(connectionSim);
      }
      connectionSimUsed = true;
      t0 = performance.now();
      cpu0 = process.cpuUsage();
      const flowCpu0 = cpu0;
      const { restore } = await requestRestore(s, {
        connection: 'prod',
        backup: { kind: 'id', id: backup.id },
        reason: 'benchmark: empty gateway',
        requestedBy: 'U0BENCHREQ',
      });
      const planned = await statusIn(s, restore.id, ['awaiting_approval', 'failed', 'completed']);
      const planMs = Math.round(performance.now() - t0);
      if (planned.status !== 'awaiting_approval') throw new Error(`plan: ${planned.failureReason}`);
      const decision = await approveRestore(s, {
        restoreId: restore.id,
        approver: 'U0BENCHAPP',
        authorize: async () => true,
      });
      if (!decision.ok) throw new Error(decision.message);
      const done = await statusIn(s, restore.id, ['completed', 'partially_failed', 'failed']);
      const flowMs = Math.round(performance.now() - t0);
      const flowCpuMs = cpuMsSince(flowCpu0);
      const result = (done.planSummary as { result?: { applied: number; drift: number | null } }).result;
      console.error(
        `flow: ${done.status} in ${flowMs} ms (plan ${planMs} ms), applied ${result?.applied}, drift ${result?.drift}` +
          `${done.failureReason ? `: ${done.failureReason}` : ''}`,
      );
      if (done.status !== 'completed')
        throw new Error(`the restore ended ${done.status}: ${done.failureReason}`);
      return { planMs, flowMs, flowCpuMs };
    };

    /**
     * The same restore, bare: the backup's snapshot onto an empty gateway with planRestore and the
     * gateway port's `apply` — what the flow's apply calls — through a gateway opened from the same
     * connection (same client, same token header), so the two applies differ only in what the flow adds
     * around them (step records, progress, the abort signal). The backup holds entities as Kong returned
     * them, defaults filled, so its bodies are the flow's. The snapshot is opened for this round only:
     * the flow rounds run without it in memory.
     */
    const bare = async () => {
      const backupSnapshot = await verifyAndOpenBackup(s, backup);
      const sim = await startSimProcess(['--port', '0']);
      sims.push(sim);
      const gateway = openGateway({ ...s.connection('prod'), kongUrl: sim.url } as ConnectionConfig);
      try {
        const live = await gateway.dump();
        const plan = planRestore(live, backupSnapshot);
        const a0 = performance.now();
        const bareCpu0 = process.cpuUsage();
        const applied = await gateway.apply(plan, { current: live, parallelism: 10 });
        const bareApplyMs = Math.round(performance.now() - a0);
        const bareApplyCpuMs = cpuMsSince(bareCpu0);
        console.error(`bare apply: ${plan.steps.length} steps in ${bareApplyMs} ms, ok=${applied.ok}`);
        if (!applied.ok) throw new Error('the bare apply failed');
        return { bareApplyMs, bareApplyCpuMs };
      } finally {
        gateway.close();
        sims.splice(sims.indexOf(sim), 1);
        await stopSimProcess(sim);
      }
    };

    // Warm-up, not counted: the first apply in a process runs cold (its code not yet optimized) and took
    // 3–8 s longer than the later ones in session 13, which landed on the flow in every first round.
    await flow();
    await bare();
    console.error('warm-up done');

    const rounds: Round[] = [];
    for (let r = 0; r < roundCount; r++) {
      // flow first in even rounds, bare first in odd ones
      const first = r % 2 === 0 ? await flow() : await bare();
      const second = r % 2 === 0 ? await bare() : await flow();
      const round = { ...first, ...second } as Omit<Round, 'ratio'>;
      rounds.push({ ...round, ratio: round2(round.flowMs / round.bareApplyMs) });
      console.error(`round ${r + 1}: flow / bare apply = ${rounds.at(-1)?.ratio}`);
    }
    await workers.close(5000);

    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const ratioOf = (rs: Round[]) =>
      rs.length === 0 ? null : round2(sum(rs, 'flowMs') / sum(rs, 'bareApplyMs'));
    console.log(
      JSON.stringify({
        bench: 'restore',
        entities,
        status: 'completed',
        planMs: Math.round(median(rounds.map((r) => r.planMs))),
        flowMs: Math.round(median(rounds.map((r) => r.flowMs))),
        bareApplyMs: Math.round(median(rounds.map((r) => r.bareApplyMs))),
        flowCpuMs: Math.round(median(rounds.map((r) => r.flowCpuMs))),
        bareApplyCpuMs: Math.round(median(rounds.map((r) => r.bareApplyCpuMs))),
        ratio: ratioOf(rounds),
        byOrder: {
          flowFirst: ratioOf(rounds.filter((_, i) => i % 2 === 0)),
          bareFirst: ratioOf(rounds.filter((_, i) => i % 2 === 1)),
        },
        medianRoundRatio: round2(median(rounds.map((r) => r.ratio))),
        rounds: rounds.map((r) => [r.flowMs, r.bareApplyMs, r.ratio]),
        peakRssMb,
      }),
    );
  } finally {
    await services?.close();
    for (const sim of sims) await stopSimProcess(sim);
    await deletePrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
