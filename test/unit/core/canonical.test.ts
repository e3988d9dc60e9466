import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, planHash, sha256Hex } from '../../../src/core/index.ts';

/**
 * Independent reference for the canonical form, written for clarity rather than speed: keys sorted with
 * the default (UTF-16 code unit) sort, absent members dropped, absent array items null, every primitive
 * as JSON.stringify writes it.
 */
function referenceCanonical(v: unknown): string {
  const absent = (x: unknown) => x === undefined || typeof x === 'function' || typeof x === 'symbol';
  if (absent(v)) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => (absent(x) ? 'null' : referenceCanonical(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  const members = Object.keys(o)
    .sort()
    .filter((k) => !absent(o[k]))
    .map((k) => `${JSON.stringify(k)}:${referenceCanonical(o[k])}`);
  return `{${members.join(',')}}`;
}

/** Reference: sort keys by building sorted copies, then JSON.stringify. */
function sortedCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedCopy);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = sortedCopy(o[k]);
  return out;
}

describe('canonicalJson', () => {
  it.each([
    ['flat object', { b: 1, a: 2 }, '{"a":2,"b":1}'],
    [
      'nested objects and arrays kept in order',
      { z: [3, 1, { y: 1, x: 2 }], a: null },
      '{"a":null,"z":[3,1,{"x":2,"y":1}]}',
    ],
    ['undefined members dropped, undefined items null', { a: undefined, b: [undefined] }, '{"b":[null]}'],
    ['strings escaped as JSON does', { s: 'q"\\\n\u0001é' }, JSON.stringify({ s: 'q"\\\n\u0001é' })],
    ['numeric keys sorted as strings', { '9': 1, '10': 2 }, '{"10":2,"9":1}'],
    ['non-finite numbers become null', { n: Number.NaN }, '{"n":null}'],
    ['top-level primitives', 'x', '"x"'],
    ['top-level undefined', undefined, 'null'],
    ['index-like keys sort as strings', { 10: 'x', 9: 'y', a: 'z' }, '{"10":"x","9":"y","a":"z"}'],
    ['negative zero and exponents as JSON writes them', [-0, 1e21, 1.5e-7], '[0,1e+21,1.5e-7]'],
    ['lone surrogates escaped, pairs kept', ['\ud800', '\udfff', '😀'], '["\\ud800","\\udfff","😀"]'],
    [
      'line separators and control characters',
      { s: 'line\n"quote" \u2028\u0000' },
      `{"s":${JSON.stringify('line\n"quote" \u2028\u0000')}}`,
    ],
    [
      'functions and symbols dropped like undefined',
      { f: () => 1, s: Symbol('x'), a: [() => 1] },
      '{"a":[null]}',
    ],
    ['nested arrays', [[[]], [[1, [2]]], { b: [{ d: 1, c: 2 }] }], '[[[]],[[1,[2]]],{"b":[{"c":2,"d":1}]}]'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('matches JSON.stringify of a key-sorted copy on an entity-like value', () => {
    const value = {
      id: 'x',
      config: { redis: { port: 6379, host: null }, minute: 5 },
      tags: ['b', 'a'],
      enabled: true,
    };
    expect(canonicalJson(value)).toBe(JSON.stringify(sortedCopy(value)));
  });

  it('sorts each key order afresh: orders met before, orders sharing a first key, the same keys reordered', () => {
    const rows = [
      { id: '1', name: 'a', host: 'h', port: 1 },
      { id: '2', name: 'b', host: 'h', port: 2 },
      { id: '3', port: 3, host: 'h', name: 'c' },
      { id: '4', name: 'd', host: 'h' },
      { id: '5', name: 'e', host: 'h', port: 5, zone: 'z', alpha: 0 },
      { id: '6', name: 'f', alpha: 1, host: 'h', port: 6 },
      { id: '7', name: 'g', host: 'h', port: 7 },
    ];
    for (let pass = 0; pass < 2; pass++) {
      for (const row of rows) expect(canonicalJson(row)).toBe(referenceCanonical(row));
    }
    // many distinct orders under one first key: past the cache's bound every order is still sorted
    for (let i = 0; i < 40; i++) {
      const row: Record<string, number> = { first: 0 };
      for (let k = 0; k <= i % 7; k++) row[`k${(i * 3 + k * 5) % 11}`] = k;
      expect(canonicalJson(row)).toBe(referenceCanonical(row));
    }
  });

  it('equals the reference on arbitrary values (unicode, escapes, odd keys, nested arrays, undefined)', () => {
    const key = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '0',
        '7',
        '10',
        '01',
        '-1',
        '__proto__',
        'constructor',
        'toJSON',
        '\ud800',
        'é',
        'e\u0301',
      ),
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('\ud800', 'a\udc00b', '\u2028\u2029', '"\\/\b\f\n\r\t', '\u007f\u0080\u00ff'),
    );
    const leaf = fc.oneof(
      text,
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 5 }),
        fc.dictionary(key, tie('node'), { maxKeys: 6 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const text = canonicalJson(v);
        expect(text).toBe(referenceCanonical(v));
        // the same data as JSON.stringify would give, only with sorted keys
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v) ?? 'null'));
      }),
      { numRuns: 200 },
    );
  });

  it('sha256Hex hashes UTF-8', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('planHash is the SHA-256 of canonicalJson({ options, steps })', () => {
    const options = { only: null, noDeletes: false };
    const steps = [
      {
        phase: 'upsert' as const,
        op: 'create' as const,
        kind: 'services' as const,
        id: 's1',
        name: 'a',
        level: 2 as const,
        body: { name: 'a', id: 's1' },
      },
    ];
    expect(planHash(options, steps)).toBe(sha256Hex(canonicalJson({ steps, options })));
  });
});
