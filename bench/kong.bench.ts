/**
 * `npm run bench:kong`: dump and apply against kong-sim seeded with the ~146k-entity synthetic gateway,
 * next to the simulator's own ceiling measured in the same run (bench/kong-raw.ts: the same GETs and
 * PUTs with plain node:http). The simulators run in child processes so their CPU does not share our
 * event loop (same machine, though). Prints one JSON line last.
 * Goal: dumpMs ≤ 1.3 × rawListMs, fullApplyMs ≤ 1.5 × rawPutMs; in Konnect mode (a `type: konnect`
 * connection on kong-sim's Konnect mode, same seed) konnectDumpMs ≤ 1.3 × konnectRawListMs.
 *
 * Flags: `--only dump,konnect,apply` runs only those parts (`apply` includes the 1 % drift; default all);
 * `--rounds N` the dump/raw rounds (default 3). Next to each dump's best wall time the JSON line has the
 * median CPU time of our process (`process.cpuUsage`, all threads: GC helpers included) per round, for
 * both sides: on a shared machine wall time swings with the load, the client's CPU much less.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planOnGateway } from '../src/app/plan-against-live.ts';
import { openGateway } from '../src/compose/gateways.ts';
import { Secret } from '../src/config/index.ts';
import type { KonnectConnectionConfig } from '../src/config/types.ts';
import { toKongDeclarative } from '../src/core/deck/index.ts';
import {
  buildSnapshot,
  CATALOGUE,
  ENTITY_KINDS,
  type Plan,
  planRestore,
  type Snapshot,
} from '../src/core/index.ts';
import { ADMIN_PATHS } from '../src/kong/admin-paths.ts';
import {
  applyPlan,
  createKongClient,
  describeGateway,
  dumpGateway,
  type KongClient,
  openGatewayPlanning,
} from '../src/kong/index.ts';
import { requestBody } from '../src/kong/write-step.ts';
import { type RawWrite, rawList, rawWrites } from './kong-raw.ts';
import { simCompatible } from './sim-compat.ts';
import { type SimProcess, startSimProcess, stopSimProcess } from './sim-process.ts';
import { median } from './stats.ts';
import { mutate, syntheticGateway } from './synthetic.ts';

const DUMP_PARALLELISM = 8;
const KONNECT_TOKEN = 'kpat_bench0123456789abcdefghijklmnopqrstuvwxyzABCD';

function konnectConnection(url: string): KonnectConnectionConfig {
  return {
    name: 'bench',
    type: 'konnect',
    baseUrl: url,
    region: null,
    controlPlane: 'prod',
    token: new Secret(KONNECT_TOKEN),
    tls: null,
    environment: 'bench',
    owner: null,
    tags: [],
    schedules: [],
    retention: { keepPreRestore: '30d' },
    roles: { viewer: [], operator: [], approver: [], admin: [] },
  };
}

async function controlPlaneId(url: string): Promise<string> {
  const res = await fetch(`${url}/v2/control-planes?filter[name][eq]=prod`, {
    headers: { authorization: `Bearer ${KONNECT_TOKEN}` },
  });
  return ((await res.json()) as { data: { id: string }[] }).data[0]?.id as string;
}
const APPLY_PARALLELISM = 10;
const APPLY_ROUNDS = 2;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}
const PARTS = ['dump', 'konnect', 'apply'] as const;
const only = new Set((flag('--only') ?? PARTS.join(',')).split(',').map((p) => p.trim()));
for (const p of only) {
  if (!(PARTS as readonly string[]).includes(p))
    throw new Error(`--only: unknown part ${p} (${PARTS.join(', ')})`);
}
const ROUNDS = Number(flag('--rounds') ?? 3);

/** Start each measurement from a collected heap, so one run's garbage is not billed to the next. */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  collect();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = Math.round(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000), value };
}

/** best wall time and median CPU time of `rounds` interleaved raw/dump rounds */
async function compare(
  rounds: number,
  raw: () => Promise<unknown>,
  dump: () => Promise<Snapshot>,
): Promise<{ rawMs: number; dumpMs: number; rawCpuMs: number; dumpCpuMs: number; dumped: number }> {
  const rawRuns: { ms: number; cpuMs: number }[] = [];
  const dumpRuns: { ms: number; cpuMs: number }[] = [];
  let dumped = 0;
  for (let i = 0; i < rounds; i++) {
    rawRuns.push(await timed(raw));
    const d = await timed(dump);
    dumpRuns.push(d);
    dumped = total(d.value);
  }
  return {
    rawMs: Math.min(...rawRuns.map((r) => r.ms)),
    dumpMs: Math.min(...dumpRuns.map((r) => r.ms)),
    rawCpuMs: Math.round(median(rawRuns.map((r) => r.cpuMs))),
    dumpCpuMs: Math.round(median(dumpRuns.map((r) => r.cpuMs))),
    dumped,
  };
}

