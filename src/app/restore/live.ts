/**
 * Reading the live gateway for a restore and planning against it. The plan job, the restore job's re-plan
 * and the verification after applying all go through `planAgainstLive`, so all three compare the same way:
 * `planRestore(live, target, { only, noDeletes })`. The live dump is always the whole gateway, even for a
 * section-limited restore: `only` limits the writes, but the planner must see the parents the section's
 * entities point at (restoring `routes` needs the live services), or it refuses a sound plan as dangling.
 * Planning goes through `planOnGateway` (src/app) and the gateway's planner: the backup is filled with the gateway's schema
 * defaults and the plan is preflighted, so a plan the gateway cannot take is refused here, before the
 * card offers Approve. A backup is planned only against its own workspace (`requireSameWorkspace`). The schemas are read once per gateway object (one plan job, or one run with its re-plan
 * and verification).
 */

import {
  type OnlyEntry,
  type Plan,
  type PlanOptions,
  type Snapshot,
  workspaceMismatch,
} from '../../core/index.ts';
import { contentSha256 } from '../backups/content-hash.ts';
import { adoptFilled, planOnGateway } from '../plan-against-live.ts';
import type { Gateway, GatewayInfo, GatewayPlanner } from '../ports/gateway.ts';
import type { Restore } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { gatewayKey, type PreparedPlan } from './prepared-plans.ts';

export interface LivePlan {
  /** the live gateway the plan was made against (comparison form: what `applyPlan` takes as current) */
  live: Snapshot;
  plan: Plan;
  /** content hash of the live snapshot the plan was made from */
  liveFingerprint: string;
  /** `gatewayKey` of the gateway planned on */
  gateway: string;
  /**
   * the backup as planned: filled with the gateway's defaults (filling again is a no-op), so a later
   * plan against it (the verification) needs no second copy of the backup in memory
   */
  target: Snapshot;
}

export function planOptions(restore: Restore): { only?: OnlyEntry[]; noDeletes: boolean } {
  const only = restore.onlySections as OnlyEntry[] | null;
  return { ...(only && only.length > 0 ? { only } : {}), noDeletes: restore.noDeletes };
}

export async function dumpLive(services: Services, gateway: Gateway, info?: GatewayInfo): Promise<Snapshot> {
  return gateway.dump({
    gateway: info ?? (await gateway.describe()),
    takenAt: services.now().toISOString(),
  });
}

/**
 * A backup of one workspace planned against another (a `team-a` backup on a connection that reaches
 * `default`, or the reverse): refused before the live gateway is read, so nothing is written.
 */
export class WorkspaceMismatchError extends Error {
  constructor(reason: string) {
    super(`${reason}; nothing was changed`);
    this.name = 'WorkspaceMismatchError';
  }
}

/** Throws `WorkspaceMismatchError` unless `target` belongs to the workspace the gateway is reached in. */
export function requireSameWorkspace(target: Snapshot, gateway: GatewayInfo): void {
  const reason = workspaceMismatch(target.meta.workspace, gateway.workspace);
  if (reason) throw new WorkspaceMismatchError(reason);
}

const PLANNERS = new WeakMap<Gateway, Promise<GatewayPlanner>>();

/** The gateway's planner, opened on first use (capabilities read, schema cache empty). */
function plannerFor(gateway: Gateway, info: GatewayInfo): Promise<GatewayPlanner> {
  let planner = PLANNERS.get(gateway);
  if (!planner) {
    planner = gateway.planner(info);
    planner.catch(() => PLANNERS.delete(gateway));
    PLANNERS.set(gateway, planner);
  }
  return planner;
}

export async function planAgainstLive(
  services: Services,
  gateway: Gateway,
  restore: Restore,
  target: Snapshot,
): Promise<LivePlan> {
  return planOnLive(services, gateway, target, planOptions(restore));
}

/**
 * Dump the live gateway and plan `target` against it (the restore engine's planning, for any caller: a
 * restore request, a rehearsal into a scratch gateway). Refused for another workspace before reading it.
 */
