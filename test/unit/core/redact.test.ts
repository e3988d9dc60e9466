import { describe, expect, it } from 'vitest';
import { buildSnapshot, type Change, diff, REDACTED, redact } from '../../../src/core/index.ts';

describe('redact', () => {
  it.each<[string, Parameters<typeof redact>[1], unknown, unknown]>([
    [
      'key-auth key',
      'keyauth_credentials',
      { id: 'k', key: 'abc', consumer: { id: 'c' } },
      { id: 'k', key: REDACTED, consumer: { id: 'c' } },
    ],
    [
      'certificate private keys',
      'certificates',
      { id: 'c', cert: 'PUB', key: 'PRIV', key_alt: 'PRIV2', cert_alt: null },
      { id: 'c', cert: 'PUB', key: REDACTED, key_alt: REDACTED, cert_alt: null },
    ],
    [
      'plugin config secrets at any depth',
      'plugins',
      {
        id: 'p',
        config: { redis: { password: 'pw', host: 'r' }, client_secret: 's', hide_credentials: true },
      },
      {
        id: 'p',
        config: { redis: { password: REDACTED, host: 'r' }, client_secret: REDACTED, hide_credentials: true },
      },
    ],
    [
      'keys: private pem and a private jwk',
      'keys',
      { id: 'k', jwk: '{"kty":"RSA","d":"x"}', pem: { public_key: 'P', private_key: 'S' } },
      { id: 'k', jwk: REDACTED, pem: { public_key: 'P', private_key: REDACTED } },
    ],
    [
      'a public jwk stays readable',
      'keys',
      { id: 'k', jwk: '{"kty":"RSA","n":"x"}' },
      { id: 'k', jwk: '{"kty":"RSA","n":"x"}' },
    ],
    [
      'vault token',
      'vaults',
      { id: 'v', config: { token: 't', mount: 'm' } },
      { id: 'v', config: { token: REDACTED, mount: 'm' } },
    ],
    [
      'arbitrary objects by key name',
      undefined,
      { a: { api_key: 'k', access_token: 't', note: 'n' }, list: [{ secret: 's' }] },
      { a: { api_key: REDACTED, access_token: REDACTED, note: 'n' }, list: [{ secret: REDACTED }] },
    ],
    [
      'null secrets stay null',
      'basicauth_credentials',
      { id: 'b', password: null },
      { id: 'b', password: null },
    ],
  ])('%s', (_name, kind, input, expected) => {
    expect(redact(input, kind)).toEqual(expected);
  });

  it('masks Changes: before, after and secret field paths', () => {
    const meta = {
      format: 1,
      kongVersion: '3',
      edition: 'community',
      database: 'postgres',
      workspace: null,
      takenAt: 't',
    } as const;
    const current = buildSnapshot(meta, { keyauth_credentials: { k: { id: 'k', key: 'old-key' } } });
    const target = buildSnapshot(meta, { keyauth_credentials: { k: { id: 'k', key: 'new-key' } } });
    const [change] = diff(current, target).changes as [Change];
    const masked = redact(change);
    expect(JSON.stringify(masked)).not.toMatch(/old-key|new-key/);
    expect(masked.fields).toEqual([{ path: 'key', before: REDACTED, after: REDACTED }]);
    expect(change.after?.key).toBe('new-key');
  });

  it('masks a whole snapshot by kind', () => {
    const meta = {
      format: 1,
      kongVersion: '3',
      edition: 'community',
      database: 'postgres',
      workspace: null,
      takenAt: 't',
    } as const;
    const s = buildSnapshot(meta, { jwt_secrets: { j: { id: 'j', key: 'iss', secret: 'hmac' } } });
    expect(redact(s).entities.jwt_secrets?.j).toEqual({ id: 'j', key: REDACTED, secret: REDACTED });
  });
});
