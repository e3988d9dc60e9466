/**
 * Where each entity goes in an exported decK file: under its parent (by the parent's id and the slot
 * name, e.g. `services.routes`) or at the top level when it has no single parent in the snapshot.
 */
export type Doc = Record<string, unknown>;

export class Layout {
  private readonly nested = new Map<string, Map<string, Doc[]>>();
  readonly topLevel = new Map<string, Doc[]>();

  nest(slot: string, parentId: string, item: Doc): void {
    let byParent = this.nested.get(slot);
    if (!byParent) {
      byParent = new Map();
      this.nested.set(slot, byParent);
    }
    const list = byParent.get(parentId);
    if (list) list.push(item);
    else byParent.set(parentId, [item]);
  }

  top(key: string, item: Doc): void {
    const list = this.topLevel.get(key);
    if (list) list.push(item);
    else this.topLevel.set(key, [item]);
  }

  /** The items nested in `slot` under `parentId`, or undefined (so the key is left out). */
  children(slot: string, parentId: string): Doc[] | undefined {
    return this.nested.get(slot)?.get(parentId);
  }
}

/**
 * Drop undefined values (absent children) at every level, and empty lists at the top level only: an
 * empty array inside an entity (`tags: []`, `config.allow: []`) is content and stays.
 */
export function pruneDoc(doc: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(doc)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = dropUndefined(v);
  }
  return out;
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (typeof value !== 'object' || value === null) return value;
  const out: Doc = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = dropUndefined(v);
  return out;
}
