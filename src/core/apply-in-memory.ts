/**
 * applyPlanInMemory(snapshot, plan): the plan's steps applied to a copy of the snapshot, in order, with
 * Kong's foreign-key rules checked after every step — the proof that a plan's order is safe, and the
 * expected state for post-restore verification. An upsert replaces the whole entity by id (PUT); a delete
 * removes it. A delete that leaves a referencing entity behind, or an upsert pointing at a missing parent,
 * throws ForeignKeyViolationError. Referrers are indexed by parent, so each step costs O(its references).
 */
import type { Entity, EntityKind } from './catalogue/index.ts';
import type { Plan, PlanStep } from './model.ts';
import { buildSnapshot } from './normalize.ts';
import { ReferenceIndex, referencesOf } from './references.ts';
import type { EntityMap, Snapshot } from './snapshot.ts';

export class ForeignKeyViolationError extends Error {
  override readonly name = 'ForeignKeyViolationError';
  constructor(
    readonly stepIndex: number,
    readonly step: Pick<PlanStep, 'phase' | 'op' | 'kind' | 'id'>,
    /** the entity whose foreign key breaks (the child) */
    readonly kind: EntityKind,
    readonly id: string,
    readonly field: string,
    readonly references: { kind: EntityKind; id: string },
  ) {
    super(
      `step ${stepIndex + 1} (${step.phase} ${step.op} ${step.kind} ${step.id}) breaks a foreign key: ` +
        `${kind} ${id} field ${field} points at ${references.kind} ${references.id}, which does not exist`,
    );
  }
}

export function applyPlanInMemory(snapshot: Snapshot, plan: Pick<Plan, 'steps'>): Snapshot {
  const entities: Partial<Record<EntityKind, EntityMap>> = {};
  for (const kind of Object.keys(snapshot.entities) as EntityKind[]) {
    entities[kind] = { ...snapshot.entities[kind] };
  }
  const mapOf = (kind: EntityKind): EntityMap => {
    let map = entities[kind];
    if (!map) {
      map = {};
      entities[kind] = map;
    }
    return map;
  };
  const index = ReferenceIndex.of(entities);

  plan.steps.forEach((step, i) => {
    const map = mapOf(step.kind);
    const existing = map[step.id];
    if (step.op === 'delete') {
      // Kong answers 204 to a DELETE of a missing entity: deletes are idempotent
      if (!existing) return;
      index.remove(step.kind, existing);
      delete map[step.id];
      const [referrer] = index.referrers(step.kind, step.id);
      if (referrer) {
        throw new ForeignKeyViolationError(i, step, referrer.kind, referrer.id, referrer.field, {
          kind: step.kind,
          id: step.id,
        });
      }
      return;
    }
    if (!step.body) throw new TypeError(`step ${i + 1} (${step.op} ${step.kind} ${step.id}) has no body`);
    const body: Entity = step.body.id === step.id ? step.body : { ...step.body, id: step.id };
    for (const ref of referencesOf(step.kind, body)) {
      const self = ref.kind === step.kind && ref.id === step.id;
      if (!self && !entities[ref.kind]?.[ref.id]) {
        throw new ForeignKeyViolationError(i, step, step.kind, step.id, ref.field, {
          kind: ref.kind,
          id: ref.id,
        });
      }
    }
    if (existing) index.remove(step.kind, existing);
    map[step.id] = body;
    index.add(step.kind, body);
  });
  return buildSnapshot(snapshot.meta, entities);
}
