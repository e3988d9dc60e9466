/**
 * Second pass of an import: walk the kinds top-down (parents before children, catalogue levels), turn
 * every reference into the parent's id, complete the entity with Kong's defaults, give it an id (the
 * file's, or one derived from its natural key) and index it so later kinds can reference it by id or
 * by name. Dangling references, duplicate ids and duplicate names are refused here.
 */
import { CATALOGUE, type Entity, type EntityKind, KINDS_TOP_DOWN, memberId } from '../catalogue/index.ts';
import type { UnkeyedIds } from '../natural-keys.ts';
import type { EntityMap } from '../snapshot.ts';
import type { RawEntity, RawRef } from './collect.ts';
import { cloneJson, completeEntity, expandServiceUrl, type FileDefaults, isPlainObject } from './defaults.ts';
import { deriveId } from './ids.ts';
import { naturalIdParts } from './natural-keys.ts';
import type { ParsedSource } from './source.ts';

export interface ResolveOptions {
  fileDefaults: FileDefaults;
  /** `_info.select_tags`: decK adds them to every entity of the file. */
  selectTags: string[];
  /** `_plugin_configs`: shared plugin configs named by `plugins[]._config`. */
  pluginConfigs: Record<string, unknown>;
}

/** Fields other entities use to reference an entity of this kind by name (besides its id). */
const NAME_FIELDS: Partial<Record<EntityKind, readonly string[]>> = {
  services: ['name'],
  routes: ['name'],
  consumers: ['username', 'custom_id'],
  consumer_groups: ['name'],
  upstreams: ['name'],
  key_sets: ['name'],
  keys: ['name'],
  snis: ['name'],
  vaults: ['prefix'],
};

interface KindIndex {
  byId: Map<string, { entity: Entity; raw: RawEntity }>;
  byName: Map<string, Entity>;
  /** `field NUL value` of every name seen: names are unique in Kong (409 on a second one). */
  uniqueNames: Set<string>;
}

export interface ResolvedEntities {
  entities: Partial<Record<EntityKind, EntityMap>>;
  /** per kind, the ids derived here because the file gave none (natural-key matching may replace them). */
  unkeyed: UnkeyedIds;
}

