import { describe, expect, it } from 'vitest';
import { FieldStripper } from '../../../src/core/field-strip.ts';

const dropped = new Set(['created_at', 'updated_at']);

/** own keys in enumeration order, with values: what the copy must equal, order included */
const entries = (o: object) => Object.entries(o);

describe('FieldStripper', () => {
  it('copies rows of one key order without the dropped fields, key order kept, input unchanged', () => {
    const s = new FieldStripper(dropped);
    const config = { minute: 5, created_at: 'nested, kept' };
    const rows = [1, 2, 3].map((n) => ({
      id: `p${n}`,
      created_at: n,
      name: 'rate-limiting',
      config,
      updated_at: n,
      tags: ['a'],
    }));
    for (const row of rows) {
      const before = JSON.stringify(row);
      const out = s.strip(row);
      expect(entries(out)).toEqual([
        ['id', row.id],
        ['name', 'rate-limiting'],
        ['config', config],
        ['tags', row.tags],
      ]);
      // only the top level is copied: nested values are the input's own (as the key-by-key copy did)
      expect(out.config).toBe(config);
      expect(out).not.toBe(row);
      expect(JSON.stringify(row)).toBe(before);
    }
  });

  it('tells key orders apart: same keys in another order, a key more, a key less', () => {
    const s = new FieldStripper(dropped);
    const cases: Record<string, unknown>[] = [
      { id: 'a', name: 'x', created_at: 1 },
      { name: 'y', id: 'b', created_at: 1 },
      { id: 'c', name: 'z', created_at: 1, extra: true },
      { id: 'd', created_at: 1 },
      { id: 'e', name: 'w', created_at: 1 },
      { id: 'f', name: undefined, updated_at: 2 },
    ];
    for (const row of cases) {
      const expected = entries(row).filter(([k]) => !dropped.has(k));
      expect(entries(s.strip(row))).toEqual(expected);
    }
  });

  it('keeps working past the number of compiled key orders (key by key from then on)', () => {
    const s = new FieldStripper(dropped);
    for (let i = 0; i < 40; i++) {
      const row: Record<string, unknown> = { id: `r${i}`, created_at: i };
      row[`k${i}`] = i; // a new key order each time
      expect(s.strip(row)).toEqual({ id: `r${i}`, [`k${i}`]: i });
    }
  });

  it('copies keys that are not identifiers, quotes, backslashes and code-like names as data', () => {
    const s = new FieldStripper(dropped);
    const odd = {
      id: 'o',
      'a"b': 1,
      'c\\': 2,
      '"]; throw new Error("injected"); //': 3,
      '\u2028line': 4,
      '0': 'integer-like',
      'with space': 5,
      created_at: 9,
    };
    for (let i = 0; i < 2; i++) {
      const out = s.strip(odd);
      expect(entries(out)).toEqual(entries(odd).filter(([k]) => k !== 'created_at'));
    }
  });

  it('copies a __proto__ key as an own property, never as the prototype', () => {
    const s = new FieldStripper(dropped);
    const row = JSON.parse('{"id":"p","__proto__":{"polluted":true},"created_at":1}') as Record<
      string,
      unknown
    >;
    const out = s.strip(row);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['id', '__proto__']);
  });
});
