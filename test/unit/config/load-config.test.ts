import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  loadConfig,
  type PostgresDatabaseConfig,
  type ReadTextFile,
  type SqliteDatabaseConfig,
} from '../../../src/config/index.ts';
import type { KongConnectionConfig } from '../../../src/config/types.ts';

const KEY_HEX = 'a'.repeat(64);
const KEY_B64 = Buffer.alloc(32, 7).toString('base64');
const TOKEN = 'kong-admin-token-do-not-print';
const AUDIT_PEM = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();

/** An in-memory file reader: paths → content; missing paths fail like fs does. */
function files(map: Record<string, string>): ReadTextFile {
  return async (path) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

const validYaml = `
connections:
  - name: prod-eu
    kongUrl: https://kong.example:8444/
    tokenEnv: KONG_TOKEN
    environment: prod
    schedules:
      - cron: '0 3 * * *'
        timezone: Europe/Berlin
    retention: { keepDaily: 7, keepWithin: 2w, minAge: 1h }
  - name: staging
    kongUrl: http://kong.staging:8001
    tokenFile: secrets/staging-token
    environment: staging
storage:
  primary: artifacts
  copies: [{ type: directory, path: /mnt/copy }]
keys:
  - { id: k1, env: KEY_1, current: true }
  - { id: k0, file: /keys/k0 }
database: { path: snap.db }
`;

const env = { KONG_TOKEN: TOKEN, KEY_1: KEY_HEX };
const fileMap = {
  '/etc/snapgate/snapgate.yml': validYaml,
  '/etc/snapgate/secrets/staging-token': 'staging-token\n',
  '/keys/k0': `${KEY_B64}\n`,
};

async function problemsOf(yaml: string, extraEnv: Record<string, string> = {}): Promise<string[]> {
  const err = await loadConfig({
    path: '/etc/snapgate/snapgate.yml',
    env: { ...env, ...extraEnv },
    readFile: files({ ...fileMap, '/etc/snapgate/snapgate.yml': yaml }),
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
}

describe('loadConfig', () => {
  it('loads a valid file, resolves secrets and relative paths, applies defaults', async () => {
    const config = await loadConfig({ path: '/etc/snapgate/snapgate.yml', env, readFile: files(fileMap) });
    const [prod, staging] = config.connections as readonly KongConnectionConfig[];
    expect(prod!.kongUrl).toBe('https://kong.example:8444');
    expect(prod!.token.reveal()).toBe(TOKEN);
    expect(staging!.token.reveal()).toBe('staging-token');
    expect(prod!.schedules).toEqual([{ name: 'schedule-1', cron: '0 3 * * *', timezone: 'Europe/Berlin' }]);
    expect(prod!.retention).toEqual({ keepDaily: 7, keepWithin: '2w', minAge: '1h', keepPreRestore: '30d' });
    expect(staging!.roles).toEqual({ viewer: [], operator: [], approver: [], admin: [] });
    expect(config.storage).toEqual({
      primary: { type: 'directory', path: '/etc/snapgate/artifacts' },
      copies: [{ type: 'directory', path: '/mnt/copy' }],
      allowSingleCopy: false,
    });
    expect(config.keys.map((k) => [k.id, k.current, k.key.reveal().toString('hex')])).toEqual([
      ['k1', true, KEY_HEX],
      ['k0', false, Buffer.alloc(32, 7).toString('hex')],
    ]);
    expect((config.database as SqliteDatabaseConfig).path).toBe('/etc/snapgate/snap.db');
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'snapgate', password: null });
  });

  it('returns a deeply frozen config', async () => {
    const config = await loadConfig({ path: '/etc/snapgate/snapgate.yml', env, readFile: files(fileMap) });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.connections[0]!.retention)).toBe(true);
    expect(Object.isFrozen(config.storage.copies[0])).toBe(true);
    expect(() => {
      (config.connections as unknown as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      (config.redis as { url: string }).url = 'redis://evil';
    }).toThrow(TypeError);
  });

  it('never prints a token or key, whichever way the config is turned into text', async () => {
    const config = await loadConfig({ path: '/etc/snapgate/snapgate.yml', env, readFile: files(fileMap) });
    const texts = [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      `${(config.connections[0] as KongConnectionConfig).token}`,
    ];
    for (const text of texts) {
      expect(text).toContain('[redacted]');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(KEY_HEX);
      expect(text).not.toContain('staging-token');
    }
  });

  it('lists every problem at once, with paths', async () => {
    const yaml = `
connections:
  - name: Prod_EU
    kongUrl: ftp://kong
    token: abc123
    environment: prod
    schedules:
      - cron: '61 * * * *'
      - cron: '0 3 * * *'
        timezone: Mars/Olympus
    retention: { keepDialy: 7, keepWithin: 30 }
  - name: second
    kongUrl: http://kong:8001
    tokenEnv: MISSING_TOKEN
    tokenFile: also.txt
    environment: prod
  - name: third
    kongUrl: http://kong:8001
    tokenEnv: UNSET_TOKEN
    environment: staging
storage:
  primary: /data
keys:
  - { id: k1, env: KEY_SHORT }
  - { id: k1, file: /keys/none, current: false }
database: { path: snap.db }
`;
    const problems = await problemsOf(yaml, { KEY_SHORT: 'abcd' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^connections\[0\]\.name: connection name must be lowercase/),
        expect.stringMatching(/^connections\[0\]\.kongUrl: kongUrl must be an http\(s\) URL/),
        expect.stringMatching(
          /^connections\[0\]\.token: an inline token is not allowed.*tokenEnv.*tokenFile/,
        ),
        expect.stringMatching(/^connections\[0\]\.schedules\[1\]\.timezone: not an IANA time zone/),
        'connections[0].retention: unknown field "keepDialy"',
        expect.stringMatching(/^connections\[0\]\.retention\.keepWithin: /),
        'connections[1]: give the Kong admin token either tokenEnv or tokenFile, not both',
        'connections[2].tokenEnv: environment variable UNSET_TOKEN is not set (it should hold the Kong admin token)',
        expect.stringMatching(/^storage\.copies: at least one copy target is required .*allowSingleCopy/),
        'keys: exactly one key must have current: true (found 0)',
        'keys[1].id: duplicate key id "k1"',
        'keys[0]: key k1 from environment variable KEY_SHORT must be 32 bytes written as 64 hex characters or base64',
        'keys[1].file: cannot read /keys/none (ENOENT)',
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(13);
  });

  it('reports an invalid cron with the parser reason', async () => {
    const yaml = validYaml.replace("'0 3 * * *'", "'61 * * * *'");
    expect(await problemsOf(yaml)).toEqual([
      expect.stringMatching(/^connections\[0\]\.schedules\[0\]\.cron: invalid cron "61 \* \* \* \*": .*0-59/),
    ]);
  });

  it.each([
    [
      'duplicate connection names',
      validYaml.replace('name: staging', 'name: prod-eu'),
      'connections[1].name: duplicate connection name "prod-eu"',
    ],
    [
      'copy equal to primary',
      validYaml.replace('path: /mnt/copy', 'path: artifacts'),
      expect.stringMatching(
        /^storage\.copies\[0\]\.path: "\/etc\/snapgate\/artifacts" is the same place as storage\.primary/,
      ),
    ],
    [
      'unknown copy type',
      validYaml.replace('type: directory', 'type: ftp'),
      expect.stringMatching(/^storage\.copies\[0\]\.type: /),
    ],
    ['unknown top-level field', `${validYaml}slack: {}\n`, 'unknown field "slack"'],
    [
      'a backup profile excluding a section that holds no personal data',
      validYaml.replace(
        '    environment: prod\n',
        '    environment: prod\n    exclude: [consumers, services]\n',
      ),
      'connections[0].exclude[1]: exclude takes sections holding personal data: consumers, credentials, consumer_groups',
    ],
    [
      'a backup profile naming a section twice',
      validYaml.replace(
        '    environment: prod\n',
        '    environment: prod\n    exclude: [credentials, credentials]\n',
      ),
      'connections[0].exclude: exclude names a section twice',
    ],
    [
      'a rehearsal into a connection not marked scratch',
      validYaml.replace(
        '    environment: prod\n',
        "    environment: prod\n    rehearsal: { cron: '0 4 * * *', target: staging }\n",
      ),
      'connections[0].rehearsal.target: rehearsal target "staging" is not marked scratch: true; rehearsals only write to scratch connections',
    ],
    [
      'a rehearsal into a connection that does not exist',
      validYaml.replace(
        '    environment: prod\n',
        "    environment: prod\n    rehearsal: { cron: '0 4 * * *', target: nope }\n",
      ),
      'connections[0].rehearsal.target: rehearsal target "nope" is not a connection',
    ],
    [
      'a rehearsal into itself',
      validYaml.replace(
        '    environment: prod\n',
        "    environment: prod\n    rehearsal: { cron: '0 4 * * *', target: prod-eu }\n",
      ),
      'connections[0].rehearsal.target: a connection cannot rehearse into itself',
    ],
    [
      'a rehearsal with a bad cron',
      validYaml
        .replace(
          '    environment: prod\n',
          "    environment: prod\n    rehearsal: { cron: 'every day', target: staging }\n",
        )
        .replace('    environment: staging\n', '    environment: staging\n    scratch: true\n'),
      expect.stringMatching(/^connections\[0\]\.rehearsal\.cron: invalid cron "every day"/),
    ],
    [
      'a scratch connection on the same gateway as a production one',
      validYaml.replace(
        '    kongUrl: http://kong.staging:8001\n    tokenFile: secrets/staging-token\n    environment: staging\n',
        '    kongUrl: https://kong.example:8444\n    tokenFile: secrets/staging-token\n    environment: staging\n    scratch: true\n',
      ),
      'connections[1].scratch: scratch connection "staging" reaches the same gateway as "prod-eu"; a rehearsal would overwrite it',
    ],
    [
      'a scratch workspace of a gateway a workspaces: all connection backs up',
      validYaml
        .replace('    environment: prod\n', '    environment: prod\n    workspaces: all\n')
        .replace(
          '    kongUrl: http://kong.staging:8001\n    tokenFile: secrets/staging-token\n    environment: staging\n',
          '    kongUrl: https://kong.example:8444\n    tokenFile: secrets/staging-token\n    workspace: scratch\n    environment: staging\n    scratch: true\n',
        ),
      'connections[1].scratch: scratch connection "staging" reaches the same gateway as "prod-eu"; a rehearsal would overwrite it',
    ],
    [
      'a report channel given by name',
      `${validYaml}report: { channel: '#platform' }\n`,
      'report.channel: must be a Slack channel id (C… or G…), not a #name: names change, ids do not',
    ],
    [
      'no token at all',
      validYaml.replace('    tokenEnv: KONG_TOKEN\n', ''),
      'connections[0]: the Kong admin token is missing: set tokenEnv or tokenFile',
    ],
  ])('%s', async (_name, yaml, expected) => {
    expect(await problemsOf(yaml)).toEqual([expected]);
  });

  it('reads storage.primary as a target: a plain path is a directory, and so is the object form', async () => {
    const load = (yaml: string) =>
      loadConfig({
        path: '/etc/snapgate/snapgate.yml',
        env,
        readFile: files({ ...fileMap, '/etc/snapgate/snapgate.yml': yaml }),
      });
    const asObject = validYaml.replace('primary: artifacts', 'primary: { type: directory, path: artifacts }');
    expect(asObject).not.toBe(validYaml);
    const plain = await load(validYaml);
    const object = await load(asObject);
    expect(object.storage.primary).toEqual({ type: 'directory', path: '/etc/snapgate/artifacts' });
    expect(object.storage).toEqual(plain.storage);
    expect(await problemsOf(asObject.replace('path: /mnt/copy', 'path: artifacts'))).toEqual([
      expect.stringMatching(/^storage\.copies\[0\]\.path: .* is the same place as storage\.primary/),
    ]);
  });

  it('reads rehearsals, scratch connections and the weekly report', async () => {
    const yaml = `${validYaml
      .replace(
        '    environment: prod\n',
        "    environment: prod\n    rehearsal: { cron: '0 4 * * 0', target: staging, among: 3 }\n",
      )
      .replace(
        '    environment: staging\n',
        '    environment: staging\n    scratch: true\n',
      )}report: { channel: C0REPORTS }\n`;
    const config = await loadConfig({
      path: '/etc/snapgate/snapgate.yml',
      env,
      readFile: files({ ...fileMap, '/etc/snapgate/snapgate.yml': yaml }),
    });
    expect(config.connections[0]).toMatchObject({
      scratch: false,
      rehearsal: { cron: '0 4 * * 0', timezone: 'UTC', target: 'staging', among: 3 },
    });
    expect(config.connections[1]).toMatchObject({ scratch: true, rehearsal: null });
    expect(config.report).toEqual({ channel: 'C0REPORTS', cron: '0 8 * * 1', timezone: 'UTC' });
    const plain = await loadConfig({ path: '/etc/snapgate/snapgate.yml', env, readFile: files(fileMap) });
    expect(plain.report).toBeNull();
    expect(plain.connections[0]).toMatchObject({ scratch: false, rehearsal: null });
  });

  it('accepts a single copy only when allowSingleCopy is set', async () => {
    const yaml = validYaml.replace('copies: [{ type: directory, path: /mnt/copy }]', 'allowSingleCopy: true');
    const config = await loadConfig({
      path: '/etc/snapgate/snapgate.yml',
      env,
      readFile: files({ ...fileMap, '/etc/snapgate/snapgate.yml': yaml }),
    });
    expect(config.storage.copies).toEqual([]);
  });

  it('reports YAML syntax errors with the line', async () => {
    const problems = await problemsOf('connections:\n  - name: [unclosed\n');
    expect(problems[0]).toMatch(/^line \d+:\d+: YAML: /);
  });

  it('reports an unreadable config file', async () => {
    const err = await loadConfig({ path: '/nope/snapgate.yml', env, readFile: files({}) }).catch(
      (e: unknown) => e,
    );
    expect((err as ConfigError).message).toBe(
      '/nope/snapgate.yml has 1 problem:\n  - cannot read the config file (ENOENT)',
    );
  });

  it('validates the documented example file', async () => {
    const root = join(import.meta.dirname, '../../..');
    const example = readFileSync(join(root, 'snapgate.example.yml'), 'utf8');
    const config = await loadConfig({
      path: join(root, 'snapgate.example.yml'),
      env: {
        KONG_PROD_EU_TOKEN: 't',
        KONG_SCRATCH_TOKEN: 't',
        SNAPGATE_KEY_2026_11: KEY_B64,
        SNAPGATE_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        SNAPGATE_S3_SECRET_ACCESS_KEY: 's3-secret-example',
        SNAPGATE_S3_SESSION_TOKEN: 's3-session-example',
        PAYMENTS_AWS_ACCESS_KEY_ID: 'AKIAPAYMENTS',
        PAYMENTS_AWS_SECRET_ACCESS_KEY: 'aws-secret-example',
        PAYMENTS_AWS_SESSION_TOKEN: 'aws-session-example',
        KONNECT_TOKEN: 'kpat_example0123456789',
      },
      readFile: async (p) =>
        p.endsWith('snapgate.example.yml')
          ? example
          : p.endsWith('.pem')
            ? AUDIT_PEM
            : p.endsWith('konnect-token')
              ? 'spat_example0123456789'
              : KEY_HEX,
    });
    const [, offsite, dr] = config.storage.copies;
    expect(offsite).toMatchObject({ type: 's3', name: 'offsite', prefix: 'prod-eu/', forcePathStyle: true });
    expect(dr).toMatchObject({ type: 's3', region: 'us-west-2', prefix: '', objectLock: null });
    expect(offsite?.type === 's3' && offsite.credentials?.secretAccessKey.reveal()).toBe('s3-secret-example');
    expect(JSON.stringify(config)).not.toContain('s3-secret-example');
    expect(config.connections.map((c) => c.name)).toEqual([
      'prod-eu',
      'prod-eu-scratch',
      'staging',
      'prod-ee',
      'konnect-prod',
      'konnect-lab',
      'payments-api-eu',
      'payments-api-us',
    ]);
    const [, , , ee, konnect, lab, eu, us] = config.connections;
    expect(ee).toMatchObject({ type: 'kong', workspaces: 'all', workspace: null });
    expect(konnect).toMatchObject({
      type: 'konnect',
      baseUrl: 'https://eu.api.konghq.com',
      controlPlane: 'prod',
    });
    expect(lab).toMatchObject({ type: 'konnect', region: null });
    expect(eu).toMatchObject({
      type: 'aws-apigateway',
      region: 'eu-west-1',
      endpoint: null,
      profile: null,
      apis: { ids: ['a1b2c3d4e5'], names: ['payments'], tags: { team: 'payments' } },
    });
    expect(eu?.type === 'aws-apigateway' && eu.credentials?.secretAccessKey.reveal()).toBe(
      'aws-secret-example',
    );
    expect(JSON.stringify(config)).not.toContain('aws-secret-example');
    expect(us).toMatchObject({
      type: 'aws-apigateway',
      profile: 'payments-prod',
      apis: { ids: [], names: [], tags: {} },
    });
    expect(config.connections[0]!.roles.approver).toEqual(['S0456SRE']);
    expect(config.keys.filter((k) => k.current).map((k) => k.id)).toEqual(['k2026-11']);
  });
});

describe('S3 targets in storage', () => {
  const withS3 = (target: string) =>
    validYaml.replace('copies: [{ type: directory, path: /mnt/copy }]', `copies:\n    - ${target}`);
  const load = (yaml: string, extraEnv: Record<string, string> = {}) =>
    loadConfig({
      path: '/etc/snapgate/snapgate.yml',
      env: { ...env, ...extraEnv },
      readFile: files({
        ...fileMap,
        '/etc/snapgate/snapgate.yml': yaml,
        '/etc/snapgate/s3-secret': 'from-file\n',
      }),
    });

  it('reads credentials from env and files, resolves caFile, normalises the prefix', async () => {
    const config = await load(
      withS3(
        '{ type: s3, region: eu-west-1, bucket: backups, prefix: prod, caFile: ca.pem, ' +
          'credentials: { accessKeyIdEnv: S3_ID, secretAccessKeyFile: s3-secret } }',
      ),
      { S3_ID: 'AKIAID' },
    );
    const s3 = config.storage.copies[0]!;
    expect(s3).toMatchObject({
      type: 's3',
      prefix: 'prod/',
      caFile: '/etc/snapgate/ca.pem',
      forcePathStyle: false,
    });
    if (s3.type !== 's3') throw new Error('not s3');
    expect(s3.credentials?.accessKeyId.reveal()).toBe('AKIAID');
    expect(s3.credentials?.secretAccessKey.reveal()).toBe('from-file');
    expect(inspect(config, { depth: 10 })).not.toContain('from-file');
  });

  it('without credentials the SDK default chain is used (credentials: null)', async () => {
    const config = await load(withS3('{ type: s3, region: eu-west-1, bucket: backups }'));
    expect(config.storage.copies[0]).toMatchObject({ type: 's3', credentials: null, prefix: '' });
  });

  it.each([
    [
      'inline secret key',
      '{ type: s3, region: r, bucket: backups, credentials: { accessKeyIdEnv: S3_ID, secretAccessKey: abc } }',
      /^storage\.copies\[0\]\.credentials\.secretAccessKey: inline S3 credentials are not allowed/,
    ],
    [
      'inline key at the top',
      '{ type: s3, region: r, bucket: backups, accessKeyId: AKIA }',
      /^storage\.copies\[0\]\.accessKeyId: inline S3 credentials are not allowed/,
    ],
    [
      'unset variable',
      '{ type: s3, region: r, bucket: backups, credentials: { accessKeyIdEnv: NOPE, secretAccessKeyEnv: S3_ID } }',
      /^storage\.copies\[0\]\.credentials\.accessKeyIdEnv: environment variable NOPE is not set/,
    ],
    [
      'archive storage class',
      '{ type: s3, region: r, bucket: backups, storageClass: DEEP_ARCHIVE }',
      /^storage\.copies\[0\]\.storageClass: .*cannot be read back/,
    ],
    [
      'bad bucket',
      '{ type: s3, region: r, bucket: Bad_Bucket }',
      /^storage\.copies\[0\]\.bucket: bucket must be/,
    ],
  ])('refuses %s', async (_name, target, expected) => {
    expect(await problemsOf(withS3(target), { S3_ID: 'AKIAID' })).toEqual([expect.stringMatching(expected)]);
  });

  it('refuses the same bucket and prefix twice', async () => {
    const yaml = validYaml
      .replace('primary: artifacts', 'primary: { type: s3, region: r, bucket: backups, prefix: a/ }')
      .replace(
        'copies: [{ type: directory, path: /mnt/copy }]',
        'copies: [{ type: s3, region: r, bucket: backups, prefix: a }]',
      );
    expect(await problemsOf(yaml)).toEqual([
      expect.stringMatching(/^storage\.copies\[0\]\.prefix: .* is the same place as storage\.primary/),
    ]);
  });
});

describe('loadConfig: database', () => {
  const withDatabase = (db: string) => validYaml.replace('database: { path: snap.db }', db);
  const load = (yaml: string, extra: Record<string, string> = {}) =>
    loadConfig({
      path: '/etc/snapgate/snapgate.yml',
      env: { ...env, ...extra },
      readFile: files({
        ...fileMap,
        '/etc/snapgate/snapgate.yml': yaml,
        '/etc/snapgate/db-pass': 'from-file\n',
      }),
    });

  it('reads PostgreSQL with its password from the environment or a file, never printing it', async () => {
    const yaml = withDatabase(`database:
  url: postgres://snapgate@db.internal:5432/snapgate
  passwordEnv: DB_PASS
  schema: snap_prod
  ssl: { mode: verify-full, caFile: certs/ca.pem }`);
    const config = await load(yaml, { DB_PASS: 'db-secret-do-not-print' });
    expect(config.database).toMatchObject({
      url: 'postgres://snapgate@db.internal:5432/snapgate',
      schema: 'snap_prod',
      ssl: { mode: 'verify-full', caFile: '/etc/snapgate/certs/ca.pem' },
      poolSize: 10,
    });
    const db = config.database as PostgresDatabaseConfig;
    expect(db.password?.reveal()).toBe('db-secret-do-not-print');
    expect(JSON.stringify(config)).not.toContain('db-secret-do-not-print');
    expect(inspect(config, { depth: 10 })).not.toContain('db-secret-do-not-print');

    const fromFile = await load(
      withDatabase('database: { url: "postgres://u@h/db", passwordFile: db-pass }'),
    );
    expect((fromFile.database as PostgresDatabaseConfig).password?.reveal()).toBe('from-file');
    const none = await load(withDatabase('database: { url: "postgres://u@h/db" }'));
    expect(none.database).toMatchObject({ password: null, schema: 'public', ssl: { mode: 'disable' } });
  });

  it('refuses an inline password, query parameters, both or neither of path and url, and a missing variable', async () => {
    expect(await problemsOf(withDatabase('database: { url: "postgres://u:hunter2@h/db" }'))).toEqual([
      expect.stringMatching(/^database\.url: an inline password is not allowed/),
    ]);
    expect(await problemsOf(withDatabase('database: { url: "postgres://u@h/db", password: x }'))).toEqual([
      expect.stringMatching(/^database\.password: an inline password is not allowed/),
    ]);
    expect(await problemsOf(withDatabase('database: { url: "postgres://u@h/db?sslmode=require" }'))).toEqual([
      expect.stringMatching(/^database\.url: url must not carry query parameters/),
    ]);
    expect(await problemsOf(withDatabase('database: { url: "mysql://u@h/db" }'))).toEqual([
      expect.stringMatching(/^database\.url: url must be a postgres:\/\//),
    ]);
    expect(await problemsOf(withDatabase('database: { path: a.db, url: "postgres://u@h/db" }'))).toEqual([
      'database: give either path (SQLite) or url (PostgreSQL), exactly one',
    ]);
    expect(await problemsOf(withDatabase('database: { path: a.db, schema: x }'))).toEqual([
      'database.schema: schema applies to PostgreSQL (url) only',
    ]);
    expect(
      await problemsOf(withDatabase('database: { url: "postgres://u@h/db", passwordEnv: NOPE }')),
    ).toEqual([
      'database.passwordEnv: environment variable NOPE is not set (it should hold the database password)',
    ]);
    expect(
      await problemsOf(withDatabase('database: { url: "postgres://u@h/db", ssl: { mode: verify } }')),
    ).toEqual([expect.stringMatching(/^database\.ssl\.mode: mode must be one of: disable, require/)]);
  });
});

describe('loadConfig with the real filesystem', () => {
  it('reads the file and a key file relative to it by default', async () => {
    const { mkdir, mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'snapgate-config-'));
    try {
      await writeFile(join(dir, 'snapgate.yml'), validYaml.replace('file: /keys/k0', 'file: keys/k0'));
      await mkdir(join(dir, 'keys'));
      await writeFile(join(dir, 'keys', 'k0'), KEY_HEX, { mode: 0o600 });
      await mkdir(join(dir, 'secrets'));
      await writeFile(join(dir, 'secrets', 'staging-token'), 'tok');
      const config = await loadConfig({ path: join(dir, 'snapgate.yml'), env });
      expect(config.configPath).toBe(join(dir, 'snapgate.yml'));
      expect(config.keys[1]!.key.reveal().toString('hex')).toBe(KEY_HEX);
      expect((config.connections[1] as KongConnectionConfig).token.reveal()).toBe('tok');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // issue 18 §5: as ssh refuses an unprotected private key
  it('refuses a key file, checkpoint key or mTLS client key that its group or others may read, naming the chmod fix', async () => {
    const { chmod, mkdir, mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'snapgate-config-'));
    try {
      const yaml = validYaml
        .replace('file: /keys/k0', 'file: keys/k0')
        .replace(
          '    tokenFile: secrets/staging-token\n',
          '    tokenFile: secrets/staging-token\n    tls: { keyFile: tls/client.key }\n',
        );
      await writeFile(join(dir, 'snapgate.yml'), `${yaml}audit:\n  checkpointKeyFile: audit.pem\n`);
      await mkdir(join(dir, 'keys'));
      await writeFile(join(dir, 'keys', 'k0'), KEY_HEX, { mode: 0o644 });
      await writeFile(join(dir, 'audit.pem'), AUDIT_PEM, { mode: 0o640 });
      await mkdir(join(dir, 'tls'));
      await writeFile(join(dir, 'tls', 'client.key'), 'pem', { mode: 0o604 });
      await mkdir(join(dir, 'secrets'));
      await writeFile(join(dir, 'secrets', 'staging-token'), 'tok');
      await chmod(join(dir, 'keys', 'k0'), 0o644); // whatever the umask
      await chmod(join(dir, 'audit.pem'), 0o640);
      await chmod(join(dir, 'tls', 'client.key'), 0o604);
      const err = await loadConfig({ path: join(dir, 'snapgate.yml'), env }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      const k0 = join(dir, 'keys', 'k0');
      const pem = join(dir, 'audit.pem');
      const client = join(dir, 'tls', 'client.key');
      expect((err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        `connections[1].tls.keyFile: key file ${client} is accessible to others (mode 604); like ssh, snapgate uses a key only when its owner alone can read it — run: chmod 600 ${client}`,
        `keys[1].file: key file ${k0} is accessible to its group and others (mode 644); like ssh, snapgate uses a key only when its owner alone can read it — run: chmod 600 ${k0}`,
        `audit.checkpointKeyFile: key file ${pem} is accessible to its group (mode 640); like ssh, snapgate uses a key only when its owner alone can read it — run: chmod 600 ${pem}`,
      ]);
      for (const f of [k0, pem, client]) await chmod(f, 0o600);
      await expect(loadConfig({ path: join(dir, 'snapgate.yml'), env })).resolves.toMatchObject({
        configPath: join(dir, 'snapgate.yml'),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('audit checkpoints (issue 18 §1)', () => {
  const withAudit = (audit: string) => `${validYaml}audit:\n${audit}`;
  const load = (yaml: string, extra: Record<string, string> = {}) =>
    loadConfig({
      path: '/etc/snapgate/snapgate.yml',
      env,
      readFile: files({ ...fileMap, ...extra, '/etc/snapgate/snapgate.yml': yaml }),
    });

  it('defaults to every 15 minutes with a key derived from the key ring; reads an Ed25519 key file', async () => {
    expect((await load(validYaml)).audit).toEqual({ checkpointKey: null, checkpointEveryMs: 15 * 60_000 });
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const config = await load(withAudit('  checkpointKeyFile: keys/audit.pem\n  checkpointEvery: 1h\n'), {
      '/etc/snapgate/keys/audit.pem': pem,
    });
    expect(config.audit.checkpointEveryMs).toBe(3_600_000);
    expect(config.audit.checkpointKey?.reveal()).toBe(pem);
    expect(inspect(config.audit)).not.toContain('PRIVATE KEY');
  });

  it('refuses a checkpoint key that is not Ed25519, a missing file and a bad interval', async () => {
    const rsa = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    await expect(load(withAudit('  checkpointKeyFile: /k.pem\n'), { '/k.pem': rsa })).rejects.toThrow(
      /audit.checkpointKeyFile: \/k.pem must hold an Ed25519 private key \(it holds ec\)/,
    );
    expect(await problemsOf(withAudit('  checkpointKeyFile: /nope.pem\n  checkpointEvery: soon\n'))).toEqual([
      'audit.checkpointEvery: checkpointEvery must be a duration like 90s, 15m or 1h',
      'audit.checkpointKeyFile: cannot read /nope.pem (ENOENT)',
    ]);
  });
});
