import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  type Entity,
  type EntityKind,
  normalizeEntity,
  normalizeTarget,
  stripServerFields,
} from '../../../src/core/index.ts';

describe('normalizeTarget', () => {
  it.each([
    ['api.example.com', 'api.example.com:8000'],
    ['api.example.com:80', 'api.example.com:80'],
    ['10.0.0.1', '10.0.0.1:8000'],
    ['[::1]', '[::1]:8000'],
    ['[::1]:9000', '[::1]:9000'],
    ['::1', '[::1]:8000'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeTarget(input)).toBe(expected);
  });
});

describe('normalizeEntity', () => {
  const cases: [string, EntityKind, Entity, Entity][] = [
    [
      'drops nulls recursively',
      'plugins',
      { id: 'p', name: 'x', config: { a: null, b: { c: null, d: 1 } }, route: null },
      { id: 'p', name: 'x', config: { b: { d: 1 } } },
    ],
    [
      'sorts set fields and drops empty sets',
      'routes',
      { id: 'r', tags: ['b', 'a'], methods: [], protocols: ['https', 'http'], paths: ['/b', '/a'] },
      { id: 'r', tags: ['a', 'b'], protocols: ['http', 'https'], paths: ['/b', '/a'] },
    ],
    [
      'appends :8000 to port-less targets',
      'targets',
      { id: 't', target: 'h', upstream: { id: 'u' } },
      { id: 't', target: 'h:8000', upstream: { id: 'u' } },
    ],
    [
      'reduces FK objects to { id }',
      'routes',
      { id: 'r', service: { id: 's', name: 'orders' } },
      { id: 'r', service: { id: 's' } },
    ],
    [
      'drops server-managed and read-only fields',
      'certificates',
      { id: 'c', cert: 'C', created_at: 1, updated_at: 2, snis: ['a'] },
      { id: 'c', cert: 'C' },
    ],
    [
      'excludes basic-auth passwords',
      'basicauth_credentials',
      { id: 'b', username: 'u', password: 'h', consumer: { id: 'c' } },
      { id: 'b', username: 'u', consumer: { id: 'c' } },
    ],
    [
      'excludes oauth2 client_secret only with hash_secret',
      'oauth2_credentials',
      { id: 'o', client_secret: 's', hash_secret: true },
      { id: 'o', hash_secret: true },
    ],
    [
      'keeps oauth2 client_secret without hash_secret',
      'oauth2_credentials',
      { id: 'o', client_secret: 's', hash_secret: false },
      { id: 'o', client_secret: 's', hash_secret: false },
    ],
    [
      'sorts services.ca_certificates',
      'services',
      { id: 's', ca_certificates: ['b', 'a'] },
      { id: 's', ca_certificates: ['a', 'b'] },
    ],
  ];
  it.each(cases)('%s', (_name, kind, input, expected) => {
    expect(normalizeEntity(kind, input)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = { id: 'r', tags: ['b', 'a'], hosts: null };
    normalizeEntity('routes', input);
    expect(input).toEqual({ id: 'r', tags: ['b', 'a'], hosts: null });
  });
});

describe('stripServerFields and buildSnapshot', () => {
  it('keeps nulls, drops timestamps and read-only fields', () => {
    expect(stripServerFields('certificates', { id: 'c', cert_alt: null, created_at: 1, snis: [] })).toEqual({
      id: 'c',
      cert_alt: null,
    });
  });

  it('fills counts from the entity maps', () => {
    const s = buildSnapshot(
      {
        format: 1,
        kongVersion: '3.9.1',
        edition: 'community',
        database: 'postgres',
        workspace: null,
        takenAt: 't',
      },
      { services: { a: { id: 'a' }, b: { id: 'b' } }, routes: {} },
    );
    expect(s.meta.counts).toEqual({ services: 2, routes: 0 });
  });
});
