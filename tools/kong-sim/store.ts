import type { SchemaRegistry } from './schema/index.ts';
import type { Entity, EntitySchema } from './schema/types.ts';
import { isObject } from './validate.ts';

/**
 * In-memory tables, one per entity kind, with the indexes Kong's database gives it: unique fields,
 * cache keys, and per-parent child sets for every foreign key, so lookups, FK checks and cascades never
 * scan a table. List order is primary-key order (Postgres pages by id); the sorted id list is rebuilt
 * lazily after writes, so a dump after a bulk load sorts once.
 */

type Row = Record<string, unknown>;

const fkId = (v: unknown): string | undefined => (isObject(v) && typeof v.id === 'string' ? v.id : undefined);

export class KindTable {
  readonly rows = new Map<string, Entity>();
  private readonly unique = new Map<string, Map<string, string>>();
  private readonly cacheKeys = new Map<string, string>();
  private readonly byParent = new Map<string, Map<string, Set<string>>>();
  private sorted: string[] | null = null;
  private readonly uniqueFields: string[];
  private readonly fkFields: string[];

  constructor(readonly schema: EntitySchema) {
    this.uniqueFields = Object.entries(schema.fields)
      .filter(([, d]) => d.unique)
      .map(([n]) => n);
    this.fkFields = Object.entries(schema.fields)
      .filter(([, d]) => d.type === 'foreign')
      .map(([n]) => n);
    for (const f of this.uniqueFields) this.unique.set(f, new Map());
    for (const f of this.fkFields) this.byParent.set(f, new Map());
  }

  get size(): number {
    return this.rows.size;
  }

  /** Cache key as Kong builds it: FK fields by id, unset parts empty. Null when the kind has none. */
  cacheKeyOf(e: Row): string | null {
    const ck = this.schema.cacheKey;
    if (!ck || ck.length < 2) return null;
    return ck
      .map((f) => {
        const v = e[f];
        if (v === null || v === undefined) return '';
        return isObject(v) ? String(v.id ?? '') : String(v);
      })
      .join('\u0000');
  }

  private uniqueValue(field: string, v: unknown): string | undefined {
    if (v === null || v === undefined) return undefined;
    return this.schema.fields[field]?.type === 'foreign' ? fkId(v) : String(v);
  }

  findUnique(field: string, value: unknown): Entity | undefined {
    const key = this.uniqueValue(field, value);
    const id = key === undefined ? undefined : this.unique.get(field)?.get(key);
    return id === undefined ? undefined : this.rows.get(id);
  }

  findByCacheKey(e: Row): Entity | undefined {
    const ck = this.cacheKeyOf(e);
    const id = ck === null ? undefined : this.cacheKeys.get(ck);
    return id === undefined ? undefined : this.rows.get(id);
  }

  children(field: string, parentId: string): ReadonlySet<string> {
    return this.byParent.get(field)?.get(parentId) ?? EMPTY;
  }

  put(e: Entity): void {
    const old = this.rows.get(e.id);
    if (old) this.unindex(old);
    else this.sorted = null;
    this.rows.set(e.id, e);
    this.index(e);
  }

  delete(id: string): Entity | undefined {
    const old = this.rows.get(id);
    if (!old) return undefined;
    this.unindex(old);
    this.rows.delete(id);
    this.sorted = null;
    return old;
  }

  sortedIds(): string[] {
    if (!this.sorted) this.sorted = [...this.rows.keys()].sort();
    return this.sorted;
  }

  private index(e: Entity): void {
    for (const f of this.uniqueFields) {
      const v = this.uniqueValue(f, e[f]);
      if (v !== undefined) this.unique.get(f)!.set(v, e.id);
    }
    const ck = this.cacheKeyOf(e);
    if (ck !== null) this.cacheKeys.set(ck, e.id);
    for (const f of this.fkFields) {
      const parent = fkId(e[f]);
      if (!parent) continue;
      const m = this.byParent.get(f)!;
      let set = m.get(parent);
      if (!set) {
        set = new Set();
        m.set(parent, set);
      }
      set.add(e.id);
    }
  }

