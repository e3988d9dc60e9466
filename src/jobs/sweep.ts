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
}

export async function sweepLeftovers(
  services: Pick<Services, 'primaryDir' | 'copyTargets'>,
): Promise<SweptLocation[]> {
  const out: SweptLocation[] = [
    { target: 'primary', removed: (await sweepStaleTemps(services.primaryDir)).removed },
    {
      target: `primary/${CHECKPOINT_DIR}`,
      removed: (await sweepStaleTemps(join(services.primaryDir, CHECKPOINT_DIR))).removed,
    },
  ];
  for (const target of services.copyTargets) {
    if (target.sweepLeftovers) out.push({ target: target.id, removed: await target.sweepLeftovers() });
  }
  return out.filter((l) => l.removed.length > 0);
}
