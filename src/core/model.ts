/**
 * The named types passed between the engine's stages: normalize → diff → plan → (apply). Reporting
 * (text, Slack blocks, JSON) is built from these by the callers; the engine never prints.
 */
import type { Entity, EntityKind, Level, Section } from './catalogue/index.ts';

export type Operation = 'create' | 'update' | 'delete';

export interface FieldChange {
  /** dotted path, e.g. `config.minute` or `tags`. */
  path: string;
  before: unknown;
  after: unknown;
}

/** One entity that differs between the current and the target snapshot. */
export interface Change {
  op: Operation;
  kind: EntityKind;
  id: string;
  /** human label, e.g. `orders` or `rate-limiting for service orders`. */
  name: string;
  before?: Entity;
  after?: Entity;
  /** for updates: the changed fields (hashed secrets excluded). */
  fields?: FieldChange[];
  /** the Kong Enterprise workspace, in a diff of a multi-workspace backup */
  workspace?: string;
}

export interface DiffResult {
  changes: Change[];
  counts: Partial<Record<EntityKind, { create: number; update: number; delete: number }>>;
}

export type StepPhase = 'predelete' | 'upsert' | 'delete';

/** One write the executor performs. `upsert` steps are PUT by id, so every step is idempotent. */
export interface PlanStep {
  phase: StepPhase;
  op: Operation;
  kind: EntityKind;
  id: string;
  name: string;
  level: Level;
  /** for upserts: the full target entity to PUT. */
  body?: Entity;
  /** for updates: changed field paths. */
  fields?: string[];
  /** why a predelete happens: `rename` (same natural key, other id) or `dependent` (child of one). */
  reason?: 'rename' | 'dependent';
  /** the Kong Enterprise workspace the write goes to, in a plan of a multi-workspace backup */
  workspace?: string;
  /**
   * AWS API Gateway: this REST API (an update step of `restapis`) is restored by importing a definition
   * built from these target entities of it (PutRestApi mode=overwrite), because a change of the plan has
   * no PATCH path; the plan's own steps of the kinds the import writes are made by it.
   */
  reimport?: { content: Partial<Record<EntityKind, Entity[]>> };
}

/**
 * `hashed-secret`: a secret Kong keeps only as a hash cannot be written back as stored.
 * `not-updatable`: a change the gateway cannot make in place (AWS API Gateway: no PATCH path for that
 * member); the step will fail and say so, the rest of the restore goes on.
 * `reimport`: such a change, made by re-importing the whole REST API instead (AWS API Gateway:
 * PutRestApi mode=overwrite); the step of that API carries `reimport`.
 */
export interface PlanWarning {
  code: 'hashed-secret' | 'not-updatable' | 'reimport';
  kind: EntityKind;
  id: string;
  name: string;
  field: string;
  message: string;
}

/**
 * `dangling-reference`: the plan would leave an entity pointing at a missing parent.
 * `unique-conflict`: a target entity needs a unique value held on the gateway by an entity with another
 * id, and `noDeletes` forbids removing that entity first.
 */
export interface PlanRefusal {
  code: 'dangling-reference' | 'unique-conflict';
  kind: EntityKind;
  id: string;
  name: string;
  field: string;
  references: { kind: EntityKind; id: string };
  message: string;
}

/**
 * Preflight (schema/preflight.ts): what the gateway cannot take, found before the first write.
 * `unsupported-by-gateway`: kinds of another edition, plugins the gateway has not enabled (one refusal
 * naming all of them and the edition); `invalid-entity`: an entity Kong's schema would reject, with the
 * path of each bad field.
 */
export interface PreflightRefusal {
  code: 'unsupported-by-gateway' | 'invalid-entity';
  kind?: EntityKind;
  id?: string;
  name?: string;
  /** `invalid-entity`: each bad field's path and Kong's message for it. */
  problems?: { path: string; message: string }[];
  message: string;
}

/**
 * Kong Enterprise workspaces (plan-workspaces.ts): `workspace-move` — an entity the backup holds in one
 * workspace lives in another (a restore never moves an entity between workspaces); `workspace-scope` — a
 * multi-workspace backup planned against one workspace, or the reverse.
 */
export interface WorkspaceRefusal {
  code: 'workspace-move' | 'workspace-scope';
  kind?: EntityKind;
  id?: string;
  name?: string;
  message: string;
}

export type Refusal = PlanRefusal | PreflightRefusal | WorkspaceRefusal;

export interface PlanOptions {
  /** sections, or `<workspace>/<section>` and `<workspace>/*` for a multi-workspace backup */
  only?: readonly OnlyEntry[];
  noDeletes?: boolean;
}

/** A section, or (multi-workspace backups) a section of one workspace, or a whole workspace. */
export type OnlyEntry = Section | `${string}/${string}`;

export interface Plan {
  options: { only: OnlyEntry[] | null; noDeletes: boolean };
  /** ordered: predeletes (bottom-up), upserts (top-down by level), deletes (bottom-up). */
  steps: PlanStep[];
  changes: Change[];
  summary: { create: number; update: number; delete: number };
  perSection: Partial<Record<Section, { create: number; update: number; delete: number }>>;
  warnings: PlanWarning[];
  /** non-empty means the plan would break the gateway and must not be applied. */
  refusals: Refusal[];
  /** SHA-256 of the canonical JSON of options + steps; approvals bind to it. */
  planHash: string;
}
