/**
 * planRestore(current, target): the ordered writes that turn the current gateway into the target.
 * Phases, as decK's syncer runs them (go-database-reconciler pkg/diff/diff.go):
 *   1. predelete, bottom-up: entities holding a unique value a target entity with another id needs
 *      (`rename`), with their transitive dependents (`dependent`) deleted first — never by cascade;
 *   2. upsert, top-down by level: creates and updates (PUT by id), plus re-creation of whatever of the
 *      predeleted entities the target still has;
 *   3. delete, bottom-up: entities only the current gateway has, children before parents.
 * `only` limits every phase to the sections' kinds; `noDeletes` drops phase 3 and refuses renames. The kinds,
 * their order and the sections are those of the target's catalogue (`meta.gateway`; Kong's when absent).
 * A plan that would leave a dangling reference is refused (plan-check.ts). `planHash` binds approvals.
 */

import { planHash } from './canonical.ts';
import {
  ALL_KINDS,
  CATALOGUE,
  type Catalogue,
  catalogueOf,
  type Entity,
  type EntityKind,
  type Section,
} from './catalogue/index.ts';
import { describeEntity } from './describe.ts';
import { diffKind, kindsInScope } from './diff.ts';
import { hashedSecretWarnings } from './hashed-secrets.ts';
import type { Change, Plan, PlanOptions, PlanRefusal, PlanStep } from './model.ts';
import { danglingReferences } from './plan-check.ts';
import { type Predelete, predeletesFor, strandedRefusal, uniqueConflict } from './plan-predelete.ts';
import { findRenames } from './plan-renames.ts';
import { planAcrossWorkspaces } from './plan-workspaces.ts';
import { KindIdMap } from './references.ts';
import { SERVER_MANAGED_FIELDS, type Snapshot } from './snapshot.ts';

function normalizeOnly(only: readonly Section[] | undefined, catalogue: Catalogue): Section[] | null {
  if (!only || only.length === 0) return null;
  const sections = catalogue.sections;
  for (const s of only) {
    if (!(sections as readonly string[]).includes(s)) {
      throw new TypeError(`unknown section "${String(s)}"; sections are: ${sections.join(', ')}`);
    }
  }
  return sections.filter((s) => only.includes(s));
}

const DROPPED = new Map<EntityKind, readonly string[]>(
  ALL_KINDS.map((k) => [k, [...SERVER_MANAGED_FIELDS, ...CATALOGUE[k].readOnlyFields]]),
);

/** The body to PUT: the target entity without server-managed or read-only fields (copied only if needed). */
function bodyOf(kind: EntityKind, e: Entity): Entity {
  const drop = DROPPED.get(kind) as readonly string[];
  let present = false;
  for (const f of drop) if (f in e) present = true;
  if (!present) return e;
  const out: Record<string, unknown> = { ...e };
  for (const f of drop) delete out[f];
  return out as Entity;
}

const GENERATED = new Map<EntityKind, readonly string[]>(
  ALL_KINDS.map((k) => [k, CATALOGUE[k].autoFields ?? []]),
);

/**
 * An update is a PUT, a full replace: a field Kong generates when omitted (a jwt `secret`, a key-auth
 * `key`) and that the target leaves out would be generated anew, changing a live secret the diff did not
 * call a change. The update keeps the live value instead.
 */
function keepGenerated(kind: EntityKind, body: Entity, before: Entity | undefined): Entity {
  if (!before) return body;
  let out: Record<string, unknown> | null = null;
  for (const f of GENERATED.get(kind) as readonly string[]) {
    if ((body[f] === undefined || body[f] === null) && before[f] !== undefined && before[f] !== null) {
      out ??= { ...body };
      out[f] = before[f];
    }
  }
  return (out as Entity | null) ?? body;
}

/** Steps grouped by kind in the catalogue's level order (reversed for deletes), each group by id. */
function ordered(steps: readonly PlanStep[], bottomUp: boolean, catalogue: Catalogue): PlanStep[] {
  const byKind = new Map<EntityKind, PlanStep[]>();
  for (const s of steps) {
    const list = byKind.get(s.kind);
    if (list) list.push(s);
    else byKind.set(s.kind, [s]);
  }
  const out: PlanStep[] = [];
  for (const kind of bottomUp ? [...catalogue.topDown].reverse() : catalogue.topDown) {
    // mostly sorted already (diff order), which TimSort handles in linear time
    const list = byKind.get(kind)?.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (list) for (const s of list) out.push(s);
  }
  return out;
}

/**
 * The plan that makes `current` look like `target`. A multi-workspace backup (Kong Enterprise,
 * `meta.workspaces`) is planned workspace by workspace (plan-workspaces.ts).
 */
