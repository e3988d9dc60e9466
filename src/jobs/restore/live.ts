/**
 * Reading the live gateway for a restore and planning against it. The plan job, the restore job's re-plan
 * and the verification after applying all go through `planAgainstLive`, so all three compare the same way:
 * `planRestore(live, target, { only, noDeletes })`. The live dump is always the whole gateway, even for a
 * section-limited restore: `only` limits the writes, but the planner must see the parents the section's
 * entities point at (restoring `routes` needs the live services), or it refuses a sound plan as dangling.
 * Planning goes through `planOnGateway` (src/kong): the backup is filled with the gateway's schema
 * defaults and the plan is preflighted, so a plan the gateway cannot take is refused here, before the
 * card offers Approve. The schemas are read once per client (one plan job, or one run with its re-plan
 * and verification).
 */

import type { Restore } from '../../app/ports/records.ts';
import type { Plan, Section, Snapshot } from '../../core/index.ts';
import {
  describeGateway,
  dumpGateway,
  type GatewayInfo,
  type GatewayPlanning,
  type KongClient,
  openGatewayPlanning,
  planOnGateway,
} from '../../kong/index.ts';
import { contentSha256 } from '../content-hash.ts';
import type { Services } from '../context.ts';

export interface LivePlan {
  /** the live gateway the plan was made against (comparison form: what `applyPlan` takes as current) */
  live: Snapshot;
  plan: Plan;
  /** content hash of the live snapshot the plan was made from */
  liveFingerprint: string;
}

export function planOptions(restore: Restore): { only?: Section[]; noDeletes: boolean } {
  const only = restore.onlySections as Section[] | null;
  return { ...(only && only.length > 0 ? { only } : {}), noDeletes: restore.noDeletes };
}

export async function dumpLive(
  services: Services,
  client: KongClient,
  gateway?: GatewayInfo,
): Promise<Snapshot> {
  return dumpGateway(client, {
    gateway: gateway ?? (await describeGateway(client)),
    takenAt: services.now().toISOString(),
  });
}

const PLANNINGS = new WeakMap<KongClient, Promise<GatewayPlanning>>();

/** The client's GatewayPlanning, opened on first use (capabilities read, schema cache empty). */
function planningFor(client: KongClient, gateway: GatewayInfo): Promise<GatewayPlanning> {
  let planning = PLANNINGS.get(client);
  if (!planning) {
    planning = openGatewayPlanning(client, gateway);
    planning.catch(() => PLANNINGS.delete(client));
    PLANNINGS.set(client, planning);
  }
  return planning;
}

export async function planAgainstLive(
  services: Services,
  client: KongClient,
  restore: Restore,
  target: Snapshot,
): Promise<LivePlan> {
  const gateway = await describeGateway(client);
  const [planning, raw] = await Promise.all([
    planningFor(client, gateway),
    dumpLive(services, client, gateway),
  ]);
  const { plan, current } = await planOnGateway(planning, raw, target, planOptions(restore));
  return { live: current, plan, liveFingerprint: contentSha256(raw) };
}

export function withClient<T>(services: Services, restore: Restore, run: (c: KongClient) => Promise<T>) {
  const client = services.kongClient(services.connection(restore.connection));
  return run(client).finally(() => client.close());
}

/**
 * What restoring `target` would do to a connection now (the Slack diff): a fresh client, the whole live
 * gateway, the same fill → plan → preflight as the restore job. The target may still be loading.
 */
export async function planConnection(
  services: Services,
  connection: string,
  target: Snapshot | Promise<Snapshot>,
  options: { only?: Section[]; noDeletes?: boolean } = {},
): Promise<Plan> {
  const client = services.kongClient(services.connection(connection));
  try {
    const gateway = await describeGateway(client);
    const [planning, raw, resolved] = await Promise.all([
      planningFor(client, gateway),
      dumpLive(services, client, gateway),
      target,
    ]);
    return (await planOnGateway(planning, raw, resolved, options)).plan;
  } finally {
    client.close();
  }
}
