import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitYaml } from '../../../src/core/deck/yaml-emit.ts';

/** What decK (YAML 1.1) and a YAML 1.2 reader both see. */
const read11 = (text: string) => parse(text, { version: '1.1' });
const read12 = (text: string) => parse(text);

const TRICKY: [string, unknown][] = [
  ['YAML 1.1 booleans and nulls', ['on', 'off', 'yes', 'No', 'Y', 'n', 'TRUE', 'null', '~', '']],
  [
    'number-like strings',
    ['E0', 'e12', 'e-0', 'E+12', '3.0', '0755', '0x1F', '1e3', '.inf', '-', '12:30', '2024-01-01', '+1'],
  ],
  [
    'punctuation',
    ['a: b', '#x', 'a #b', '- x', '[x]', '{x}', '*a', '&a', '!t', '%p', '@x', '`x', '"q"', "'s'"],
  ],
  ['spaces and unicode', [' lead', 'trail ', 'in side', 'ünïcødé', 'emoji 🚀', 'tab\tin', 'nul\u0000']],
  [
    'multi-line strings',
    [
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      'no trailing newline\nsecond',
      'two trailing\n\n',
      '\nleading newline',
      ' indented first\nline',
      'trailing space \nline',
      'blank\n\nmiddle\n',
      'crlf\r\nline',
    ],
  ],
  ['numbers', [0, -1, 1.5, 1e21, 1e-7, -0.25, 123456789012]],
  ['nesting', { a: [], b: {}, c: [[1, [2]], [{ x: null }]], d: { 'key with space': true, '3.0': 'v' } }],
];

describe('emitYaml', () => {
  it.each(TRICKY)('%s read back the same in YAML 1.1 and 1.2', (_name, value) => {
    const doc = { value };
    const text = emitYaml(doc);
    expect(read11(text)).toEqual(doc);
    expect(read12(text)).toEqual(doc);
  });

  it('writes PEM blocks as literal blocks and decK-looking keys plain', () => {
    const text = emitYaml({
      _format_version: '3.0',
      certificates: [{ cert: '-----BEGIN X-----\nAB\n-----END X-----\n' }],
    });
    expect(text).toBe(
      '_format_version: "3.0"\ncertificates:\n  - cert: |\n      -----BEGIN X-----\n      AB\n      -----END X-----\n',
    );
  });

  it('round-trips arbitrary JSON (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (doc) => {
        const text = emitYaml(doc);
        const expected = JSON.parse(JSON.stringify(doc));
        expect(read11(text)).toEqual(expected);
        expect(read12(text)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
