import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Entity,
  type EntityKind,
  type Snapshot,
  type SnapshotMeta,
  stripServerFields,
} from '../../../src/core/index.ts';
import { StreamingSerializer, serializeSnapshot } from '../../../src/storage/index.ts';
import { sampleSnapshot } from './helpers.ts';

type Page = [kind: EntityKind, entities: Entity[]];

/**
 * What dumpGateway's map sink makes of the same pages: server fields stripped, a later entity with a seen
 * id replaces it.
 */
function snapshotOf(meta: SnapshotMeta, pages: Page[], closed: EntityKind[]): Snapshot {
  const entities: Snapshot['entities'] = {};
  for (const kind of closed) entities[kind] = {};
  for (const [kind, list] of pages) {
    const map = entities[kind];
    if (map) for (const e of list) map[e.id] = stripServerFields(kind, e);
  }
  const counts = Object.fromEntries(closed.map((k) => [k, Object.keys(entities[k] ?? {}).length]));
  return { meta: { ...meta, counts }, entities };
}

/**
 * How a dump drives the sink: optionally `begin` with the kinds it announces, pages, then each closed
 * kind closed and each announced-but-not-closed kind skipped, in the order given by `settle`.
 */
interface Drive {
  announce?: EntityKind[];
  settle?: EntityKind[];
}

function stream(meta: SnapshotMeta, pages: Page[], closed: EntityKind[], drive: Drive = {}) {
  const s = new StreamingSerializer();
  if (drive.announce) s.begin(drive.announce);
  for (const [kind, list] of pages) s.add(kind, list);
  const counts: Record<string, number> = {};
  const order = drive.settle ?? [...closed, ...(drive.announce ?? []).filter((k) => !closed.includes(k))];
  for (const k of order) {
    if (closed.includes(k)) counts[k] = s.close(k);
    else s.skip(k);
  }
  for (const k of closed) if (!(k in counts)) counts[k] = s.close(k);
  return { serialized: s.finish({ ...meta, counts }), counts };
}

function expectSameBytes(meta: SnapshotMeta, pages: Page[], closed: EntityKind[], drive: Drive = {}) {
  // first: the streaming serializer owns (and blanks the server fields of) the rows it is given
  const whole = serializeSnapshot(snapshotOf(meta, structuredClone(pages), closed));
  const { serialized, counts } = stream(meta, pages, closed, drive);
  expect(Buffer.concat(serialized.chunks).toString('utf8')).toBe(
    Buffer.concat(whole.chunks).toString('utf8'),
  );
  expect(serialized).toMatchObject({
    sha256: whole.sha256,
    contentSha256: whole.contentSha256,
    bytes: whole.bytes,
  });
  expect(counts).toEqual(whole.meta.counts);
}

const consumer = (n: number, extra: Record<string, unknown> = {}): Entity =>
  ({ id: `c-${String(n).padStart(5, '0')}`, username: `user ${n} "ü"`, ...extra }) as Entity;
const range = (from: number, to: number, extra?: Record<string, unknown>) =>
  Array.from({ length: to - from }, (_, i) => consumer(from + i, extra));