export function planRestore(current: Snapshot, target: Snapshot, options: PlanOptions = {}): Plan {
  if (target.meta.workspaces || current.meta.workspaces) {
    return planAcrossWorkspaces(current, target, options, planOneWorkspace);
  }
  return planOneWorkspace(current, target, options);
}

function planOneWorkspace(current: Snapshot, target: Snapshot, options: PlanOptions = {}): Plan {
  const catalogue = catalogueOf(target.meta);
  const scoped = options.only?.find((o) => o.includes('/'));
  if (scoped) {
    throw new TypeError(
      `"${scoped}" names a workspace, but the backup holds one workspace; use sections alone (e.g. plugins)`,
    );
  }
  const only = normalizeOnly(options.only as readonly Section[] | undefined, catalogue);
  const noDeletes = options.noDeletes === true;
  const kinds = kindsInScope(only, catalogue);
  const changes: Change[] = [];
  for (const kind of kinds) for (const c of diffKind(kind, current, target)) changes.push(c);

  const renames = findRenames(current, target, changes);
  const refusals: PlanRefusal[] = noDeletes ? renames.map((r) => uniqueConflict(current, target, r)) : [];
  const { predeleted, stranded } = noDeletes
    ? { predeleted: new KindIdMap<Predelete>(), stranded: [] }
    : predeletesFor(current, renames, kinds);
  for (const s of stranded) refusals.push(strandedRefusal(current, only, s));

  const predeleteSteps: PlanStep[] = [];
  const upserts = new KindIdMap<PlanStep>();
  const upsertSteps: PlanStep[] = [];
  const deleteSteps: PlanStep[] = [];
  for (const p of predeleted.values()) {
    const before = current.entities[p.kind]?.[p.id] as Entity;
    const name = describeEntity(current, p.kind, before);
    predeleteSteps.push({
      phase: 'predelete',
      op: 'delete',
      kind: p.kind,
      id: p.id,
      name,
      level: CATALOGUE[p.kind].level,
      reason: p.reason,
    });
    const after = target.entities[p.kind]?.[p.id];
    if (after) {
      const step: PlanStep = {
        phase: 'upsert',
        op: 'create',
        kind: p.kind,
        id: p.id,
        name: describeEntity(target, p.kind, after),
        level: CATALOGUE[p.kind].level,
        body: bodyOf(p.kind, after),
      };
      upserts.set(p.kind, p.id, step);
      upsertSteps.push(step);
    }
  }
  for (const c of changes) {
    const level = CATALOGUE[c.kind].level;
    if (c.op === 'delete') {
      if (!noDeletes && !predeleted.has(c.kind, c.id))
        deleteSteps.push({ phase: 'delete', op: 'delete', kind: c.kind, id: c.id, name: c.name, level });
    } else if (!(predeleted.has(c.kind, c.id) && upserts.has(c.kind, c.id))) {
      // (only a predeleted entity can already be upserted: its re-creation above)
      const step: PlanStep = {
        phase: 'upsert',
        op: c.op,
        kind: c.kind,
        id: c.id,
        name: c.name,
        level,
        body: keepGenerated(c.kind, bodyOf(c.kind, c.after as Entity), c.before),
      };
      if (c.fields) step.fields = c.fields.map((f) => f.path);
      upserts.set(c.kind, c.id, step);
      upsertSteps.push(step);
    }
  }
  const steps = [
    ...ordered(predeleteSteps, true, catalogue),
    ...ordered(upsertSteps, false, catalogue),
    ...ordered(deleteSteps, true, catalogue),
  ];

  const deleted = new KindIdMap<true>();
  for (const s of steps) if (s.op === 'delete' && !upserts.has(s.kind, s.id)) deleted.set(s.kind, s.id, true);
  // one refusal per broken reference: a stranded dependent is also dangling in the final state
  const seen = new Set(refusals.map((r) => `${r.kind}\u0000${r.id}\u0000${r.field}\u0000${r.references.id}`));
  for (const r of danglingReferences({ current, target, only, deleted, upserts })) {
    if (!seen.has(`${r.kind}\u0000${r.id}\u0000${r.field}\u0000${r.references.id}`)) refusals.push(r);
  }

  const planOptions = { only, noDeletes };
  return {
    options: planOptions,
    steps,
    changes,
    ...countSteps(steps),
    warnings: hashedSecretWarnings(steps),
    refusals,
    planHash: planHash(planOptions, steps),
  };
}

function countSteps(steps: readonly PlanStep[]): Pick<Plan, 'summary' | 'perSection'> {
  const summary = { create: 0, update: 0, delete: 0 };
  const perSection: Plan['perSection'] = {};
  for (const s of steps) {
    summary[s.op]++;
    const section = CATALOGUE[s.kind].section;
    const entry = perSection[section] ?? { create: 0, update: 0, delete: 0 };
    entry[s.op]++;
    perSection[section] = entry;
  }
  return { summary, perSection };
}
