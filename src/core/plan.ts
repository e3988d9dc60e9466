/**
 * planRestore(current, target): the ordered writes that turn the current gateway into the target.
 * Phases, as decK's syncer runs them (go-database-reconciler pkg/diff/diff.go):
 *   1. predelete, bottom-up: entities holding a unique value a target entity with another id needs
 *      (`rename`), with their transitive dependents (`dependent`) deleted first — never by cascade;
 *   2. upsert, top-down by level: creates and updates (PUT by id), plus re-creation of whatever of the
 *      predeleted entities the target still has;
 *   3. delete, bottom-up: entities only the current gateway has, children before parents.
 * `only` limits every phase to the sections' kinds; `noDeletes` drops phase 3 and refuses renames.
 * A plan that would leave a dangling reference is refused (plan-check.ts). `planHash` binds approvals.
 */
import {
  CATALOGUE,
  type Entity,
  type EntityKind,
  KINDS_TOP_DOWN,
  SECTIONS,
  type Section,
} from './catalogue/index.ts';
import { describeEntity, KIND_NOUN, labelOf } from './describe.ts';
import { diffKind, kindsInScope } from './diff.ts';
import type { Change, Plan, PlanOptions, PlanRefusal, PlanStep, PlanWarning } from './model.ts';
import { hashedFieldsOf } from './normalize.ts';
import { danglingReferences } from './plan-check.ts';
import { planHash } from './plan-hash.ts';
import { findRenames, type RenameConflict } from './plan-renames.ts';
import { entityKey, ReferenceIndex, type Referrer } from './references.ts';
import { SERVER_MANAGED_FIELDS, type Snapshot } from './snapshot.ts';

const KIND_ORDER = new Map<EntityKind, number>(KINDS_TOP_DOWN.map((k, i) => [k, i]));

function normalizeOnly(only: readonly Section[] | undefined): Section[] | null {
  if (!only || only.length === 0) return null;
  for (const s of only) {
    if (!(SECTIONS as readonly string[]).includes(s)) {
      throw new TypeError(`unknown section "${String(s)}"; sections are: ${SECTIONS.join(', ')}`);
    }
  }
  return SECTIONS.filter((s) => only.includes(s));
}

/** The body to PUT: the target entity without server-managed or read-only fields (copied only if needed). */
function bodyOf(kind: EntityKind, e: Entity): Entity {
  const drop = [...SERVER_MANAGED_FIELDS, ...CATALOGUE[kind].readOnlyFields];
  if (!drop.some((f) => f in e)) return e;
  const out: Record<string, unknown> = { ...e };
  for (const f of drop) delete out[f];
  return out as Entity;
}

interface Predelete {
  kind: EntityKind;
  id: string;
  reason: 'rename' | 'dependent';
}

interface Stranded {
  child: Referrer;
  parent: Predelete;
}

/**
 * Rename holders plus their transitive dependents within scope. Dependents outside the scope are
 * `stranded`: Kong would cascade-delete them or refuse the delete, even if the parent is re-created.
 */
function predeletesFor(current: Snapshot, renames: RenameConflict[], kinds: readonly EntityKind[]) {
  const out = new Map<string, Predelete>();
  const stranded: Stranded[] = [];
  for (const r of renames) {
    out.set(entityKey(r.kind, r.currentId), { kind: r.kind, id: r.currentId, reason: 'rename' });
  }
  if (out.size === 0) return { predeleted: out, stranded };
  const index = ReferenceIndex.of(current.entities);
  const inScope = new Set(kinds);
  const stack = [...out.values()];
  while (stack.length > 0) {
    const parent = stack.pop() as Predelete;
    for (const child of index.referrers(parent.kind, parent.id)) {
      const key = entityKey(child.kind, child.id);
      if (!inScope.has(child.kind)) stranded.push({ child, parent });
      if (!inScope.has(child.kind) || out.has(key)) continue;
      const dependent: Predelete = { kind: child.kind, id: child.id, reason: 'dependent' };
      out.set(key, dependent);
      stack.push(dependent);
    }
  }
  return { predeleted: out, stranded };
}

function strandedRefusal(current: Snapshot, only: readonly Section[] | null, s: Stranded): PlanRefusal {
  const child = current.entities[s.child.kind]?.[s.child.id] as Entity;
  const childName = `${KIND_NOUN[s.child.kind]} ${describeEntity(current, s.child.kind, child)}`;
  const parentName = `${KIND_NOUN[s.parent.kind]} ${labelOf(current, s.parent.kind, s.parent.id)}`;
  const wanted = new Set<Section>([...(only ?? []), CATALOGUE[s.child.kind].section]);
  return {
    code: 'dangling-reference',
    kind: s.child.kind,
    id: s.child.id,
    name: childName,
    field: s.child.field,
    references: { kind: s.parent.kind, id: s.parent.id },
    message:
      `restoring only ${(only ?? []).join(', ')} must delete and re-create ${parentName} (a unique value it ` +
      `holds moves to another id), which would remove or orphan ${childName}; add --only ` +
      SECTIONS.filter((x) => wanted.has(x)).join(','),
  };
}

