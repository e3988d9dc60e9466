import { describe, expect, it } from 'vitest';
import { canonicalJson, planHash, sha256Hex } from '../../../src/core/index.ts';

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