export function resolveEntities(
  raws: RawEntity[],
  src: ParsedSource,
  opts: ResolveOptions,
): ResolvedEntities {
  const index = new Map<EntityKind, KindIndex>();
  const out: Partial<Record<EntityKind, EntityMap>> = {};
  const unkeyed: Partial<Record<EntityKind, Set<string>>> = {};
  const fallbackSeen = new Map<string, number>();

  const indexOf = (kind: EntityKind): KindIndex => {
    let idx = index.get(kind);
    if (!idx) {
      idx = { byId: new Map(), byName: new Map(), uniqueNames: new Set() };
      index.set(kind, idx);
    }
    return idx;
  };

  function resolveRef(from: RawEntity, field: string, target: EntityKind, ref: RawRef): string {
    const idx = indexOf(target);
    const v = ref.value;
    let byId: string | undefined;
    let byName: string | undefined;
    if (typeof v === 'string' && v !== '') {
      byId = v;
      byName = v;
    } else if (isPlainObject(v)) {
      if (typeof v.id === 'string') byId = v.id;
      else {
        const named = v.name ?? v.username ?? v.custom_id;
        if (typeof named === 'string') byName = named;
      }
    }
    if (byId === undefined && byName === undefined) {
      src.fail(
        `${field} of a ${from.kind} entry must be an id or a name, or { id: … } / { name: … }`,
        ref.path,
      );
    }
    const hit =
      (byId !== undefined ? idx.byId.get(byId)?.entity : undefined) ??
      (byName !== undefined ? idx.byName.get(byName) : undefined);
    if (!hit) {
      src.fail(
        `dangling reference: ${field} "${byId ?? byName}" of a ${from.kind} entry names no ${target} in the file`,
        ref.path,
      );
    }
    return hit.id;
  }

  const byKind = new Map<EntityKind, RawEntity[]>();
  for (const raw of raws) {
    const list = byKind.get(raw.kind);
    if (list) list.push(raw);
    else byKind.set(raw.kind, [raw]);
  }

  for (const kind of KINDS_TOP_DOWN) {
    const def = CATALOGUE[kind];
    const ofKind = byKind.get(kind) ?? [];
    // explicit SNIs first, so a name listed in `certificates[].snis` does not shadow a full entry
    if (kind === 'snis') ofKind.sort((a, b) => Number(a.impliedSni ?? false) - Number(b.impliedSni ?? false));
    const idx = indexOf(kind);
    const map: EntityMap = {};

    for (const raw of ofKind) {
      // the collector's body is already a copy of the file's fields, used by nothing else: completed in place
      const entity = raw.body;
      for (const fk of def.foreignKeys) {
        const ref = raw.refs[fk.field];
        const parentId = raw.parent?.field === fk.field ? raw.parent.entity.id : undefined;
        if (fk.array) {
          if (ref === undefined) continue;
          if (!Array.isArray(ref.value)) src.fail(`${fk.field} must be a list of ids`, ref.path);
          entity[fk.field] = ref.value.map((item, i) =>
            resolveRef(raw, fk.field, fk.references, { value: item, path: [...ref.path, i] }),
          );
          continue;
        }
        const refId = ref !== undefined ? resolveRef(raw, fk.field, fk.references, ref) : undefined;
        if (parentId !== undefined && refId !== undefined && refId !== parentId) {
          src.fail(
            `${fk.field} conflicts with the ${fk.references} entry this ${kind} is nested under`,
            ref!.path,
          );
        }
        const id = parentId ?? refId;
        if (id !== undefined) entity[fk.field] = { id };
        else if (fk.required) {
          src.fail(`a ${kind} entry needs a ${fk.field} (nest it under one or name one)`, raw.path);
        }
      }
      if (raw.impliedSni && idx.byName.has(String(entity.name))) continue;
      prepare(kind, entity, raw, src, opts);

      const explicitId = entity.id;
      if (explicitId !== undefined && (typeof explicitId !== 'string' || explicitId === '')) {
        src.fail('id must be a non-empty string', [...raw.path, 'id']);
      }
      let id: string;
      if (kind === 'consumer_group_members') {
        id = memberId((entity.consumer_group as { id: string }).id, (entity.consumer as { id: string }).id);
        if (map[id]) continue; // membership declared from both sides: one member
      } else if (typeof explicitId === 'string') {
        id = explicitId;
      } else {
        const parts = naturalIdParts(kind, entity);
        const key = `${kind}\u0000${parts.join('\u0000')}`;
        const seen = fallbackSeen.get(key) ?? 0;
        fallbackSeen.set(key, seen + 1);
        id = deriveId(kind, seen === 0 ? parts : [...parts, String(seen)]);
        unkeyed[kind] ??= new Set();
        unkeyed[kind].add(id);
      }
      const clash = idx.byId.get(id);
      if (clash) {
        src.fail(`duplicate id ${id}: also used by the ${kind} entry at ${pathText(clash.raw)}`, raw.path);
      }
      // the entity is this pass's own copy: set the id in place (same key order as a `{ ...entity, id }`
      // copy — an existing id keeps its place, a new one goes last — without copying 146k entities)
      entity.id = id;
      const final = entity as Entity;
      for (const field of NAME_FIELDS[kind] ?? []) {
        const name = final[field];
        if (typeof name !== 'string') continue;
        const unique = `${field}\u0000${name}`;
        if (idx.uniqueNames.has(unique)) {
          src.fail(`duplicate ${kind} ${field} "${name}": it must be unique`, [...raw.path, field]);
        }
        idx.uniqueNames.add(unique);
        if (!idx.byName.has(name)) idx.byName.set(name, final);
      }
      idx.byId.set(id, { entity: final, raw });
      raw.id = id;
      map[id] = final;
    }
    if (Object.keys(map).length > 0) out[kind] = map;
  }
  return { entities: out, unkeyed };
}

function pathText(raw: RawEntity): string {
  return raw.path
    .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
}

/** Per-kind completion before the id is fixed (targets are normalized first so ids match Kong's). */
function prepare(
  kind: EntityKind,
  entity: Record<string, unknown>,
  raw: RawEntity,
  src: ParsedSource,
  opts: ResolveOptions,
): void {
  if (kind === 'services') {
    const problem = expandServiceUrl(entity);
    if (problem) src.fail(problem, [...raw.path, 'url']);
  }
  if (kind === 'plugins' && entity._config !== undefined) {
    const name = entity._config;
    const shared = typeof name === 'string' ? opts.pluginConfigs[name] : undefined;
    if (!isPlainObject(shared)) {
      src.fail(`_config "${String(name)}" names no entry of _plugin_configs`, [...raw.path, '_config']);
    }
    const own = isPlainObject(entity.config) ? entity.config : {};
    entity.config = { ...cloneJson(shared), ...own };
    delete entity._config;
  }
  if (opts.selectTags.length > 0 && kind !== 'consumer_group_members') {
    const tags = Array.isArray(entity.tags) ? [...(entity.tags as unknown[])] : [];
    for (const t of opts.selectTags) if (!tags.includes(t)) tags.push(t);
    entity.tags = tags;
  }
  completeEntity(kind, entity as Entity, opts.fileDefaults);
}
