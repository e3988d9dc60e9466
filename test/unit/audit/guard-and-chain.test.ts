import { describe, expect, it } from 'vitest';
import {
  AuditInputError,
  assertNoSecrets,
  auditEventInputSchema,
  canonicalJson,
  GENESIS_HASH,
  hashEvent,
  isSecretFieldName,
} from '../../../src/audit/index.ts';

describe('secret guard', () => {
  it.each([
    ['token', true],
    ['kongToken', true],
    ['api_key', true],
    ['API-KEY', true],
    ['password', true],
    ['client_secret', true],
    ['private_key', true],
    ['key', true],
    ['Authorization', true],
    ['wrappedKey', true],
    ['keyId', false],
    ['key_id', false],
    ['planHash', false],
    ['sha256', false],
    ['jwt_secrets', false],
    ['keyauth_credentials', false],
    ['credentials', false],
    ['keys', false],
  ])('%s is a secret name: %s', (name, secret) => {
    expect(isSecretFieldName(name)).toBe(secret);
  });

  it.each([
    [{ gateway: { url: 'http://k', token: 'abc' } }, 'details.gateway.token'],
    [{ items: [{ ok: 1 }, { password: 'x' }] }, 'details.items[1].password'],
    [{ note: '-----BEGIN RSA PRIVATE KEY-----\nMIIE' }, 'details.note'],
    [{ header: 'Bearer abcdefghijklmnop' }, 'details.header'],
    [{ text: 'use xoxb-1234567890-abcdef please' }, 'details.text'],
  ])('refuses %j naming %s', (details, path) => {
    expect(() => assertNoSecrets(details)).toThrow(AuditInputError);
    expect(() => assertNoSecrets(details)).toThrow(path);
  });

  it('accepts ordinary details and refuses oversized ones', () => {
    expect(assertNoSecrets({ keyId: 'k2', counts: { jwt_secrets: 3 }, planHash: 'ab' })).toBeGreaterThan(0);
    expect(() => assertNoSecrets({ diff: 'x'.repeat(70_000) })).toThrow(/limit 65536/);
  });
});

describe('event input schema', () => {
  const base = { actor: 'U123ABC', action: 'backup.requested', outcome: 'ok', details: {} };
  it.each([
    [{ ...base }, true],
    [{ ...base, actor: 'system' }, true],
    [{ ...base, actor: 'cli:alice' }, true],
    [{ ...base, actor: 'alice' }, false],
    [{ ...base, actor: 'cli:' }, false],
    [{ ...base, action: 'backup.exploded' }, false],
    [{ ...base, outcome: 'maybe' }, false],
    [{ ...base, action: 'restore.approved' }, false],
    [{ ...base, action: 'restore.approved', details: { planHash: 'a'.repeat(64) } }, true],
    [{ ...base, action: 'restore.expired' }, true],
  ])('%j valid: %s', (input, valid) => {
    expect(auditEventInputSchema.safeParse(input).success).toBe(valid);
  });
});

describe('chain format', () => {
  it('canonical JSON sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"x":2,"y":1}]},"b":1}',
    );
  });

  it('hashes are stable, depend on every field and on the previous hash', () => {
    const fields = {
      seq: 1,
      time: new Date('2026-11-20T14:00:00Z'),
      actor: 'system',
      action: 'config.loaded',
      connection: null,
      targetId: null,
      outcome: 'ok',
      details: { connections: 2 },
    };
    const h = hashEvent(GENESIS_HASH, fields);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(GENESIS_HASH, { ...fields, details: { connections: 2 } })).toBe(h);
    for (const changed of [
      { seq: 2 },
      { actor: 'U1' },
      { details: { connections: 3 } },
      { connection: 'prod' },
    ]) {
      expect(hashEvent(GENESIS_HASH, { ...fields, ...changed })).not.toBe(h);
    }
    expect(hashEvent('f'.repeat(64), fields)).not.toBe(h);
  });
});
