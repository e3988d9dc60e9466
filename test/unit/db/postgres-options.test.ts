/**
 * How a `database.url` config becomes pg's connection options: the URL's parts, the password only as a
 * callback (never a string in the options, never from the URL), the schema as the sessions'
 * search_path, and libpq's sslmode meanings as TLS options.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { clientConfig, tlsOptions } from '../../../src/db/postgres/index.ts';

const base = {
  url: 'postgres://snap%40ops@db.internal:6543/snap_db',
  schema: 'snap_prod',
  ssl: { mode: 'disable' as const },
};

describe('PostgreSQL connection options', () => {
  it('takes the URL apart and keeps the password a callback that pg calls when the server asks', async () => {
    const config = clientConfig({ ...base, password: () => 'pw-from-env' });
    expect(config).toMatchObject({
      host: 'db.internal',
      port: 6543,
      user: 'snap@ops',
      database: 'snap_db',
      options: '-c search_path=snap_prod',
      ssl: false,
    });
    expect(JSON.stringify(config)).not.toContain('pw-from-env');
    // what pg itself makes of it: the callback survives (a connectionString would have replaced it by '')
    const client = new pg.Client(config);
    expect(typeof client.password).toBe('function');
    expect(await (client.password as unknown as () => Promise<string>)()).toBe('pw-from-env');
    expect(new pg.Client(clientConfig(base)).password).not.toBeTypeOf('function');
    expect(clientConfig({ ...base, url: 'postgres://u@[::1]:5432/d' })).toMatchObject({ host: '::1' });
    expect(() => clientConfig({ ...base, url: 'postgres://u:pw@h/d' })).toThrow(/must not carry a password/);
    expect(() => clientConfig({ ...base, schema: 'Robert"; drop' })).toThrow(/invalid schema name/);
  });

  it('maps sslmode as libpq means it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snapgate-pg-tls-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
      const caFile = join(dir, 'ca.pem');
      expect(tlsOptions({ mode: 'disable' })).toBe(false);
      expect(tlsOptions({ mode: 'require' })).toEqual({ rejectUnauthorized: false });
      const verifyCa = tlsOptions({ mode: 'verify-ca', caFile }) as { checkServerIdentity: () => unknown };
      expect(verifyCa).toMatchObject({ ca: 'CA PEM', rejectUnauthorized: true });
      expect(verifyCa.checkServerIdentity()).toBeUndefined();
      const full = tlsOptions({ mode: 'verify-full', caFile });
      expect(full).toEqual({ ca: 'CA PEM', rejectUnauthorized: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
