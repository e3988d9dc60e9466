/**
 * npm run bench:core — times the engine on a synthetic gateway of ~146k entities (bench/synthetic.ts):
 * normalize + diff + plan (planRestore, which runs the diff) for identical gateways (two separate deep
 * copies, as two dumps would be), a 1 %-changed gateway and empty → full. Each case runs once to warm up,
 * then the median of 3 runs is reported. Prints one JSON line last (the lead adds the decK figures).
 */
import { performance } from 'node:perf_hooks';
import {
  buildSnapshot,
  normalizeSnapshot,
  type Plan,
  planRestore,
  type Snapshot,
} from '../src/core/index.ts';
import { mutate, syntheticGateway } from './synthetic.ts';

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function timePlan(label: string, current: Snapshot, target: Snapshot): number {
  let plan: Plan | undefined;
  const runs: number[] = [];
  for (let i = 0; i < 4; i++) {
    gc();
    const start = performance.now();
    plan = planRestore(current, target);
    const ms = performance.now() - start;
    if (i > 0) runs.push(ms);
  }
  const ms = Math.round(median(runs));
  const p = plan as Plan;
  console.log(
    `${label.padEnd(12)} ${String(ms).padStart(6)} ms  steps=${p.steps.length} create=${p.summary.create} ` +
      `update=${p.summary.update} delete=${p.summary.delete} refusals=${p.refusals.length}`,
  );
  return ms;
}

const full = syntheticGateway();
const entities = Object.values(full.meta.counts).reduce((sum, n) => sum + (n ?? 0), 0);
const copy = structuredClone(full);
const onePercent = mutate(full, 0.01, 7);
const empty = buildSnapshot(full.meta, {});
console.log(`synthetic gateway: ${entities} entities`);

gc();
const normalizeStart = performance.now();
normalizeSnapshot(full);
console.log(
  `normalizeSnapshot (every entity, for reference): ${Math.round(performance.now() - normalizeStart)} ms`,
);

const diffPlanMs = {
  identical: timePlan('identical', full, copy),
  onePercent: timePlan('onePercent', full, onePercent),
  emptyToFull: timePlan('emptyToFull', empty, full),
};
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(
  JSON.stringify({ bench: 'core', entities, diffPlanMs, deckExportMs: null, deckImportMs: null, peakRssMb }),
);