describe('StreamingSerializer (the backup job writes the plaintext while dumpInto lists pages)', () => {
  const { meta } = sampleSnapshot();

  it('pages in id order (how Kong lists a collection) join up as they are: the bytes of serializeSnapshot', () => {
    expectSameBytes(
      meta,
      [
        ['consumers', range(0, 1000)],
        ['consumers', range(1000, 2000)],
        ['consumers', range(2000, 2500)],
      ],
      ['consumers'],
    );
  });

  it('pages arriving out of order (targets, listed per upstream) are put in id order', () => {
    expectSameBytes(
      meta,
      [
        ['consumers', range(2000, 2500)],
        ['consumers', range(0, 1000)],
        ['consumers', range(1000, 2000)],
      ],
      ['consumers'],
    );
  });

  it('interleaved pages, a page not in id order and an id seen twice (the later one wins) still give the same bytes', () => {
    const evens = range(0, 50).filter((_, i) => i % 2 === 0);
    const odds = range(0, 50).filter((_, i) => i % 2 === 1);
    const again = [consumer(10, { username: 'changed while paging' })];
    const pages: Page[] = [
      ['consumers', evens],
      ['consumers', odds.reverse()],
      ['consumers', again],
    ];
    expectSameBytes(meta, pages, ['consumers']);
    expect(stream(meta, pages, ['consumers']).counts).toEqual({ consumers: 50 });
    expect(Buffer.concat(stream(meta, pages, ['consumers']).serialized.chunks).toString()).toContain(
      'changed while paging',
    );
  });

  it('rows arrive as the Admin API sends them: server-managed and read-only fields are left out', () => {
    const rows = (): Page[] => [
      [
        'services',
        [{ id: 's1', name: 'a', created_at: 1700000000, updated_at: 1700000001, port: 80 } as Entity],
      ],
      ['certificates', [{ id: 'c1', cert: 'C', key: 'K', snis: ['a.example'], created_at: 1 } as Entity]],
    ];
    expectSameBytes(meta, rows(), ['services', 'certificates']);
    const text = Buffer.concat(
      stream(meta, rows(), ['services', 'certificates']).serialized.chunks,
    ).toString();
    expect(text).toContain('"services":[{"id":"s1","name":"a","port":80}]');
    expect(text).toContain('"certificates":[{"id":"c1","cert":"C","key":"K"}]');
  });

  it('only closed kinds are written; a closed kind with no entities is an empty list', () => {
    const pages: Page[] = [
      ['services', [{ id: 's1', name: 'a' } as Entity]],
      ['routes', [{ id: 'r1', name: 'half-listed' } as Entity]],
    ];
    expectSameBytes(meta, pages, ['services', 'plugins']);
    const text = Buffer.concat(stream(meta, pages, ['services', 'plugins']).serialized.chunks).toString();
    expect(text).toContain('"plugins":[]');
    expect(text).not.toContain('half-listed');
  });

  it('property: any split of any kinds into pages, in any order, gives the bytes of serializeSnapshot', () => {
    const kinds: EntityKind[] = ['services', 'routes', 'consumers', 'targets'];
    const entity = fc.record(
      {
        id: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 4 })),
        name: fc.option(fc.string(), { nil: null }),
        created_at: fc.integer({ min: 0 }),
        port: fc.integer(),
        updated_at: fc.option(fc.integer({ min: 0 }), { nil: null }),
        tags: fc.array(fc.string(), { maxLength: 2 }),
      },
      { requiredKeys: ['id', 'port'] },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...kinds), fc.array(entity, { maxLength: 6 })), { maxLength: 8 }),
        fc.subarray(kinds),
        (pages, closed) => expectSameBytes(meta, pages as Page[], closed),
      ),
      { numRuns: 300 },
    );
  });

  it('property: kinds hashed early (announced by begin, settled in any order, some skipped, some closing unannounced or after their skip) give the same bytes', () => {
    const kinds: EntityKind[] = ['acls', 'consumers', 'plugins', 'routes', 'services', 'targets'];
    const entity = fc.record({ id: fc.uuid(), name: fc.string({ maxLength: 3 }) });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...kinds), fc.array(entity, { maxLength: 4 })), { maxLength: 10 }),
        fc.subarray(kinds),
        fc.subarray(kinds),
        fc.shuffledSubarray(kinds, { minLength: kinds.length }),
        (pages, closed, announce, settle) =>
          expectSameBytes(meta, pages as Page[], closed, { announce, settle }),
      ),
      { numRuns: 400 },
    );
  });

  it('a kind the dump skips takes no place in the plaintext, between two announced kinds', () => {
    const s = new StreamingSerializer();
    s.begin(['consumers', 'routes', 'services']);
    s.add('services', [{ id: 's1' } as Entity]);
    s.close('services');
    s.skip('consumers');
    s.add('routes', [{ id: 'r1' } as Entity]);
    s.close('routes');
    const early = s.finish(meta);
    const whole = serializeSnapshot({
      meta,
      entities: { services: { s1: { id: 's1' } as Entity }, routes: { r1: { id: 'r1' } as Entity } },
    });
    expect(Buffer.concat(early.chunks).toString()).not.toContain('"consumers":{');
    expect(early.sha256).toBe(whole.sha256);
  });
});