function uniqueConflict(current: Snapshot, target: Snapshot, r: RenameConflict): PlanRefusal {
  const noun = KIND_NOUN[r.kind];
  const after = target.entities[r.kind]?.[r.targetId] as Entity;
  const name = describeEntity(target, r.kind, after);
  return {
    code: 'unique-conflict',
    kind: r.kind,
    id: r.targetId,
    name: `${noun} ${name}`,
    field: r.fields.join(','),
    references: { kind: r.kind, id: r.currentId },
    message:
      `${noun} ${name} (id ${r.targetId}) needs the ${r.fields.join(', ')} held on the gateway by ` +
      `${noun} ${labelOf(current, r.kind, r.currentId)} (id ${r.currentId}); it must be deleted first, ` +
      'which --no-deletes forbids',
  };
}

function byKindThenId(direction: 1 | -1) {
  return (a: PlanStep, b: PlanStep) =>
    direction * ((KIND_ORDER.get(a.kind) as number) - (KIND_ORDER.get(b.kind) as number)) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function planRestore(current: Snapshot, target: Snapshot, options: PlanOptions = {}): Plan {
  const only = normalizeOnly(options.only);
  const noDeletes = options.noDeletes === true;
  const kinds = kindsInScope(only);
  const changes: Change[] = [];
  for (const kind of kinds) for (const c of diffKind(kind, current, target)) changes.push(c);

  const renames = findRenames(current, target, kinds);
  const refusals: PlanRefusal[] = noDeletes ? renames.map((r) => uniqueConflict(current, target, r)) : [];
  const { predeleted, stranded } = noDeletes
    ? { predeleted: new Map<string, Predelete>(), stranded: [] }
    : predeletesFor(current, renames, kinds);
  for (const s of stranded) refusals.push(strandedRefusal(current, only, s));

  const predeleteSteps: PlanStep[] = [];
  const upserts = new Map<string, PlanStep>();
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
      upserts.set(entityKey(p.kind, p.id), step);
    }
  }
  for (const c of changes) {
    const key = entityKey(c.kind, c.id);
    const level = CATALOGUE[c.kind].level;
    if (c.op === 'delete') {
      if (!noDeletes && !predeleted.has(key))
        deleteSteps.push({ phase: 'delete', op: 'delete', kind: c.kind, id: c.id, name: c.name, level });
    } else if (!upserts.has(key)) {
      const step: PlanStep = {
        phase: 'upsert',
        op: c.op,
        kind: c.kind,
        id: c.id,
        name: c.name,
        level,
        body: bodyOf(c.kind, c.after as Entity),
      };
      if (c.fields) step.fields = c.fields.map((f) => f.path);
      upserts.set(key, step);
    }
  }
  const steps = [
    ...predeleteSteps.sort(byKindThenId(-1)),
    ...[...upserts.values()].sort(byKindThenId(1)),
    ...deleteSteps.sort(byKindThenId(-1)),
  ];

  const deleted = new Set<string>();
  for (const s of steps)
    if (s.op === 'delete' && !upserts.has(entityKey(s.kind, s.id))) deleted.add(entityKey(s.kind, s.id));
  const upserted = new Map<string, { kind: EntityKind; body: Entity }>();
  for (const [key, s] of upserts) upserted.set(key, { kind: s.kind, body: s.body as Entity });
  refusals.push(...danglingReferences({ current, target, only, deleted, upserts: upserted }));

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

/** Hashed secrets the plan writes: Kong would store a hash of the stored hash, so they need resetting. */
function hashedSecretWarnings(steps: readonly PlanStep[]): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  for (const s of steps) {
    if (s.phase !== 'upsert' || !s.body) continue;
    for (const field of hashedFieldsOf(s.kind, s.body)) {
      warnings.push({
        code: 'hashed-secret',
        kind: s.kind,
        id: s.id,
        name: s.name,
        field,
        message:
          `${KIND_NOUN[s.kind]} ${s.name}: Kong stores ${field} hashed, so the backup holds only the hash ` +
          'and cannot restore the original value; set it again after the restore',
      });
    }
  }
  return warnings;
}
