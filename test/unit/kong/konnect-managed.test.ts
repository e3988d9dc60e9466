import { describe, expect, it } from 'vitest';
import type { Entity, EntityKind } from '../../../src/core/index.ts';
import { withoutKonnectManaged } from '../../../src/kong/konnect.ts';

/** pages the wrapped sink received, as ids */
function pagesThrough(kind: EntityKind, pages: Entity[][]): string[][] {
  const got: string[][] = [];
  const sink = withoutKonnectManaged({
    add: (_kind, rows) => got.push(rows.map((r) => r.id)),
    close: () => 0,
  });
  for (const page of pages) sink.add(kind, page);
  return got;
}

const plain = (id: string, tags: unknown = ['team:a']): Entity => ({ id, tags });
// tags Konnect puts on what it manages itself (go-database-reconciler pkg/konnect/utils.go)
const managed = (id: string): Entity => ({ id, tags: ['x', 'konnect-managed'] });

describe('withoutKonnectManaged (the sink of a Konnect dump)', () => {
  it.each([
    ['no managed row: the page as it came', [plain('a'), plain('b'), plain('c')], ['a', 'b', 'c']],
    ['managed first', [managed('m'), plain('a'), plain('b')], ['a', 'b']],
    ['managed in the middle', [plain('a'), managed('m'), plain('b')], ['a', 'b']],
    ['managed last', [plain('a'), plain('b'), managed('m')], ['a', 'b']],
    ['several managed', [managed('m1'), plain('a'), managed('m2'), managed('m3'), plain('b')], ['a', 'b']],
    [
      'rows without tags, null tags or non-array tags',
      [{ id: 'a' }, plain('b', null), plain('c', 'konnect-managed')],
      ['a', 'b', 'c'],
    ],
  ])('%s', (_name, rows, ids) => {
    expect(pagesThrough('services', [rows as Entity[]])).toEqual([ids]);
  });

  it('a page of managed rows only reaches the sink not at all; an empty page reaches it empty', () => {
    expect(pagesThrough('services', [[managed('m1'), managed('m2')], []])).toEqual([[]]);
  });

  it('konnect-managed-plugin marks plugins only', () => {
    const row = plain('p', ['konnect-managed-plugin']);
    expect(pagesThrough('plugins', [[row, plain('q')]])).toEqual([['q']]);
    expect(pagesThrough('services', [[row, plain('q')]])).toEqual([['p', 'q']]);
  });

  it('hands the very page on when nothing is filtered (no copy per page)', () => {
    const page = [plain('a'), plain('b')];
    let received: readonly Entity[] | undefined;
    const sink = withoutKonnectManaged({
      add: (_k, rows) => {
        received = rows;
      },
      close: () => 0,
    });
    sink.add('routes', page);
    expect(received).toBe(page);
  });
});
