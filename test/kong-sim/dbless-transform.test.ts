/**
 * `_transform` on a DB-less `POST /config`, as Kong 3.9 does it: kong/db/schema/others/declarative_config.lua
 * (`_transform` defaults to true), kong/db/declarative/import.lua `load_into_cache` (schema transformations
 * run only when `_transform` is true). The transformations: basic-auth's password
 * (kong/plugins/basic-auth/daos.lua + crypto.lua: SHA-1 hex of `password .. consumer_id`), oauth2's
 * `hash_secret` (kong/plugins/oauth2/daos.lua + secret.lua: PBKDF2-SHA512 PHC) and the CA certificate's
 * `cert_digest` (kong/db/schema/entities/ca_certificates.lua).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sim } from './helpers.ts';

const CONSUMER = '0b8f0ad2-1c8e-4c5e-9a4b-2d6f7e8a9b10';
const PEM = readFileSync(join(import.meta.dirname, '../fixtures/deck/002-consumers-credentials.yaml'), 'utf8')
  .split('cert: |\n')[1]
  ?.split('    tags:')[0]
  ?.replace(/^ {6}/gm, '') as string;

function config(transform?: boolean): Record<string, unknown> {
  return {
    _format_version: '3.0',
    ...(transform === undefined ? {} : { _transform: transform }),
    consumers: [
      {
        id: CONSUMER,
        username: 'ann',
        basicauth_credentials: [{ username: 'ann', password: 'open-sesame' }],
        oauth2_credentials: [
          { name: 'app', client_id: 'cid', client_secret: 'plain-secret', hash_secret: true },
        ],
      },
    ],
    ca_certificates: [{ cert: PEM }],
  };
}

describe('kong-sim DB-less _transform (kong/db/declarative/import.lua load_into_cache)', () => {
  it('absent (default true): the basic-auth password is stored as SHA-1(password .. consumer_id), hex', async () => {
    const k = await sim({ dbless: true });
    expect((await k.call('POST', '/config', config())).status).toBe(201);
    const [cred] = (await k.call('GET', '/basic-auths')).body.data;
    expect(cred.password).toBe(createHash('sha1').update(`open-sesame${CONSUMER}`).digest('hex'));
    const [app] = (await k.call('GET', '/oauth2')).body.data;
    expect(app.client_secret).toMatch(
      /^\$pbkdf2-sha512\$i=10000,l=32\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    const [ca] = (await k.call('GET', '/ca_certificates')).body.data;
    expect(ca.cert_digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('true: the same transformations', async () => {
    const k = await sim({ dbless: true });
    expect((await k.call('POST', '/config', config(true))).status).toBe(201);
    expect((await k.call('GET', '/basic-auths')).body.data[0].password).toMatch(/^[0-9a-f]{40}$/);
  });

  it('false: every value is stored as given — a plain password stays plain, no cert_digest is derived', async () => {
    const k = await sim({ dbless: true });
    expect((await k.call('POST', '/config', config(false))).status).toBe(201);
    expect((await k.call('GET', '/basic-auths')).body.data[0].password).toBe('open-sesame');
    expect((await k.call('GET', '/oauth2')).body.data[0].client_secret).toBe('plain-secret');
    expect((await k.call('GET', '/ca_certificates')).body.data[0].cert_digest).toBeNull();
  });
});
