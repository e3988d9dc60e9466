import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.ts';
import { artifactName, isTempName, KeyRing, parseArtifactName, shortId } from '../../../src/storage/index.ts';
import { artifactLineage, tempPath } from '../../../src/storage/layout.ts';
import { KEY_A, KEY_B } from './helpers.ts';

describe('KeyRing', () => {
  it('is built from config keys and finds keys by id', () => {
    const ring = KeyRing.fromConfig([
      { id: 'old', key: new Secret(KEY_A), current: false },
      { id: 'new', key: new Secret(KEY_B), current: true },
    ]);
    expect(ring.current().id).toBe('new');
    expect(ring.get('old')?.key.reveal()).toEqual(KEY_A);
    expect(ring.get('missing')).toBeUndefined();
    expect(ring.ids()).toEqual(['old', 'new']);
  });

  it('never prints key material', () => {
    const ring = KeyRing.of([{ id: 'k', key: KEY_A, current: true }]);
    for (const text of [String(ring), inspect(ring, { depth: 5 }), JSON.stringify(ring.current())]) {
      expect(text).not.toContain(KEY_A.toString('hex'));
      expect(text).not.toContain(KEY_A.toString('base64'));
    }
  });

  it.each([
    ['no current key', [{ id: 'a', key: KEY_A }], /exactly one current key \(found 0\)/],
    [
      'two current keys',
      [
        { id: 'a', key: KEY_A, current: true },
        { id: 'b', key: KEY_B, current: true },
      ],
      /found 2/,
    ],
    ['a short key', [{ id: 'a', key: Buffer.alloc(16), current: true }], /key a must be 32 bytes/],
    [
      'duplicate ids',
      [
        { id: 'a', key: KEY_A, current: true },
        { id: 'a', key: KEY_B },
      ],
      /unique/,
    ],
  ])('refuses %s', (_name, entries, message) => {
    expect(() => KeyRing.of(entries)).toThrow(message);
  });
});

describe('layout', () => {
  it.each([
    [
      {
        connection: 'prod',
        createdAt: '2026-01-05T23:59:59Z',
        type: 'pre-restore',
        backupId: 'AB-cd-12-3456789',
      },
      'kong-prod-20260105-2359-pre-restore-abcd1234.sgb',
    ],
    [
      { connection: 'eu-west-2', createdAt: '2026-11-21T00:00:00+02:00', type: 'scheduled', backupId: 'x1' },
      'kong-eu-west-2-20261120-2200-scheduled-x1.sgb',
    ],
  ] as const)('names %j', (input, name) => {
    expect(artifactName(input)).toBe(name);
    expect(parseArtifactName(name)).toMatchObject({ connection: input.connection, type: input.type });
  });

  it('starts the name with the gateway type; Kong names, old and new, read as before', () => {
    const input = {
      connection: 'payments-api-eu',
      createdAt: '2026-12-06T09:05:00Z',
      type: 'manual',
      backupId: '3f2a9c1d-7b44',
    } as const;
    const aws = 'aws-apigateway-payments-api-eu-20261206-0905-manual-3f2a9c1d.sgb';
    expect(artifactName({ ...input, gateway: 'aws-apigateway' })).toBe(aws);
    expect(parseArtifactName(aws)).toEqual({
      gateway: 'aws-apigateway',
      connection: 'payments-api-eu',
      stamp: '20261206-0905',
      type: 'manual',
      shortId: '3f2a9c1d',
      rewrite: 0,
    });
    expect(artifactName({ ...input, gateway: 'kong' })).toBe(artifactName(input));
    // a Kong connection whose name starts like another type is still Kong's
    expect(parseArtifactName('kong-aws-apigateway-x-20261206-0905-manual-ab.sgb')).toMatchObject({
      gateway: 'kong',
      connection: 'aws-apigateway-x',
    });
    expect(artifactLineage('aws-apigateway-p-20261206-0905-manual-ab-r2.sgb')).toBe(
      'aws-apigateway-p-20261206-0905-manual-ab',
    );
    expect(parseArtifactName('azure-p-20261206-0905-manual-ab.sgb')).toBeNull();
  });

  it('does not parse other names', () => {
    expect(parseArtifactName('kong-prod-2026-manual-x.sgb')).toBeNull();
    expect(parseArtifactName('.kong-prod-20260105-2359-manual-ab.sgb.1-a.tmp')).toBeNull();
  });

  it('marks temp files so listings skip them', () => {
    const temp = tempPath('/d', 'kong-prod-20260105-2359-manual-ab.sgb', '42-abc');
    expect(temp).toBe('/d/.kong-prod-20260105-2359-manual-ab.sgb.42-abc.tmp');
    expect(isTempName('.kong-prod-20260105-2359-manual-ab.sgb.42-abc.tmp')).toBe(true);
    expect(isTempName('kong-prod-20260105-2359-manual-ab.sgb')).toBe(false);
  });

  it('refuses ids and times it cannot name', () => {
    expect(() => shortId('---')).toThrow(/no letters or digits/);
    expect(() => artifactName({ connection: 'p', createdAt: 'soon', type: 'manual', backupId: 'a' })).toThrow(
      /not a date/,
    );
  });
});
