/**
 * First pass of an import: walk the parsed file, check every key against the decK shapes, and collect
 * one raw entity per mapping with its references still as written (ids or names). Nesting decides the
 * parent: a route under a service belongs to it, a plugin under a route is scoped to it, and so on
 * (go-database-reconciler pkg/file/builder.go). Resolution happens in `resolve.ts`.
 */
import type { EntityKind, KongKind } from '../catalogue/index.ts';
import { isPlainObject } from './defaults.ts';
import type { DocPath } from './errors.ts';
import { type ChildSlot, IGNORED_FIELDS, SHAPES } from './shapes.ts';
import type { ParsedSource } from './source.ts';

export interface RawRef {
  value: unknown;
  path: DocPath;
}

export interface RawEntity {
  kind: EntityKind;
  path: DocPath;
  /** own fields as written, nulls and server-managed fields dropped. */
  body: Record<string, unknown>;
  refs: Record<string, RawRef>;
  /** set for nested entities: the foreign-key field that points at the enclosing entity. */
  parent?: { field: string; entity: RawEntity };
  /** SNIs listed by name only in `certificates[].snis`: created unless declared elsewhere. */
  impliedSni?: boolean;
  /** resolved id, set by the resolver. */
  id?: string;
}

/** Special nested arrays that hold references, not entities: group membership from either side. */
const MEMBER_SLOTS: Partial<Record<EntityKind, { key: string; parentField: string; otherField: string }>> = {
  consumers: { key: 'groups', parentField: 'consumer', otherField: 'consumer_group' },
  consumer_groups: { key: 'consumers', parentField: 'consumer_group', otherField: 'consumer' },
};

/** SHAPES as sets and a map by child key: checked for every key of every entry of the file. */
interface ShapeIndex {
  fields: ReadonlySet<string>;
  refs: ReadonlySet<string>;
  children: ReadonlyMap<string, ChildSlot>;
}

const SHAPE_INDEX = new Map<EntityKind, ShapeIndex>(
  (Object.keys(SHAPES) as KongKind[]).map((kind) => {
    const shape = SHAPES[kind];
    return [
      kind,
      {
        fields: new Set(shape.fields),
        refs: new Set(shape.refs),
        // first slot wins, as `children.find` would pick it
        children: new Map([...shape.children].reverse().map((c) => [c.key, c])),
      },
    ];
  }),
);
const IGNORED = new Set(IGNORED_FIELDS);

export class Collector {
  readonly entities: RawEntity[] = [];

  constructor(private readonly src: ParsedSource) {}

  /** A top-level or nested array of `kind` entities. */
  collectArray(kind: EntityKind, value: unknown, path: DocPath, parent?: RawEntity, slot?: ChildSlot): void {
    if (!Array.isArray(value)) this.src.fail(`${String(path.at(-1))} must be a list`, path);
    value.forEach((item, i) => {
      const itemPath = [...path, i];
      if (kind === 'snis' && parent && typeof item === 'string') {
        const raw: RawEntity = { kind, path: itemPath, body: { name: item }, refs: {}, impliedSni: true };
        raw.parent = { field: 'certificate', entity: parent };
        this.entities.push(raw);
        return;
      }
      this.collectEntity(
        kind,
        item,
        itemPath,
        parent && slot ? { field: slot.parentField, entity: parent } : undefined,
      );
    });
  }

  private collectEntity(kind: EntityKind, value: unknown, path: DocPath, parent: RawEntity['parent']): void {
    if (!isPlainObject(value)) this.src.fail(`each ${kind} entry must be a mapping`, path);
    const shape = SHAPE_INDEX.get(kind) as ShapeIndex;
    const raw: RawEntity = { kind, path, body: {}, refs: {}, ...(parent ? { parent } : {}) };
    this.entities.push(raw);
    const members = MEMBER_SLOTS[kind];
    for (const key in value) {
      const v = value[key];
      if (v === null || IGNORED.has(key)) continue;
      // plain fields first and without a path: they are most keys of most entities
      if (shape.fields.has(key)) {
        raw.body[key] = v;
        continue;
      }
      const at = [...path, key];
      const child = shape.children.get(key);
      if (child) this.collectArray(child.kind, v, at, raw, child);
      else if (members && key === members.key) this.collectMembers(raw, members, v, at);
      else if (shape.refs.has(key)) raw.refs[key] = { value: v, path: at };
      else this.src.fail(`unknown key "${key}" in ${kind} entry`, at, { key: true });
    }
  }

  /** `consumers[].groups[]` or `consumer_groups[].consumers[]`: each item names the other side. */
  private collectMembers(
    owner: RawEntity,
    slot: { parentField: string; otherField: string },
    value: unknown,
    path: DocPath,
  ): void {
    if (!Array.isArray(value)) this.src.fail(`${String(path.at(-1))} must be a list`, path);
    value.forEach((item, i) => {
      const itemPath = [...path, i];
      if (isPlainObject(item)) {
        const allowed =
          slot.otherField === 'consumer' ? ['id', 'username', 'custom_id', 'tags'] : ['id', 'name', 'tags'];
        for (const key of Object.keys(item)) {
          if (!allowed.includes(key) && !IGNORED_FIELDS.includes(key)) {
            this.src.fail(`unknown key "${key}" in a ${slot.otherField} reference`, [...itemPath, key], {
              key: true,
            });
          }
        }
      }
      this.entities.push({
        kind: 'consumer_group_members',
        path: itemPath,
        body: {},
        refs: { [slot.otherField]: { value: item, path: itemPath } },
        parent: { field: slot.parentField, entity: owner },
      });
    });
  }
}
