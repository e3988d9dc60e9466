/**
 * Reading the live gateway for a restore and planning against it. The plan job, the restore job's re-plan
 * and the verification after applying all go through `planAgainstLive`, so all three compare the same way:
 * `planRestore(live, target, { only, noDeletes })`. The live dump is always the whole gateway, even for a
 * section-limited restore: `only` limits the writes, but the planner must see the parents the section's
 * entities point at (restoring `routes` needs the live services), or it refuses a sound plan as dangling.
 */

import type { Restore } from '../../app/ports/records.ts';
import { type Plan, planRestore, type Section, type Snapshot } from '../../core/index.ts';
import { describeGateway, dumpGateway, type KongClient } from '../../kong/index.ts';
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

export async function dumpLive(services: Services, client: KongClient): Promise<Snapshot> {
  const gateway = await describeGateway(client);
  return dumpGateway(client, {
    gateway,
    takenAt: services.now().toISOString(),
  });
}

export async function planAgainstLive(
  services: Services,
  client: KongClient,
  restore: Restore,
  target: Snapshot,
): Promise<LivePlan> {
  const live = await dumpLive(services, client);
  const plan = planRestore(live, target, planOptions(restore));
  return { live, plan, liveFingerprint: contentSha256(live) };
}

export function withClient<T>(services: Services, restore: Restore, run: (c: KongClient) => Promise<T>) {
  const client = services.kongClient(services.connection(restore.connection));
  return run(client).finally(() => client.close());
}
