/**
 * Snapshot → the artifact's plaintext, as Buffer chunks, hashed:
 *
 *   {"entities":{<kind>:[<entity>,…],…},"meta":<canonical meta>}      (format version 2)
 *
 * Kinds are in sorted order and each kind's entities in id order (ids unique), so the same configuration
 * always gives the same bytes (and the same content hash); entities are the native `JSON.stringify` of
 * the objects as the dump built them, a page or chunk at a time. (Format version 1 wrote each kind as an
 * object keyed by id; read.ts reads both. Arrays let one stringify call serialize a whole page.) Entities
 * are not canonicalised key by key: for a 146k-entity gateway that took ~1.1 s against ~0.3 s native, and
 * it bought nothing — readers parse JSON, and the dump's key order is the Admin API's, which is stable for
 * a Kong version. (The same content in another key order would hash differently and get its own
 * artifact: the safe direction.) The writer streams the chunks through compression and encryption
 * without one giant string; the hashes are ready before the header, which carries them, is written.
 *
 * Two producers of the same bytes: `serializeSnapshot` (a Snapshot in memory) and `StreamingSerializer`
 * (the backup job's dump, page by page, without ever holding the entities as objects).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical.ts';
import type { Entity, EntityKind } from '../core/catalogue/index.ts';
import { serverFieldsOf } from '../core/normalize.ts';
import type { Snapshot, SnapshotMeta, SnapshotSink } from '../core/snapshot.ts';
import { blocksOf, compressBlock, compressBlockNow } from './data-stream.ts';

export interface SerializedSnapshot {
  /** the snapshot's metadata, written last in the plaintext */
  meta: SnapshotMeta;
  chunks: Buffer[];
  /** sha256 (hex) of the concatenated chunks. */
  sha256: string;
  /**
   * sha256 (hex) of the entities part (`{<kind>:[…],…}`, the bytes between `{"entities":` and
   * `,"meta":`): the configuration without `meta` (whose takenAt differs on every backup), so two backups
   * of an unchanged gateway have the same value.
   */
  contentSha256: string;
  bytes: number;
  /**
   * The chunks as `brotli-blocks` blocks, one per chunk, compressed ahead in plaintext order by
   * `compressBlock` — which also proves each decompresses to its chunk, so the writer does not do it
   * again (StreamingSerializer starts each kind's blocks as the kind completes); absent when the writer
   * compresses itself.
   */
  blocks?: Promise<Buffer[]>;
}

const ENTITIES_PER_CHUNK = 2000;

type KindMap = Record<string, unknown>;

/** JSON of the items, without the brackets: one native stringify for a whole page or chunk. */
function arrayItems(items: readonly unknown[]): string {
  const json = JSON.stringify(items);
  return json.slice(1, -1);
}

