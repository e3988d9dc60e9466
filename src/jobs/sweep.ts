/**
 * Crash leftovers (issue 18 §2): a worker killed while writing an artifact, a copy or a checkpoint leaves
 * its temp file behind. `sweepLeftovers` removes the stale ones (src/storage/sweep.ts says which are
 * stale) from the primary directory, its audit checkpoints and every copy target; workers run it at start
 * and `prune` on every run.
 */

import { join } from 'node:path';
import { CHECKPOINT_DIR, sweepStaleTemps } from '../storage/index.ts';
import type { Services } from './context.ts';

export interface SweptLocation {
  /** `primary`, `primary/audit-checkpoints` or a copy target's id */
  target: string;
  removed: string[];
  /** why this location could not be swept (not a directory, unreadable); the others still are */
  problem?: string;
}

/** Never throws: a location that cannot be read is reported and the next one swept. */
export async function sweepLeftovers(
  services: Pick<Services, 'primaryDir' | 'copyTargets'>,
): Promise<SweptLocation[]> {
  const locations: { target: string; sweep: () => Promise<string[]> }[] = [
    { target: 'primary', sweep: async () => (await sweepStaleTemps(services.primaryDir)).removed },
    {
      target: `primary/${CHECKPOINT_DIR}`,
      sweep: async () => (await sweepStaleTemps(join(services.primaryDir, CHECKPOINT_DIR))).removed,
    },
    ...services.copyTargets.flatMap((t) =>
      t.sweepLeftovers ? [{ target: t.id, sweep: () => t.sweepLeftovers!() }] : [],
    ),
  ];
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