  private unindex(e: Entity): void {
    for (const f of this.uniqueFields) {
      const v = this.uniqueValue(f, e[f]);
      if (v !== undefined && this.unique.get(f)!.get(v) === e.id) this.unique.get(f)!.delete(v);
    }
    const ck = this.cacheKeyOf(e);
    if (ck !== null && this.cacheKeys.get(ck) === e.id) this.cacheKeys.delete(ck);
    for (const f of this.fkFields) {
      const parent = fkId(e[f]);
      if (parent) this.byParent.get(f)!.get(parent)?.delete(e.id);
    }
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/** Where CA certificates are referenced: services.ca_certificates and plugin config.ca_certificates. */
function caRefsOf(kind: string, e: Row): string[] {
  if (kind === 'services' && Array.isArray(e.ca_certificates)) return e.ca_certificates as string[];
  if (kind === 'plugins' && isObject(e.config) && Array.isArray(e.config.ca_certificates))
    return e.config.ca_certificates as string[];
  return [];
}

export class Store {
  private readonly tables = new Map<string, KindTable>();
  /**
   * Enterprise workspaces share one database: every workspace's rows live in the same tables, whose
   * primary key is `id` alone (kong/db/schema/entities/*.lua `primary_key = { "id" }`, `ws_id` a plain
   * column), so an id taken in one workspace cannot be written in another. A simulator with several
   * workspaces gives each its own Store and one shared owner map.
   */
  private owners: Map<string, Store> | undefined;

  /** Joins a set of workspace stores sharing one id space (this store's rows are registered). */
  shareIds(owners: Map<string, Store>): void {
    this.owners = owners;
    for (const t of this.tables.values()) for (const id of t.rows.keys()) owners.set(id, this);
  }

  /** True when `id` is held by another workspace's store. */
  idTakenElsewhere(id: string): boolean {
    const owner = this.owners?.get(id);
    return owner !== undefined && owner !== this;
  }
  /** caId → set of `kind\u0000id` holding it (kong/db/dao/ca_certificates.lua check_ca_reference). */
  private readonly caRefs = new Map<string, Set<string>>();

  constructor(readonly registry: SchemaRegistry) {
    for (const s of registry.list) this.tables.set(s.name, new KindTable(s));
  }

  table(kind: string): KindTable {
    const t = this.tables.get(kind);
    if (!t) throw new Error(`unknown entity kind ${kind}`);
    return t;
  }

  get(kind: string, id: string): Entity | undefined {
    return this.tables.get(kind)?.rows.get(id);
  }

  put(kind: string, e: Entity): void {
    const t = this.table(kind);
    const old = t.rows.get(e.id);
    if (old) this.trackCa(kind, old, false);
    t.put(e);
    this.owners?.set(e.id, this);
    this.trackCa(kind, e, true);
  }

  delete(kind: string, id: string): Entity | undefined {
    const old = this.table(kind).delete(id);
    if (old) this.trackCa(kind, old, false);
    if (old && this.owners?.get(id) === this) this.owners.delete(id);
    // consumer-group memberships go with either side (Enterprise consumer_group_consumers cascade)
    if (kind === 'consumer_groups') {
      for (const c of this.members.get(id) ?? []) this.groupsOf.get(c)?.delete(id);
      this.members.delete(id);
    } else if (kind === 'consumers') {
      for (const g of this.groupsOf.get(id) ?? []) this.members.get(g)?.delete(id);
      this.groupsOf.delete(id);
    }
    return old;
  }

  /** Enterprise consumer-group membership: group id → consumer ids, and the reverse index. */
  readonly members = new Map<string, Set<string>>();
  private readonly groupsOf = new Map<string, Set<string>>();

  addMember(groupId: string, consumerId: string): boolean {
    let set = this.members.get(groupId);
    if (!set) {
      set = new Set();
      this.members.set(groupId, set);
    }
    if (set.has(consumerId)) return false;
    set.add(consumerId);
    let rev = this.groupsOf.get(consumerId);
    if (!rev) {
      rev = new Set();
      this.groupsOf.set(consumerId, rev);
    }
    rev.add(groupId);
    return true;
  }

  removeMember(groupId: string, consumerId: string): boolean {
    this.groupsOf.get(consumerId)?.delete(groupId);
    return this.members.get(groupId)?.delete(consumerId) ?? false;
  }

  memberCount(): number {
    let n = 0;
    for (const s of this.members.values()) n += s.size;
    return n;
  }

  /** The first entity still referencing a CA certificate, as `[kind, id]`. */
  caReference(caId: string): [string, string] | undefined {
    const first = this.caRefs.get(caId)?.values().next();
    if (!first || first.done) return undefined;
    const [kind, id] = first.value.split('\u0000');
    return [kind!, id!];
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, t] of this.tables) out[k] = t.size;
    return out;
  }

  total(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.size;
    return n;
  }

  private trackCa(kind: string, e: Row, add: boolean): void {
    for (const ca of caRefsOf(kind, e)) {
      const key = `${kind}\u0000${String(e.id)}`;
      let set = this.caRefs.get(ca);
      if (add) {
        if (!set) {
          set = new Set();
          this.caRefs.set(ca, set);
        }
        set.add(key);
      } else {
        set?.delete(key);
        if (set && set.size === 0) this.caRefs.delete(ca);
      }
    }
  }
}
