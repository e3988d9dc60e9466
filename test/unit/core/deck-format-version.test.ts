/**
 * `_format_version`: what Kong 3.9 takes (kong/db/schema/others/declarative_config.lua `one_of = {"1.1",
 * "2.1", "3.0"}`, spec/01-unit/01-db/01-schema/11-declarative_config/01-validate_spec.lua "requires
 * version 1.1 or 2.1 or 3.0") and the route-path migration it runs on an older file
 * (kong/db/declarative/migrations/route_path.lua over kong/db/migrations/migrate_path_280_300.lua).
 */
import { describe, expect, it } from 'vitest';
import {
  migrateRoutePath,
  migrateToFormat30,
  normalizeUriPath,
} from '../../../src/core/deck/format-version.ts';
import { fromDeckFile } from '../../../src/core/index.ts';

const routesOf = (text: string) =>
  Object.values(fromDeckFile(text).entities.routes ?? {})
    .map((r) => ({ name: r.name, paths: r.paths }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));

const FILE = (version: string) => `_format_version: "${version}"
services:
  - name: users
    host: users.internal
    routes:
      - name: by-id
        paths: ['/users/\\d+$', /users/list]
routes:
  - name: top
    service: { name: users }
    paths: ['/a//b/./c', '/x/%7Efoo']
`;

describe('_format_version (Kong 3.x declarative_config.lua)', () => {
  it.each(['1.1', '2.1'])('a %s file is accepted and its route paths migrated as Kong migrates them', (v) => {
    expect(routesOf(FILE(v))).toEqual([
      // migrate_path: a path with a regex character gets `~`, plain paths are normalized
      { name: 'by-id', paths: ['~/users/\\d+$', '/users/list'] },
      { name: 'top', paths: ['/a/b/c', '/x/~foo'] },
    ]);
  });

  it('a 3.0 file keeps its paths exactly as written (no migration)', () => {
    expect(routesOf(FILE('3.0'))).toEqual([
      { name: 'by-id', paths: ['/users/\\d+$', '/users/list'] },
      { name: 'top', paths: ['/a//b/./c', '/x/%7Efoo'] },
    ]);
  });

  it('a 1.1 file and the same file converted to 3.0 import to the same snapshot', () => {
    const old = fromDeckFile(FILE('1.1'));
    // function replacers: a `$'` in a replacement string is a pattern
    const converted = fromDeckFile(
      FILE('3.0')
        .replace("'/users/\\d+$'", () => "'~/users/\\d+$'")
        .replace("'/a//b/./c', '/x/%7Efoo'", () => "'/a/b/c', '/x/~foo'"),
    );
    expect(old.entities).toEqual(converted.entities);
  });

  it('migrateToFormat30 leaves a 3.0 document alone and reports what it did', () => {
    const doc = { _format_version: '3.0', routes: [{ paths: ['/a+'] }] };
    expect(migrateToFormat30(doc)).toBe(false);
    expect(doc.routes[0]?.paths).toEqual(['/a+']);
    const old = { _format_version: '2.1', routes: [{ paths: ['/a+', 7] }], services: [{ routes: null }] };
    expect(migrateToFormat30(old)).toBe(true);
    expect(old.routes[0]?.paths).toEqual(['~/a+', 7]);
  });
});

describe('migrate_path_280_300.lua', () => {
  it.each([
    // is_not_regex: only [a-zA-Z0-9.\-_~/%] → normalize(path, true)
    ['/', '/'],
    ['/plain/path', '/plain/path'],
    ['/a/../b', '/b'],
    ['/a/./b/', '/a/b/'],
    ['//double//slash', '/double/slash'],
    ['/%7Euser', '/~user'],
    ['/%2F', '/%2F'],
    ['/%2f', '/%2F'],
    // anything else is a 2.x regex: `~` and normalize_regex
    ['/users/\\d+', '~/users/\\d+'],
    ['/(a|b)', '~/(a|b)'],
    ['/v1/%2E*', '~/v1/\\.*'],
    ['/x$%3F', '~/x$%3F'],
    ['/x$%41', '~/x$A'],
  ])('%s → %s', (path, migrated) => {
    expect(migrateRoutePath(path)).toBe(migrated);
  });

  it.each([
    ['', ''],
    ['/a/b/..', '/a/'],
    ['/..', '/'],
    ['/a/.', '/a/'],
    ['a/../../b', '/b'],
  ])('kong/tools/uri.lua normalize(%j, true) = %j', (uri, out) => {
    expect(normalizeUriPath(uri)).toBe(out);
  });
});
