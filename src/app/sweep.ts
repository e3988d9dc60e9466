/**
 * Crash leftovers (issue 18 §2): a worker killed while writing an artifact, a copy or a checkpoint leaves
 * its temp file behind. `sweepLeftovers` asks every storage location to remove its stale ones through the
 * copy-target (and checkpoint-store) interface — the primary, the primary's audit checkpoints and every
 * copy target that implements `sweepLeftovers` (a directory: src/storage/sweep.ts says which are stale).
 * Workers run it at start and `prune` on every run.
 */

import type { Services } from './services.ts';

export interface SweptLocation {
  /** `primary`, `primary/audit-checkpoints` or a copy target's id */
  target: string;
  removed: string[];
  /** why this location could not be swept (not a directory, unreadable); the others still are */
  problem?: string;
}

/** Never throws: a location that cannot be read is reported and the next one swept. */
export async function sweepLeftovers(
  services: Pick<Services, 'primary' | 'copyTargets'>,
): Promise<SweptLocation[]> {
  const { primary } = services;
  const locations: { target: string; sweep: () => Promise<string[]> }[] = [];
  if (primary.sweepLeftovers) locations.push({ target: 'primary', sweep: () => primary.sweepLeftovers!() });
  const checkpoints = primary.checkpointStore?.();
  if (checkpoints?.sweepLeftovers)
    locations.push({ target: 'primary/audit-checkpoints', sweep: () => checkpoints.sweepLeftovers!() });
  for (const t of services.copyTargets)
    if (t.sweepLeftovers) locations.push({ target: t.id, sweep: () => t.sweepLeftovers!() });
  const out: SweptLocation[] = [];
  for (const l of locations) {
    try {
      const removed = await l.sweep();
      if (removed.length > 0) out.push({ target: l.target, removed });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      out.push({ target: l.target, removed: [], problem: `cannot sweep (${code})` });
    }
  }
  return out;
}
