/**
 * Predeletes: what must go before the upserts. Rename holders (plan-renames.ts) are deleted with their
 * transitive dependents in scope, children first, never by cascade; whatever of them the target still
 * has is re-created in the upsert phase. A dependent outside the `only` scope cannot be touched, and a
 * rename under `noDeletes` cannot be resolved: both become refusals, explained here.
 */
import { ALL_SECTIONS, CATALOGUE, type Entity, type EntityKind, type Section } from './catalogue/index.ts';
import { describeEntity, KIND_NOUN, labelOf } from './describe.ts';
import type { PlanRefusal } from './model.ts';
import type { RenameConflict } from './plan-renames.ts';
import { KindIdMap, ReferenceIndex, type Referrer } from './references.ts';
import type { Snapshot } from './snapshot.ts';

export interface Predelete {
  kind: EntityKind;
  id: string;
  reason: 'rename' | 'dependent';
}

export interface Stranded {
  child: Referrer;
  parent: Predelete;
}

/**
 * Rename holders plus their transitive dependents within scope. Dependents outside the scope are
 * `stranded`: Kong would cascade-delete them or refuse the delete, even if the parent is re-created.
 */
export function predeletesFor(current: Snapshot, renames: RenameConflict[], kinds: readonly EntityKind[]) {
  const out = new KindIdMap<Predelete>();
  const stranded: Stranded[] = [];
  for (const r of renames) {
    out.set(r.kind, r.currentId, { kind: r.kind, id: r.currentId, reason: 'rename' });
  }
  if (renames.length === 0) return { predeleted: out, stranded };
  const index = ReferenceIndex.of(current.entities);
  const inScope = new Set(kinds);
  const stack = [...out.values()];
  while (stack.length > 0) {
    const parent = stack.pop() as Predelete;
    for (const child of index.referrers(parent.kind, parent.id)) {
      if (!inScope.has(child.kind)) stranded.push({ child, parent });
      if (!inScope.has(child.kind) || out.has(child.kind, child.id)) continue;
      const dependent: Predelete = { kind: child.kind, id: child.id, reason: 'dependent' };
      out.set(child.kind, child.id, dependent);
      stack.push(dependent);
    }
  }
  return { predeleted: out, stranded };
}

export function strandedRefusal(
  current: Snapshot,
  only: readonly Section[] | null,
  s: Stranded,
): PlanRefusal {
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
      ALL_SECTIONS.filter((x) => wanted.has(x)).join(','),
  };
}

export function uniqueConflict(current: Snapshot, target: Snapshot, r: RenameConflict): PlanRefusal {
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
