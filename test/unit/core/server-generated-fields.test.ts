import { describe, expect, it } from 'vitest';
import { compareEntities, planRestore, stripServerFields } from '../../../src/core/index.ts';

const consumer = { id: 'c1' };

describe('fields Kong generates or derives are not reported as changes', () => {
  it.each([
    // kong/plugins/jwt/daos.lua `secret = { auto = true }`: a target without it keeps Kong's value
    ['jwt secret absent in target', 'jwt_secrets', { secret: 'gen' }, {}, null],
    ['jwt secret null in target', 'jwt_secrets', { secret: 'gen' }, { secret: null }, null],
    ['jwt secret named in target', 'jwt_secrets', { secret: 'gen' }, { secret: 'mine' }, ['secret']],
    ['jwt secret absent on the gateway', 'jwt_secrets', {}, { secret: 'mine' }, ['secret']],
    ['oauth2 client_secret absent', 'oauth2_credentials', { client_secret: 'gen' }, {}, null],
    ['hmac secret absent', 'hmacauth_credentials', { secret: 'gen' }, {}, null],
    // basic-auth has no auto field: a password missing from the target is still a change
    [
      'basic-auth password is not auto',
      'basicauth_credentials',
      { username: 'u' },
      { username: 'v' },
      ['username'],
    ],
    // key-auth `ttl` reads back as seconds left (kong/api/endpoints.lua extract_options)
    ['key-auth ttl counts down', 'keyauth_credentials', { ttl: 3412 }, { ttl: 3600 }, null],
    ['key-auth ttl null vs set', 'keyauth_credentials', { ttl: null }, { ttl: 3600 }, null],
    // kong/db/schema/entities/ca_certificates.lua derives cert_digest from cert on write
    ['ca cert_digest omitted', 'ca_certificates', { cert: 'PEM', cert_digest: 'abc' }, { cert: 'PEM' }, null],
  ] as const)('%s', (_name, kind, current, target, fields) => {
    const before = { id: 'e1', consumer, key: 'k', ...current };
    const after = { id: 'e1', consumer, key: 'k', ...target };
    const changes = compareEntities(kind, before, after);
    expect(changes?.map((c) => c.path) ?? null).toEqual(fields);
  });

  it('key-auth ttl stays in snapshots (restores send it); ca cert_digest does not', () => {
    expect(stripServerFields('keyauth_credentials', { id: 'k', ttl: 60, created_at: 1 })).toEqual({
      id: 'k',
      ttl: 60,
    });
    expect(stripServerFields('ca_certificates', { id: 'a', cert: 'PEM', cert_digest: 'abc' })).toEqual({
      id: 'a',
      cert: 'PEM',
    });
  });

  it('does not modify the entities it compares', () => {
    const before = { id: 'e1', consumer, key: 'k', secret: 'gen' };
    compareEntities('jwt_secrets', before, { id: 'e1', consumer, key: 'k2' });
    expect(before.secret).toBe('gen');
  });
});

describe('an update keeps the secrets Kong generated', () => {
  const meta = {
    format: 1,
    kongVersion: '3.10.0',
    edition: 'community' as const,
    database: 'postgres' as const,
    workspace: null,
    takenAt: '2026-11-21T00:00:00Z',
    counts: {},
  };
  const alice = { id: 'c1', username: 'alice' };
  const snapshot = (jwt: Record<string, unknown>) => ({
    meta,
    entities: {
      consumers: { c1: alice },
      jwt_secrets: { j1: { id: 'j1', consumer: { id: 'c1' }, key: 'iss', algorithm: 'HS256', ...jwt } },
    },
  });

  it('PUT is a full replace: a target without the jwt secret sends the live one, so Kong does not mint a new one', () => {
    const plan = planRestore(snapshot({ secret: 'live-secret', tags: ['a'] }), snapshot({ tags: ['b'] }));
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ op: 'update', fields: ['tags'] });
    expect(plan.steps[0]?.body?.secret).toBe('live-secret');
  });

  it('a target that names its own secret sends that one', () => {
    const plan = planRestore(snapshot({ secret: 'live-secret' }), snapshot({ secret: 'mine' }));
    expect(plan.steps[0]?.body?.secret).toBe('mine');
  });
});
