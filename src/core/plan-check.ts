/**
 * The refusal rule: a plan must never leave a dangling reference. The planner simulates the gateway the
 * plan would produce (current minus deletes plus upserts) and checks (1) every upserted entity's foreign
 * keys and (2) every surviving entity that points at something the plan deletes. Kong itself would refuse
 * (1) with a 400 and, for cascading FKs, would silently delete the children in (2) — the restore must not
 * rely on either, so the plan is refused with a message naming the section to add.
 */
import { ALL_SECTIONS, CATALOGUE, type Entity, type EntityKind, type Section } from './catalogue/index.ts';
import { describeEntity, KIND_NOUN, labelOf } from './describe.ts';
import type { PlanRefusal } from './model.ts';
import { type KindIdMap, referencesOf } from './references.ts';
import type { Snapshot } from './snapshot.ts';

export interface PlannedState {
  current: Snapshot;
  target: Snapshot;
  only: readonly Section[] | null;
  /** gone after the plan (deleted, or predeleted and not re-upserted). */
  deleted: KindIdMap<true>;
  /** the bodies written. */
  upserts: KindIdMap<{ kind: EntityKind; body?: Entity }>;
}

function suggestion(only: readonly Section[] | null, add: Section): string {
  if (!only) return '';
  const wanted = new Set<Section>([...only, add]);
  return `; add --only ${ALL_SECTIONS.filter((s) => wanted.has(s)).join(',')}`;
}

export function danglingReferences(state: PlannedState): PlanRefusal[] {
  const { current, target, only, deleted, upserts } = state;
  const exists = (kind: EntityKind, id: string) => {
    return upserts.has(kind, id) || (current.entities[kind]?.[id] !== undefined && !deleted.has(kind, id));
  };
  const scope = only ? `restoring only ${only.join(', ')}` : 'this restore';
  const refusals = new Map<string, PlanRefusal>();
  const refuse = (r: PlanRefusal) =>
    refusals.set(`${r.kind}\u0000${r.id}\u0000${r.field}\u0000${r.references.id}`, r);

  for (const { kind, body } of upserts.values()) {
    if (!body) continue;
    for (const ref of referencesOf(kind, body)) {
      if (exists(ref.kind, ref.id)) continue;
      const child = `${KIND_NOUN[kind]} ${describeEntity(target, kind, body)}`;
      const inBackup = target.entities[ref.kind]?.[ref.id] !== undefined;
      const parent = `${KIND_NOUN[ref.kind]} ${labelOf(target, ref.kind, ref.id)}`;
      const message = inBackup
        ? `${scope} would leave ${child} pointing at ${parent}, which does not exist on the gateway` +
          suggestion(only, CATALOGUE[ref.kind].section)
        : `the backup has ${child} pointing at ${parent}, which the backup does not contain`;
      refuse({
        code: 'dangling-reference',
        kind,
        id: body.id,
        name: child,
        field: ref.field,
        references: ref,
        message,
      });
    }
  }

  const deletedKinds = new Set<EntityKind>(deleted.kinds());
  for (const kind of Object.keys(CATALOGUE) as EntityKind[]) {
    if (!CATALOGUE[kind].foreignKeys.some((fk) => deletedKinds.has(fk.references))) continue;
    for (const e of Object.values(current.entities[kind] ?? {})) {
      if (deleted.has(kind, e.id) || upserts.has(kind, e.id)) continue;
      for (const ref of referencesOf(kind, e)) {
        if (!deleted.has(ref.kind, ref.id)) continue;
        const child = `${KIND_NOUN[kind]} ${describeEntity(current, kind, e)}`;
        const parent = `${KIND_NOUN[ref.kind]} ${labelOf(current, ref.kind, ref.id)}`;
        const message =
          `${scope} would leave ${child} pointing at ${parent}, which the restore deletes` +
          suggestion(only, CATALOGUE[kind].section);
        refuse({
          code: 'dangling-reference',
          kind,
          id: e.id,
          name: child,
          field: ref.field,
          references: ref,
          message,
        });
      }
    }
  }
  return [...refusals.values()]
    .map(({ references, ...r }) => ({ ...r, references: { kind: references.kind, id: references.id } }))
    .sort((a, b) => cmp(a.kind, b.kind) || cmp(a.id, b.id) || cmp(a.field, b.field));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
