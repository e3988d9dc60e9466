/**
 * The gateway port: what the use cases need from a live gateway, whatever its type. `src/kong`
 * implements it for Kong (`openKongGateway`); a second type implements `Gateway` in its own folder, adds
 * one line to `src/compose/gateways.ts` and its name to the config schema, and runs
 * `test/contract/gateway.contract.ts`.
 */
import type {
  DatabaseMode,
  Edition,
  Plan,
  PlanStep,
  Section,
  Snapshot,
  SnapshotMeta,
  SnapshotSink,
} from '../../core/index.ts';

export interface GatewayInfo {
  version: string;
  edition: Edition;
  /** `off`: the gateway takes its whole configuration at once (Kong DB-less) */
  database: DatabaseMode;
  /** `traditional`, `control_plane` or `data_plane` for Kong; the gateway's own word otherwise */
  role: string;
  workspace: string | null;
  hostname: string | null;
}

export interface HealthStatus {
  ok: boolean;
  /** false when the gateway reports its database unreachable; null when it has none */
  databaseReachable: boolean | null;
  /** the hash of the loaded configuration, where the gateway reports one */
  configurationHash: string | null;
  /** one line for an operator when not ok */
  message: string | null;
}

export interface DumpProgress {
  kind: string;
  /** entities of this kind fetched so far */
  fetched: number;
  /** true once the kind is complete */
  done: boolean;
  /** the gateway does not offer this kind */
  skipped?: boolean;
}

export interface DumpOptions {
  only?: readonly Section[] | null;
  /** list requests in flight at once */
  parallelism?: number;
  onProgress?: (p: DumpProgress) => void;
  /** ISO-8601 time recorded in the snapshot (default: now) */
  takenAt?: string;
  /** from an earlier `describe`, to avoid asking twice */
  gateway?: GatewayInfo;
  signal?: AbortSignal;
}

export type StepStatus = 'ok' | 'failed' | 'not_attempted';

export interface StepError {
  status: number | null;
  code: number | null;
  message: string;
  fields: Record<string, unknown> | null;
}

export interface StepResult {
  step: PlanStep;
  status: StepStatus;
  error?: StepError;
}

export interface ApplyProgress {
  done: number;
  total: number;
  step: PlanStep;
  status: StepStatus;
  /** the position of this step's result in `ApplyResult.steps` (its step record's `seq`) */
  seq: number;
}

/** An id the gateway assigned anew on create (AWS API Gateway), for the entity keyed `key`. */
export interface AssignedId {
  kind: string;
  key: string;
  /** the id the backup recorded, when it had one */
  from: string | null;
  to: string;
}

export interface ApplyResult {
  ok: boolean;
  steps: StepResult[];
  counts: { ok: number; failed: number; notAttempted: number };
  /** a failure not tied to one step (a whole configuration rejected, cancelled) */
  error?: StepError;
  /** gateways that assign ids on create: backup id → new id, per natural key (Kong keeps every id) */
  idMapping?: AssignedId[];
  aborted?: boolean;
}

export interface ApplyOptions {
  parallelism?: number;
  signal?: AbortSignal;
  onProgress?: (p: ApplyProgress) => void;
  /** the live snapshot the plan was made from (a DB-less Kong needs it) */
  current?: Snapshot;
}

/**
 * The gateway's part of planning, one per run (schemas and capabilities are read once): the target as
 * this gateway would store it (defaults filled), the live dump in comparison form, and the preflight that
 * refuses, before the first write, whatever the gateway cannot take.
 */
export interface GatewayPlanner {
  fillTarget(target: Snapshot): Promise<Snapshot>;
  prepareLive(live: Snapshot): Promise<Snapshot>;
  /**
   * the plan with what the gateway cannot take added to its refusals (the same plan when it can);
   * `target` (the filled target the plan was made to) lets a gateway plan a write of more than the plan's
   * changes (AWS: re-importing a whole REST API)
   */
  preflight(plan: Plan, target?: Snapshot): Plan;
}

/** What went wrong talking to the gateway, in terms every gateway type shares. */
export type GatewayErrorCode = 'gateway_auth' | 'gateway_unreachable' | 'gateway_error';

export interface GatewayErrorClass {
  code: GatewayErrorCode;
  /** the gateway's own words (no secrets) */
  message: string;
  /** the HTTP status, when there was an answer */
  status: number | null;
  /** would trying again later help (network error, 5xx, 429) */
  retryable: boolean;
}

export interface Gateway {
  /** the connection's gateway type, e.g. `kong` */
  readonly type: string;
  /** the product's name as operators know it, e.g. `Kong` */
  readonly product: string;
  /** the address shown to operators (never holds a secret) */
  readonly address: string;
  describe(): Promise<GatewayInfo>;
  /** never throws for an unhealthy gateway: the answer says what is wrong */
  health(): Promise<HealthStatus>;
  /** the live configuration, page by page into `sink`; returns the snapshot's metadata */
  dumpInto(sink: SnapshotSink, options?: DumpOptions): Promise<SnapshotMeta>;
  /** the live configuration as a Snapshot */
  dump(options?: DumpOptions): Promise<Snapshot>;
  /** fill, compare form and preflight for one run of planning (`info` from an earlier `describe`) */
  planner(info?: GatewayInfo): Promise<GatewayPlanner>;
  /** runs the plan's writes; per-step outcomes are collected, not thrown */
  apply(plan: Plan, options?: ApplyOptions): Promise<ApplyResult>;
  /** null when `err` did not come from talking to this gateway */
  classifyError(err: unknown): GatewayErrorClass | null;
  close(): void;
}