function total(s: Snapshot): number {
  return Object.values(s.entities).reduce((n, m) => n + Object.keys(m ?? {}).length, 0);
}

/** The writes a plan's upserts make, grouped like the executor's batches (phase, level). */
function planWrites(plan: Plan): RawWrite[][] {
  const batches: RawWrite[][] = [];
  let key = '';
  for (const step of plan.steps) {
    if (!step.body) continue;
    const k = `${step.phase}:${step.level}`;
    if (k !== key) batches.push([]);
    key = k;
    const body = requestBody(step.kind, step.body);
    const def = CATALOGUE[step.kind];
    const parent = (f: string) => (body[f] as { id: string }).id;
    let w: RawWrite;
    if (step.kind === 'targets')
      w = { method: 'POST', path: `/upstreams/${parent('upstream')}/targets`, body };
    else if (step.kind === 'consumer_group_members') {
      w = {
        method: 'POST',
        path: `/consumer_groups/${parent('consumer_group')}/consumers`,
        body: { consumer: parent('consumer') },
      };
    } else if (ADMIN_PATHS[step.kind].writeNested && def.nested) {
      w = {
        method: 'PUT',
        path: `/consumers/${parent('consumer')}/${ADMIN_PATHS[step.kind].nested}/${step.id}`,
        body,
      };
    } else w = { method: 'PUT', path: `${ADMIN_PATHS[step.kind].collection}/${step.id}`, body };
    batches[batches.length - 1]?.push(w);
  }
  return batches;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'snapgate-bench-'));
  const target = simCompatible(syntheticGateway());
  const entities = total(target);
  const seed = join(dir, 'seed.json');
  writeFileSync(seed, JSON.stringify(toKongDeclarative(target)));
  const collections = [
    ...new Set(ENTITY_KINDS.map((k) => ADMIN_PATHS[k].collection).filter((p): p is string => p !== null)),
  ];
  const sims: SimProcess[] = [];
  const result: Record<string, unknown> = { bench: 'kong', entities };
  try {
    // 1. dump vs raw list, best of ROUNDS each, interleaved so both see the same machine state
    if (only.has('dump')) {
      const seeded = await startSimProcess(['--port', '0', '--seed', seed]);
      sims.push(seeded);
      const client = createKongClient({ url: seeded.url, maxSockets: DUMP_PARALLELISM + 2 });
      const r = await compare(
        ROUNDS,
        () => rawList(seeded.url, collections, DUMP_PARALLELISM),
        () => dumpGateway(client, { parallelism: DUMP_PARALLELISM }),
      );
      client.close();
      await stopSimProcess(seeded);
      sims.splice(sims.indexOf(seeded), 1);
      console.error(
        `dump: ${r.dumped}/${entities} entities in ${r.dumpMs} ms (raw ${r.rawMs} ms); ` +
          `CPU ${r.dumpCpuMs} ms vs raw ${r.rawCpuMs} ms`,
      );
      Object.assign(result, {
        dumpMs: r.dumpMs,
        rawListMs: r.rawMs,
        dumpCpuMs: r.dumpCpuMs,
        rawListCpuMs: r.rawCpuMs,
      });
    }

    // 1b. Konnect mode: the same dump through a `type: konnect` connection (control plane resolved by
    // name, bearer token, core-entities prefix, top-level /targets) vs the same raw GETs under that prefix
    if (only.has('konnect')) {
      const konnect = await startSimProcess([
        '--port',
        '0',
        '--seed',
        seed,
        '--konnect-token',
        KONNECT_TOKEN,
        '--control-planes',
        'prod',
      ]);
      sims.push(konnect);
      const cp = await controlPlaneId(konnect.url);
      const konnectGateway = openGateway(konnectConnection(konnect.url));
      const konnectCollections = collections.filter((c) => c !== '/oauth2');
      const r = await compare(
        ROUNDS,
        () =>
          rawList(konnect.url, konnectCollections, DUMP_PARALLELISM, {
            prefix: `/v2/control-planes/${cp}/core-entities`,
            headers: { authorization: `Bearer ${KONNECT_TOKEN}` },
            topLevelTargets: true,
          }),
        () => konnectGateway.dump({ parallelism: DUMP_PARALLELISM }),
      );
      konnectGateway.close();
      await stopSimProcess(konnect);
      sims.splice(sims.indexOf(konnect), 1);
      console.error(
        `konnect dump: ${r.dumped} entities in ${r.dumpMs} ms (raw ${r.rawMs} ms, ` +
          `${(r.dumpMs / r.rawMs).toFixed(2)}×); CPU ${r.dumpCpuMs} ms vs raw ${r.rawCpuMs} ms ` +
          `(${(r.dumpCpuMs / r.rawCpuMs).toFixed(2)}×)`,
      );
      Object.assign(result, {
        konnectDumpMs: r.dumpMs,
        konnectRawListMs: r.rawMs,
        konnectDumpCpuMs: r.dumpCpuMs,
        konnectRawListCpuMs: r.rawCpuMs,
      });
    }

    if (only.has('apply')) Object.assign(result, await applyParts(target, sims));
    result.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(JSON.stringify(result));
  } finally {
    for (const s of sims) void stopSimProcess(s);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 2. full apply and 3. the 1 % drift */
async function applyParts(target: Snapshot, sims: SimProcess[]): Promise<Record<string, number>> {
  // 2. full apply to an empty gateway vs raw PUTs of the same bodies to another empty one; best of
  // APPLY_ROUNDS, each round on fresh simulators, raw first then snapgate
  const plan = planRestore(buildSnapshot({ ...target.meta }, {}), target);
  const writes = planWrites(plan);
  let rawPutMs = Number.POSITIVE_INFINITY;
  let fullApplyMs = Number.POSITIVE_INFINITY;
  let c2: KongClient | undefined;
  for (let i = 0; i < APPLY_ROUNDS; i++) {
    const [empty, emptyRaw] = await Promise.all([
      startSimProcess(['--port', '0']),
      startSimProcess(['--port', '0']),
    ]);
    sims.push(empty, emptyRaw);
    const raw = await timed(() => rawWrites(emptyRaw.url, writes, APPLY_PARALLELISM));
    c2?.close();
    const client = createKongClient({ url: empty.url, maxSockets: APPLY_PARALLELISM + 2 });
    c2 = client;
    const full = await timed(() => applyPlan(client, plan, { parallelism: APPLY_PARALLELISM }));
    console.error(
      `full apply: ${plan.steps.length} steps in ${full.ms} ms, ok=${full.value.ok} failed=${full.value.counts.failed} ` +
        `(raw ${raw.ms} ms, ${raw.value} raw failures)`,
    );
    rawPutMs = Math.min(rawPutMs, raw.ms);
    fullApplyMs = Math.min(fullApplyMs, full.ms);
    await stopSimProcess(emptyRaw);
    if (i < APPLY_ROUNDS - 1) await stopSimProcess(empty); // the last one takes the drift below
  }

  // 3. 1 % drift: dump, plan and apply the difference
  if (!c2) throw new Error('no apply round ran');
  const live = c2;
  const drifted = simCompatible(mutate(target, 0.01, 7));
  const plainPlan = await timed(async () => planRestore(await dumpGateway(live), drifted));
  // the path every caller takes: capabilities, schemas (one GET per plugin name), fill, plan, preflight
  const driftPlan = await timed(async () => {
    const gw = await describeGateway(live);
    const [planning, dumped] = await Promise.all([
      openGatewayPlanning(live, gw),
      dumpGateway(live, { gateway: gw }),
    ]);
    const planned = await planOnGateway(planning, dumped, drifted, {});
    return { ...planned, schemaGets: planning.registry.requested };
  });
  const { plan: gatewayPlan, current, schemaGets } = driftPlan.value;
  if (gatewayPlan.refusals.length > 0) throw new Error(`refused: ${gatewayPlan.refusals[0]?.message}`);
  const drift = await timed(() => applyPlan(live, gatewayPlan, { parallelism: APPLY_PARALLELISM, current }));
  console.error(
    `drift: ${gatewayPlan.steps.length} steps applied in ${drift.ms} ms (dump+fill+plan+preflight ${driftPlan.ms} ms, ` +
      `dump+plan without the gateway's schemas ${plainPlan.ms} ms, ${plainPlan.value.steps.length} steps), ok=${drift.value.ok}; ` +
      `schema GETs: ${schemaGets.join(' ')}`,
  );
  live.close();
  return {
    fullApplyMs,
    rawPutMs,
    driftApplyMs: drift.ms,
    driftPlanMs: driftPlan.ms,
    driftPlainPlanMs: plainPlan.ms,
    schemaGets: schemaGets.length,
  };
}

await main();
