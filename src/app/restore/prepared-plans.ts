/**
 * The plan job's work, handed to the restore job that follows it in the same process.
 *
 * The restore job must re-read the live gateway (someone may have changed it since the approval), but when
 * the live content is what the plan was made from, planning again is the same computation on the same
 * inputs: the same verified backup (it is held here, not read again), the same live content (equal content
 * fingerprint), the same gateway (version, edition, database mode, workspace: the schemas defaults are
 * filled from) and the same options (fixed on the request). The result would be the same plan, so the one
 * held here is used — it is the plan the approver saw, byte for byte. Any difference, a restart between
 * approval and run, or a run in another worker process: nothing is held, and the job opens the backup and
 * plans again as before. On a 146k-entity restore this saves opening the artifact and one plan (≈2.3 s of
 * an 18 s flow; docs/benchmarks.md).
 *
 * Memory: a held plan keeps the backup, the live snapshot and the plan, so at most `MAX_HELD` are kept,
 * each for at most `HOLD_MS`, and the restore job takes (removes) its own on entry.
 */
import type { Plan, Snapshot } from '../../core/index.ts';
import type { GatewayInfo } from '../ports/gateway.ts';

export interface PreparedPlan {
  planHash: string;
  liveFingerprint: string;
  /** `gatewayKey` of the gateway the plan was made on */
  gateway: string;
  /** the backup as verified, opened and planned by the plan job (filled with the gateway's defaults) */
  target: Snapshot;
  /** the live side the plan was made against (comparison form) */
  live: Snapshot;
  plan: Plan;
}

export const MAX_HELD = 2;
export const HOLD_MS = 15 * 60_000;

/** What, besides the live content, the plan depends on: the schemas and the reach of the gateway. */
export function gatewayKey(info: GatewayInfo): string {
  return JSON.stringify([info.version, info.edition, info.database, info.workspace]);
}

interface Held {
  value: PreparedPlan;
  timer: NodeJS.Timeout;
}

export class PreparedPlans {
  private readonly held = new Map<string, Held>();

  put(restoreId: string, value: PreparedPlan): void {
    this.drop(restoreId);
    while (this.held.size >= MAX_HELD) {
      const oldest = this.held.keys().next().value as string;
      this.drop(oldest);
    }
    const timer = setTimeout(() => this.drop(restoreId), HOLD_MS);
    timer.unref();
    this.held.set(restoreId, { value, timer });
  }

  /** The held plan for this request, removed from the holder (a run uses it at most once). */
  take(restoreId: string): PreparedPlan | undefined {
    const entry = this.held.get(restoreId);
    this.drop(restoreId);
    return entry?.value;
  }

  drop(restoreId: string): void {
    const entry = this.held.get(restoreId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.held.delete(restoreId);
  }

  get size(): number {
    return this.held.size;
  }
}

const HOLDERS = new WeakMap<object, PreparedPlans>();

/** The holder for one set of services (one per process in practice; tests build several). */
export function preparedPlans(owner: object): PreparedPlans {
  let holder = HOLDERS.get(owner);
  if (!holder) {
    holder = new PreparedPlans();
    HOLDERS.set(owner, holder);
  }
  return holder;
}