export async function planOnLive(
  services: Services,
  gateway: Gateway,
  target: Snapshot,
  options: PlanOptions,
): Promise<LivePlan> {
  return planOnInfo(services, gateway, await gateway.describe(), target, options);
}

/** `planOnLive` once the gateway has been described. */
async function planOnInfo(
  services: Services,
  gateway: Gateway,
  info: GatewayInfo,
  target: Snapshot,
  options: PlanOptions,
): Promise<LivePlan> {
  requireSameWorkspace(target, info);
  const [planner, raw] = await Promise.all([plannerFor(gateway, info), dumpLive(services, gateway, info)]);
  return planFromDump(services, planner, info, raw, target, options);
}

async function planFromDump(
  services: Services,
  planner: GatewayPlanner,
  info: GatewayInfo,
  raw: Snapshot,
  target: Snapshot,
  options: PlanOptions,
): Promise<LivePlan> {
  const { plan, current, target: planned } = await planOnGateway(planner, raw, target, options);
  // hashed on first read: the plan job and the re-plan need it, the verification after applying (146k
  // entities serialized and hashed for nothing) does not
  let fingerprint: string | undefined;
  return {
    live: current,
    target: planned,
    plan,
    get liveFingerprint() {
      fingerprint ??= contentSha256(services.artifacts, raw);
      return fingerprint;
    },
    gateway: gatewayKey(info),
  };
}

/**
 * The restore job's re-plan: dump the live gateway; when it holds what the plan job planned against
 * (`prepared`: same content fingerprint, same gateway, same approved plan hash), that plan is the answer
 * (see prepared-plans.ts); otherwise the backup is opened (`open`) and planned against this same dump.
 */
export async function replanAgainstLive(
  services: Services,
  gateway: Gateway,
  restore: Restore,
  prepared: PreparedPlan | undefined,
  open: () => Promise<Snapshot>,
): Promise<LivePlan> {
  const info = await gateway.describe();
  if (prepared && prepared.planHash === restore.planHash && prepared.gateway === gatewayKey(info)) {
    requireSameWorkspace(prepared.target, info);
    // the planner is read beside the dump: the verification after applying needs it either way
    const [planner, raw] = await Promise.all([plannerFor(gateway, info), dumpLive(services, gateway, info)]);
    const liveFingerprint = contentSha256(services.artifacts, raw);
    if (liveFingerprint === prepared.liveFingerprint) {
      const { live, plan, target, gateway: key } = prepared;
      // filled on this gateway key by the plan job: the verification plans against it as applied
      adoptFilled(target, planner);
      return { live, plan, target, liveFingerprint, gateway: key };
    }
    const target = await open();
    requireSameWorkspace(target, info);
    return planFromDump(services, planner, info, raw, target, planOptions(restore));
  }
  return planOnInfo(services, gateway, info, await open(), planOptions(restore));
}

export function withGateway<T>(services: Services, restore: Restore, run: (g: Gateway) => Promise<T>) {
  const gateway = services.gateway(services.connection(restore.connection));
  return run(gateway).finally(() => gateway.close());
}

/**
 * What restoring `target` would do to a connection now (the Slack diff): a fresh client, the whole live
 * gateway, the same fill → plan → preflight as the restore job. The target may still be loading.
 */
export async function planConnection(
  services: Services,
  connection: string,
  target: Snapshot | Promise<Snapshot>,
  options: { only?: OnlyEntry[]; noDeletes?: boolean } = {},
): Promise<Plan> {
  const gateway = services.gateway(services.connection(connection));
  try {
    const info = await gateway.describe();
    const [planner, raw, resolved] = await Promise.all([
      plannerFor(gateway, info),
      dumpLive(services, gateway, info),
      target,
    ]);
    requireSameWorkspace(resolved, info);
    return (await planOnGateway(planner, raw, resolved, options)).plan;
  } finally {
    gateway.close();
  }
}
