/**
 * transformDeclarative: Kong's `_transform` done by snapgate for DB-less `POST /config` (see the module
 * comment for the Kong sources mirrored: kong/db/declarative/import.lua, kong/plugins/basic-auth/crypto.lua,
 * kong/plugins/oauth2/secret.lua, kong/db/schema/entities/ca_certificates.lua).
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type KongDeclarativeConfig, transformDeclarative } from '../../../src/core/index.ts';

const C = '0b8f0ad2-1c8e-4c5e-9a4b-2d6f7e8a9b10';
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const STORED = sha1(`from-a-dump${C}`);
const SALT = new Uint8Array(16).fill(7);

function config(): KongDeclarativeConfig {
  return {
    _format_version: '3.0',
    _transform: false,
    consumers: [{ id: C, username: 'ann' }],
    basicauth_credentials: [
      { id: 'b1', consumer: C, username: 'plain', password: 'open-sesame' },
      { id: 'b2', consumer: C, username: 'dumped', password: STORED },
    ],
    oauth2_credentials: [
      { id: 'o1', consumer: C, name: 'a', client_id: 'a', client_secret: 'plain', hash_secret: true },
      { id: 'o2', consumer: C, name: 'b', client_id: 'b', client_secret: 'kept', hash_secret: false },
      {
        id: 'o3',
        consumer: C,
        name: 'c',
        client_id: 'c',
        client_secret: '$pbkdf2-sha512$i=10000,l=32$x$y',
        hash_secret: true,
      },
    ],
  };
}

const rows = (c: KongDeclarativeConfig, key: string) => c[key] as Record<string, unknown>[];

describe('transformDeclarative', () => {
  it('a file mixing plain text and dumped hashes: plain values hashed as Kong does, hashes untouched', () => {
    const input = config();
    const { config: out, transformed } = transformDeclarative(input, { randomSalt: () => SALT });
    expect(rows(out, 'basicauth_credentials').map((r) => r.password)).toEqual([
      sha1(`open-sesame${C}`),
      STORED,
    ]);
    const expectedHash = pbkdf2Sync('plain', SALT, 10000, 32, 'sha512').toString('base64').replace(/=+$/, '');
    expect(rows(out, 'oauth2_credentials').map((r) => r.client_secret)).toEqual([
      `$pbkdf2-sha512$i=10000,l=32$${Buffer.from(SALT).toString('base64').replace(/=+$/, '')}$${expectedHash}`,
      'kept', // hash_secret false: Kong stores the secret as sent
      '$pbkdf2-sha512$i=10000,l=32$x$y',
    ]);
    expect(transformed).toEqual([
      { kind: 'basicauth_credentials', id: 'b1', field: 'password' },
      { kind: 'oauth2_credentials', id: 'o1', field: 'client_secret' },
    ]);
    expect(out._transform).toBe(false);
    expect(rows(input, 'basicauth_credentials')[0]?.password).toBe('open-sesame'); // input untouched
  });

  it("the file's _transform decides for every value, as in Kong: false keeps all, true hashes all", () => {
    const kept = transformDeclarative(config(), { transform: false, randomSalt: () => SALT });
    expect(rows(kept.config, 'basicauth_credentials')[0]?.password).toBe('open-sesame');
    expect(kept.transformed).toEqual([]);
    const all = transformDeclarative(config(), { transform: true, randomSalt: () => SALT });
    expect(rows(all.config, 'basicauth_credentials').map((r) => r.password)).toEqual([
      sha1(`open-sesame${C}`),
      sha1(`${STORED}${C}`),
    ]);
  });

  it('CA certificates get the cert_digest Kong derives (SHA-256 of the DER)', () => {
    const { config: out } = transformDeclarative(
      {
        _format_version: '3.0',
        _transform: false,
        ca_certificates: [{ id: 'x', cert: 'not a certificate' }],
      },
      { randomSalt: () => SALT },
    );
    expect(rows(out, 'ca_certificates')[0]?.cert_digest).toBeNull();
  });
});
