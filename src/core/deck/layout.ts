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

  /** The items nested in `slot` by parent id (look-ups per parent skip rebuilding the slot name). */
  slot(slot: string): ReadonlyMap<string, Doc[]> {
    return this.nested.get(slot) ?? EMPTY;
  }
}

const EMPTY: ReadonlyMap<string, Doc[]> = new Map();

/**
 * The document's top level: keys in code-unit order, absent values and empty lists left out. The lists
 * hold finished file entities (sorted, no `undefined` inside: see export.ts fileDoc), so this is shallow.
 */
export function pruneDoc(doc: Doc): Doc {
  const out: Doc = {};
  for (const key of Object.keys(doc).sort()) {
    const v = doc[key];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[key] = v;
  }
  return out;
}
