/**
 * The plan's hashed-secret warning holds per database mode (core hashed-secrets.ts): in DB mode Kong
 * hashes every written password (kong/plugins/basic-auth/daos.lua, oauth2/daos.lua), so a stored hash
 * written back stops working and is warned about, while plain text is hashed as intended; on DB-less
 * snapgate's per-value `_transform` passes stored hashes through and hashes plain text, so nothing is lost.
 */
import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  type DatabaseMode,
  type Entity,
  type GatewayCapabilities,
  hashBasicAuthPassword,
  isStoredSecret,
  planRestore,
  withPreflight,
} from '../../../src/core/index.ts';
import { KONG_39, KONG_39_META } from '../../fixtures/schemas/kong-3.9.ts';

const meta = KONG_39_META;
const CONSUMER = '00000000-0000-4000-8000-000000000001';
const STORED = hashBasicAuthPassword('open-sesame', CONSUMER);
const PHC_SECRET =
  '$pbkdf2-sha512$i=10000,l=32$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';

/** A backup (or file) with one basic-auth and one hashing oauth2 credential holding these values. */
function target(password: string, clientSecret: string) {
  const consumer = { id: CONSUMER, username: 'ann' } as Entity;
  const basic = {
    id: '00000000-0000-4000-8000-000000000002',
    consumer: { id: CONSUMER },
    username: 'ann',
    password,
  } as Entity;
  const oauth = {
    id: '00000000-0000-4000-8000-000000000003',
    consumer: { id: CONSUMER },
    name: 'app',
    client_id: 'app-id',
    client_secret: clientSecret,
    hash_secret: true,
    redirect_uris: ['https://app.example/cb'],
  } as Entity;
  return buildSnapshot(meta, {
    consumers: { [CONSUMER]: consumer },
    basicauth_credentials: { [String(basic.id)]: basic },
    oauth2_credentials: { [String(oauth.id)]: oauth },
  });
}

const caps = (database: DatabaseMode): GatewayCapabilities => ({
  version: '3.9.1',
  edition: 'community',
  database,
  enabledPlugins: null,
  wasm: null,
});

const warned = (password: string, secret: string, database: DatabaseMode) =>
  withPreflight(planRestore(buildSnapshot(meta, {}), target(password, secret)), caps(database), KONG_39)
    .warnings.map((w) => `${w.kind}.${w.field}`)
    .sort();

describe('hashed-secret warnings per database mode', () => {
  it.each([
    // a backup: the values are the hashes Kong stored
    {
      values: 'stored hashes',
      password: STORED,
      secret: PHC_SECRET,
      mode: 'postgres',
      expected: ['basicauth_credentials.password', 'oauth2_credentials.client_secret'],
    },
    { values: 'stored hashes', password: STORED, secret: PHC_SECRET, mode: 'off', expected: [] },
    // a hand-written file: plain text, hashed once on write in either mode
    { values: 'plain text', password: 'open-sesame', secret: 'app-secret', mode: 'postgres', expected: [] },
    { values: 'plain text', password: 'open-sesame', secret: 'app-secret', mode: 'off', expected: [] },
    // the gateway is not known: every hashed secret written is flagged
    {
      values: 'plain text',
      password: 'open-sesame',
      secret: 'app-secret',
      mode: 'unknown',
      expected: ['basicauth_credentials.password', 'oauth2_credentials.client_secret'],
    },
  ] as const)('$values on a $mode gateway → $expected', ({ password, secret, mode, expected }) => {
    expect(warned(password, secret, mode)).toEqual(expected);
  });

  it('the plan without a gateway flags every hashed secret it writes (no mode known)', () => {
    const plan = planRestore(buildSnapshot(meta, {}), target(STORED, PHC_SECRET));
    expect(plan.warnings.map((w) => w.field).sort()).toEqual(['client_secret', 'password']);
    expect(plan.warnings[0]?.message).toMatch(/holds only the hash/);
  });

  it('isStoredSecret knows the stored forms (SHA-1 hex for basic-auth, PHC for oauth2)', () => {
    expect(isStoredSecret('basicauth_credentials', STORED)).toBe(true);
    expect(isStoredSecret('basicauth_credentials', STORED.toUpperCase())).toBe(false);
    expect(isStoredSecret('basicauth_credentials', 'open-sesame')).toBe(false);
    expect(isStoredSecret('oauth2_credentials', PHC_SECRET)).toBe(true);
    expect(isStoredSecret('oauth2_credentials', 'app-secret')).toBe(false);
    expect(isStoredSecret('keyauth_credentials', STORED)).toBe(false);
  });
});
