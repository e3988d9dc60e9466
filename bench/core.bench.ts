/**
 * npm run bench:core — times the engine on a synthetic gateway of ~146k entities (bench/synthetic.ts):
 * normalize + diff + plan (planRestore, which runs the diff and the planHash) for identical gateways (two
 * separate deep copies, as two dumps would be), a 1 %-changed gateway and empty → full; then decK export
 * (`toDeckFile`, JSON and YAML) and import (`fromDeckFile` of that text) of the same gateway. Each
 * diff+plan case runs once to warm up, then the median of 3 runs is reported; decK cases run twice and
 * report the second. Wall time is the figure; CPU time (process.cpuUsage, all threads incl. GC helpers)
 * is printed beside it because these machines are often shared. Prints one JSON line last.
 */
import { performance } from 'node:perf_hooks';
import {
  buildSnapshot,
  ENTITY_KINDS,
  fillDefaults,
  fromDeckFile,
  matchNaturalKeys,
  normalizeSnapshot,
  type Plan,
  planRestore,
  preflightRefusals,
  type Snapshot,
  stripShorthands,
  toDeckFile,
  type UnkeyedIds,
} from '../src/core/index.ts';
import { KONG_39 } from '../test/fixtures/schemas/kong-3.9.ts';
import { rekeySnapshot, seededIds } from '../test/support/rekey.ts';
import { mutate, syntheticGateway } from './synthetic.ts';

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Timed<T> {
  result: T;
  wallMs: number;
  cpuMs: number;
}

function timed<T>(fn: () => T): Timed<T> {
  gc();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { result, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** Runs `fn` warmup + runs times; returns the median wall and CPU time of the measured runs. */
function measure<T>(fn: () => T, runs: number): Timed<T> {
  let last = timed(fn);
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    last = timed(fn);
    walls.push(last.wallMs);
    cpus.push(last.cpuMs);
  }
  return { result: last.result, wallMs: Math.round(median(walls)), cpuMs: Math.round(median(cpus)) };
}

function roundTimes<T>(t: Timed<T>): Timed<T> {
  return { ...t, wallMs: Math.round(t.wallMs), cpuMs: Math.round(t.cpuMs) };
}

function times(t: Timed<unknown>): string {
  return `${String(t.wallMs).padStart(6)} ms wall ${String(t.cpuMs).padStart(6)} ms cpu`;
}

function timePlan(label: string, current: Snapshot, target: Snapshot): number {
  const t = measure(() => planRestore(current, target), 3);
  const p: Plan = t.result;
  console.log(
    `${label.padEnd(12)} ${times(t)}  steps=${p.steps.length} create=${p.summary.create} ` +
      `update=${p.summary.update} delete=${p.summary.delete} refusals=${p.refusals.length}`,
  );
  return t.wallMs;
}

/** decK cases: a warm-up run and one measured run, or (`once`, for the slow YAML cases) one run. */
function timeDeck(label: string, fn: () => string | Snapshot, once = false): number {
  const t = once ? roundTimes(timed(fn)) : measure(fn, 1);
  const size = typeof t.result === 'string' ? ` ${(t.result.length / 1e6).toFixed(1)} MB` : '';
  console.log(`${label.padEnd(12)} ${times(t)}${size}`);
  return t.wallMs;
}

const full = syntheticGateway();
const entities = Object.values(full.meta.counts).reduce((sum, n) => sum + (n ?? 0), 0);
const copy = structuredClone(full);
const onePercent = mutate(full, 0.01, 7);
const empty = buildSnapshot(full.meta, {});
console.log(`synthetic gateway: ${entities} entities`);

const normalize = roundTimes(timed(() => normalizeSnapshot(full)));
console.log(`normalizeSnapshot (every entity, for reference): ${times(normalize)}`);

const diffPlanMs: Record<string, number> = {
  identical: timePlan('identical', full, copy),
  onePercent: timePlan('onePercent', full, onePercent),
  emptyToFull: timePlan('emptyToFull', empty, full),
};

// natural keys: the whole gateway as a file without ids (every entity under another id, all of them
// derived), matched against the live one; then the plan of the matched file (identical: no steps)
const handBuilt = rekeySnapshot(full, seededIds(11));
const unkeyed: UnkeyedIds = {};
for (const kind of ENTITY_KINDS) {
  if (kind !== 'consumer_group_members') unkeyed[kind] = new Set(Object.keys(handBuilt.entities[kind] ?? {}));
}
const match = measure(() => matchNaturalKeys(handBuilt, full, unkeyed), 3);
const matchedCount = Object.values(match.result.matched).reduce((sum, n) => sum + (n ?? 0), 0);
console.log(`${'matchKeys'.padEnd(12)} ${times(match)}  matched=${matchedCount}`);
const matchKeysMs = match.wallMs;
diffPlanMs.matched = timePlan('matched', full, match.result.target);

// default filling and preflight with Kong 3.9 schemas (prometheus, key-auth, rate-limiting, routes and
// the plugin entity): the target filled, the live side's shorthands dropped, every upsert of empty → full
// validated (146k bodies)
const fill = measure(() => fillDefaults(full, KONG_39), 3);
console.log(`${'fillDefaults'.padEnd(12)} ${times(fill)}`);
const strip = measure(() => stripShorthands(full, KONG_39), 3);
console.log(`${'stripLive'.padEnd(12)} ${times(strip)}`);
const fullPlan = planRestore(empty, full);
const caps = {
  version: '3.9.1',
  edition: 'enterprise' as const,
  database: 'postgres' as const,
  enabledPlugins: null,
  wasm: true,
};
const preflight = measure(() => preflightRefusals(fullPlan, caps, KONG_39), 3);
console.log(
  `${'preflight'.padEnd(12)} ${times(preflight)}  steps=${fullPlan.steps.length} refusals=${preflight.result.length}`,
);
const fillMs = fill.wallMs;
const preflightMs = preflight.wallMs;

const json = toDeckFile(full, { format: 'json' });
const deckExportMs = timeDeck('deck export json', () => toDeckFile(full, { format: 'json' }));
const deckImportMs = timeDeck('deck import json', () => fromDeckFile(json));
// Peak RSS of diff+plan and the JSON decK cases (the goal's figure), read before the YAML cases: the
// `yaml` package's document tree for a 37 MB file alone takes ~2 GB, printed on its own line below.
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

const yaml = toDeckFile(full, { format: 'yaml' });
timeDeck('deck export yaml', () => toDeckFile(full, { format: 'yaml' }), true);
timeDeck('deck import yaml', () => fromDeckFile(yaml), true);
console.log(`peak RSS including the YAML cases: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);

console.log(
  JSON.stringify({
    bench: 'core',
    entities,
    diffPlanMs,
    matchKeysMs,
    fillMs,
    preflightMs,
    deckExportMs,
    deckImportMs,
    peakRssMb,
  }),
);
