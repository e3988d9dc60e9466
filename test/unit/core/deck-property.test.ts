import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { completeSnapshot, fromDeckFile, toDeckFile, toKongDeclarative } from '../../../src/core/index.ts';
import { gatewayArbitrary } from '../../support/gateway-arbitrary.ts';
import { reversedInsertion } from './deck-fixtures.ts';

/**
 * Over generated gateways: a decK file (YAML or JSON) and Kong's declarative config carry every entity
 * and id; the import adds only what Kong would add on write (completeSnapshot: defaults, no nulls).
 */
describe('decK round trip over generated gateways (property)', () => {
  it('fromDeckFile(toDeckFile(s)) equals completeSnapshot(s), from YAML and from JSON', () => {
    fc.assert(
      fc.property(gatewayArbitrary, (s) => {
        const expected = completeSnapshot(s);
        const back = fromDeckFile(toDeckFile(s), { meta: s.meta });
        expect(back).toEqual(expected);
        expect(fromDeckFile(toDeckFile(s, { format: 'json' }), { meta: s.meta })).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('a completed snapshot round-trips exactly, through decK files and Kong declarative config', () => {
    fc.assert(
      fc.property(gatewayArbitrary, (raw) => {
        const s = completeSnapshot(raw);
        expect(fromDeckFile(toDeckFile(s), { meta: s.meta })).toEqual(s);
        expect(fromDeckFile(stringify(toKongDeclarative(s), { version: '1.1' }), { meta: s.meta })).toEqual(
          s,
        );
      }),
      { numRuns: 150 },
    );
  });

  it('export is deterministic: insertion order never changes a byte', () => {
    fc.assert(
      fc.property(gatewayArbitrary, (s) => {
        expect(toDeckFile(reversedInsertion(s))).toBe(toDeckFile(s));
      }),
      { numRuns: 100 },
    );
  });
});
