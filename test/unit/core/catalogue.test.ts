import { describe, expect, it } from 'vitest';
import {
  CATALOGUE,
  ENTITY_KINDS,
  KINDS_TOP_DOWN,
  kindsOfSection,
  SECTIONS,
} from '../../../src/core/index.ts';

describe('entity catalogue', () => {
  it.each(ENTITY_KINDS)('%s: every foreign key points at a kind on a lower level', (kind) => {
    const def = CATALOGUE[kind];
    expect(def.kind).toBe(kind);
    for (const fk of def.foreignKeys) {
      expect(CATALOGUE[fk.references].level, `${kind}.${fk.field}`).toBeLessThan(def.level);
    }
  });

  it.each(ENTITY_KINDS)('%s: a parent it lives under is one of its foreign keys', (kind) => {
    const def = CATALOGUE[kind];
    if (def.nested) expect(def.foreignKeys.map((f) => f.field)).toContain(def.nested.parentField);
  });

  it('every section names at least one kind and every kind belongs to a section', () => {
    for (const section of SECTIONS) expect(kindsOfSection(section).length).toBeGreaterThan(0);
    expect(ENTITY_KINDS.every((k) => (SECTIONS as readonly string[]).includes(CATALOGUE[k].section))).toBe(
      true,
    );
  });

  it('orders kinds by level, top-down', () => {
    const levels = KINDS_TOP_DOWN.map((k) => CATALOGUE[k].level);
    expect(levels).toEqual([...levels].sort());
    expect(KINDS_TOP_DOWN[0]).toBe('certificates');
    expect(KINDS_TOP_DOWN.at(-1)).toBe('filter_chains');
  });
});
