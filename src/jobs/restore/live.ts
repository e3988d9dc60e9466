/**
 * Reading the live gateway for a restore and planning against it. The plan job, the restore job's re-plan
 * and the verification after applying all go through `planAgainstLive`, so all three compare the same way:
 * `planRestore(live, target, { only, noDeletes })`. The live dump is always the whole gateway, even for a
 * section-limited restore: `only` limits the writes, but the planner must see the parents the section's
 * entities point at (restoring `routes` needs the live services), or it refuses a sound plan as dangling.
 */

import type { Gateway } from '../../app/ports/gateway.ts';
import type { Restore } from '../../app/ports/records.ts';
import { type Plan, planRestore, type Section, type Snapshot } from '../../core/index.ts';
import { contentSha256 } from '../content-hash.ts';
import type { Services } from '../context.ts';

export interface LivePlan {
  live: Snapshot;
  plan: Plan;
  /** content hash of the live snapshot the plan was made from */
  liveFingerprint: string;
}

export function planOptions(restore: Restore): { only?: Section[]; noDeletes: boolean } {
  const only = restore.onlySections as Section[] | null;
  return { ...(only && only.length > 0 ? { only } : {}), noDeletes: restore.noDeletes };
}

export async function dumpLive(services: Services, gateway: Gateway): Promise<Snapshot> {
  const info = await gateway.describe();
  return gateway.dump({
    gateway: info,
    takenAt: services.now().toISOString(),
  });
}

export async function planAgainstLive(
  services: Services,
  gateway: Gateway,
  restore: Restore,
  target: Snapshot,
): Promise<LivePlan> {
  const live = await dumpLive(services, gateway);
  const plan = planRestore(live, target, planOptions(restore));
  return { live, plan, liveFingerprint: contentSha256(live) };
}

export function withGateway<T>(services: Services, restore: Restore, run: (g: Gateway) => Promise<T>) {
  const gateway = services.gateway(services.connection(restore.connection));
  return run(gateway).finally(() => gateway.close());
}