/** `"<kind>":[<entity>,…]` with entities in id order, as strings of up to ENTITIES_PER_CHUNK entities. */
function kindStrings(kind: string, map: KindMap): string[] {
  const ids = Object.keys(map)
    .filter((id) => map[id] !== undefined && typeof map[id] !== 'function')
    .sort();
  const out: string[] = [];
  for (let i = 0; i < ids.length || i === 0; i += ENTITIES_PER_CHUNK) {
    const items = arrayItems(ids.slice(i, i + ENTITIES_PER_CHUNK).map((id) => map[id]));
    out.push(`${i === 0 ? `${JSON.stringify(kind)}:[` : ','}${items}`);
  }
  out[out.length - 1] += ']';
  return out;
}

function presentKinds(entities: Snapshot['entities']): [string, KindMap][] {
  const byKind = entities as Record<string, KindMap | undefined>;
  return Object.keys(byKind)
    .sort()
    .flatMap((kind) => (byKind[kind] === undefined ? [] : [[kind, byKind[kind] as KindMap]]));
}

/** The entities part as strings; joined they are one JSON object. */
export function* entityParts(entities: Snapshot['entities']): Generator<string> {
  yield '{';
  let first = true;
  for (const [kind, map] of presentKinds(entities)) {
    if (!first) yield ',';
    first = false;
    yield* kindStrings(kind, map);
  }
  yield '}';
}

/** sha256 of the entities part alone, without keeping the bytes (what `contentSha256` would be). */
export function entitiesSha256(entities: Snapshot['entities']): string {
  const hash = createHash('sha256');
  for (const part of entityParts(entities)) hash.update(part, 'utf8');
  return hash.digest('hex');
}

const COMMA = Buffer.from(',');

/**
 * Builds `{"entities":{<kinds>},"meta":…}` kind by kind, in the order the kinds are given (callers give
 * sorted order), hashing as it goes; with `compress`, also the `brotli-blocks` blocks in the same order.
 */
class PlaintextAssembler {
  readonly #hash = createHash('sha256');
  readonly #contentHash = createHash('sha256');
  readonly #chunks: Buffer[] = [];
  readonly #blocks: (Buffer | Promise<Buffer>)[] | null;
  #bytes = 0;
  #kinds = 0;

  constructor(compress: boolean) {
    this.#blocks = compress ? [] : null;
    this.#push(Buffer.from('{"entities":{'), false);
    this.#contentHash.update('{');
  }

  #push(buf: Buffer, content: boolean, block?: Promise<Buffer>): void {
    this.#hash.update(buf);
    if (content) this.#contentHash.update(buf);
    this.#chunks.push(buf);
    this.#bytes += buf.length;
    this.#blocks?.push(block ?? compressBlockNow(buf));
  }

  /** One kind's `"<kind>":[…]` bytes; `blocks[i]` is `buffers[i]` compressed, when it already is. */
  addKind(buffers: readonly Buffer[], blocks?: readonly Promise<Buffer>[]): void {
    if (this.#kinds++ > 0) this.#push(COMMA, true);
    for (let i = 0; i < buffers.length; i++) this.#push(buffers[i] as Buffer, true, blocks?.[i]);
  }

  finish(meta: SnapshotMeta): SerializedSnapshot {
    this.#push(Buffer.from('}'), true);
    this.#push(Buffer.from(`,"meta":${canonicalJson(meta)}}`), false);
    const out: SerializedSnapshot = {
      meta,
      chunks: this.#chunks,
      sha256: this.#hash.digest('hex'),
      contentSha256: this.#contentHash.digest('hex'),
      bytes: this.#bytes,
    };
    if (this.#blocks) {
      const all = Promise.all(this.#blocks);
      all.catch(() => undefined); // an unchanged backup never writes, so never awaits it
      out.blocks = all;
    }
    return out;
  }
}

export function serializeSnapshot(snapshot: Snapshot): SerializedSnapshot {
  const assembler = new PlaintextAssembler(false);
  for (const [kind, map] of presentKinds(snapshot.entities)) {
    assembler.addKind(kindStrings(kind, map).map((t) => Buffer.from(t, 'utf8')));
  }
  return assembler.finish(snapshot.meta);
}

/** One page of a kind as `<entity>,…` bytes, with its first and last id. */
interface Segment {
  first: string;
  last: string;
  /** ids strictly ascending within the page */
  ascending: boolean;
  count: number;
  buf: Buffer;
}

const byFirstId = (a: Segment, b: Segment) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0);

/** Segments that, in this order, list strictly ascending ids (so no id twice). */
function inOrder(segments: readonly Segment[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as Segment;
    if (!s.ascending) return false;
    if (i > 0 && !((segments[i - 1] as Segment).last < s.first)) return false;
  }
  return true;
}

/**
 * The artifact plaintext written while the dump runs: a SnapshotSink (src/kong `dumpInto`) that turns
 * each page into bytes on arrival (one native JSON.stringify of the page's rows into one Buffer), so the
 * dump keeps ~150 off-heap Buffers instead of 146k entity objects in the heap. Kong lists a
 * collection in primary-key order (and kong-sim does too), so the pages of a kind usually join up as they
 * are; when they do not (targets, listed per upstream; a gateway that orders otherwise; an id seen twice)
 * the kind's pages are parsed back and serialized id by id, as `serializeSnapshot` does. Either way the
 * bytes — and so both hashes — equal `serializeSnapshot` of the snapshot `dumpGateway` would return.
 *
 * Work is done as early as the data allows: a kind's blocks start compressing when it closes, and once
 * the dump has said which kinds to expect (`begin`, `skip`), every kind whose predecessors in sorted order
 * are all settled is hashed at once, so little is left for `finish` when the last kind arrives.
 */
export class StreamingSerializer implements SnapshotSink {
  readonly #open = new Map<string, Segment[]>();
  readonly #closed = new Map<string, Buffer[]>();
  readonly #compressed = new Map<string, Promise<Buffer>[]>();
  #assembler = new PlaintextAssembler(true);
  /** kinds handed to the assembler, in order */
  #added: string[] = [];
  /** how far the walk over `#expected` has got */
  #walked = 0;
  /** the kinds the dump will close or skip, sorted; null until `begin` */
  #expected: string[] | null = null;
  readonly #settled = new Set<string>();

  begin(kinds: readonly EntityKind[]): void {
    this.#expected = [...new Set(kinds)].sort();
    this.#advance();
  }

  skip(kind: EntityKind): void {
    this.#settled.add(kind);
    this.#advance();
  }

  /** Hands every kind whose predecessors (in sorted order) have all settled to the assembler. */
  #advance(): void {
    const expected = this.#expected;
    if (!expected) return;
    for (; this.#walked < expected.length; this.#walked++) {
      const kind = expected[this.#walked] as string;
      if (!this.#settled.has(kind)) return;
      // a skipped kind takes no place in the plaintext
      if (!this.#closed.has(kind)) continue;
      this.#assembler.addKind(this.#closed.get(kind) ?? [], this.#compressed.get(kind));
      this.#added.push(kind);
    }
  }

  add(kind: EntityKind, entities: readonly Entity[]): void {
    let segments = this.#open.get(kind);
    if (!segments) {
      segments = [];
      this.#open.set(kind, segments);
    }
    if (entities.length === 0) return;
    const dropped = serverFieldsOf(kind);
    let ascending = true;
    let prev: string | undefined;
    for (let i = 0; i < entities.length; i++) {
      const e = entities[i] as Record<string, unknown> & Entity;
      // the row is ours (SnapshotSink): blanking beats copying it, and stringify leaves blanks out
      for (const f of dropped) if (e[f] !== undefined) e[f] = undefined;
      if (prev !== undefined && !(prev < e.id)) ascending = false;
      prev = e.id;
    }
    const json = Buffer.from(JSON.stringify(entities), 'utf8');
    segments.push({
      first: (entities[0] as Entity).id,
      last: prev as string,
      ascending,
      count: entities.length,
      buf: json.subarray(1, json.length - 1),
    });
  }

  close(kind: EntityKind): number {
    const segments = this.#open.get(kind) ?? [];
    this.#open.delete(kind);
    let ordered = inOrder(segments) ? segments : null;
    if (!ordered) {
      const sorted = [...segments].sort(byFirstId);
      if (inOrder(sorted)) ordered = sorted;
    }
    if (ordered) {
      const buffers: Buffer[] = [Buffer.from(`${JSON.stringify(kind)}:[`)];
      ordered.forEach((s, i) => {
        if (i > 0) buffers.push(COMMA);
        buffers.push(s.buf);
      });
      buffers.push(Buffer.from(']'));
      this.#keep(kind, buffers);
      return ordered.reduce((n, s) => n + s.count, 0);
    }
    // Parse the pages back in arrival order (a later entity with the same id wins, as in a map).
    const map = new Map<string, unknown>();
    for (const s of segments) {
      for (const e of JSON.parse(`[${s.buf.toString('utf8')}]`) as Entity[]) map.set(e.id, e);
    }
    const byId: KindMap = Object.create(null);
    for (const [id, e] of map) byId[id] = e;
    this.#keep(
      kind,
      kindStrings(kind, byId).map((t) => Buffer.from(t, 'utf8')),
    );
    return map.size;
  }

  /** A complete kind, as `brotli-blocks` blocks whose compression starts now, on the thread pool. */
  #keep(kind: string, buffers: Buffer[]): void {
    const blocks = blocksOf(buffers);
    this.#closed.set(kind, blocks);
    this.#compressed.set(
      kind,
      blocks.map((b) => {
        const p = compressBlock(b);
        p.catch(() => undefined); // awaited through `blocks` when the artifact is written
        return p;
      }),
    );
    this.#settled.add(kind);
    this.#advance();
  }

  /** The plaintext of every closed kind plus `meta` (from `dumpInto`). */
  finish(meta: SnapshotMeta): SerializedSnapshot {
    const kinds = [...this.#closed.keys()].sort();
    let added = this.#added.length;
    if (this.#added.some((k, i) => kinds[i] !== k)) {
      // a kind closed out of turn (not announced by `begin`, or after its skip): start over, in order
      this.#assembler = new PlaintextAssembler(true);
      added = 0;
    }
    for (const kind of kinds.slice(added)) {
      this.#assembler.addKind(this.#closed.get(kind) ?? [], this.#compressed.get(kind));
    }
    const out = this.#assembler.finish(meta);
    this.#closed.clear();
    this.#compressed.clear();
    this.#open.clear();
    return out;
  }
}
