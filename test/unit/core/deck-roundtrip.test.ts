import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fromDeckFile, type Snapshot, toDeckFile, toKongDeclarative } from '../../../src/core/index.ts';
import { DECK_FIXTURES, reversedInsertion } from './deck-fixtures.ts';

const META = { kongVersion: '3.9.1', database: 'postgres' as const, takenAt: '2026-11-21T12:00:00.000Z' };

/** Expected entity counts per fixture: what each file declares, so a silent drop fails loudly. */
const EXPECTED_COUNTS: Record<string, Snapshot['meta']['counts']> = {
  '001-services-routes-plugins.yaml': { services: 2, routes: 3, plugins: 4 },
  '002-consumers-credentials.yaml': {
    ca_certificates: 1,
    consumers: 5,
    keyauth_credentials: 2,
    basicauth_credentials: 1,
    jwt_secrets: 2,
    hmacauth_credentials: 1,
    acls: 2,
    oauth2_credentials: 2,
    mtls_auth_credentials: 1,
    plugins: 1,
  },
  '003-upstreams-healthchecks.yaml': { services: 1, upstreams: 2, routes: 1, targets: 3 },
  '004-certificates-snis.yaml': { certificates: 1, services: 1, snis: 2, routes: 1 },
  '005-ca-certificates-mtls-upstream.yaml': {
    certificates: 1,
    ca_certificates: 1,
    services: 1,
    upstreams: 1,
    routes: 1,
    targets: 1,
  },
  '006-vaults.yaml': { vaults: 1, services: 1, routes: 1, plugins: 1 },
  '007-keys-key-sets.yaml': { key_sets: 1, keys: 2 },
  '008-consumer-groups.yaml': { consumers: 2, consumer_groups: 2, consumer_group_members: 3, plugins: 1 },
  '009-plugins-by-name.yaml': { consumers: 2, services: 1, routes: 1, plugins: 5 },
  '010-top-level-routes.yaml': { services: 2, routes: 3, plugins: 1 },
  '011-info-defaults-url.yaml': { services: 1, routes: 1, plugins: 1 },
  '012-kong-dbless-config.yaml': {
    certificates: 1,
    consumers: 1,
    services: 1,
    upstreams: 1,
    snis: 1,
    keyauth_credentials: 1,
    routes: 1,
    targets: 1,
    plugins: 1,
  },
  '013-dump-with-ids.json': {
    consumers: 1,
    services: 1,
    keyauth_credentials: 1,
    acls: 1,
    routes: 1,
    plugins: 2,
  },
};

describe('decK fixtures', () => {
  it('every fixture has expected counts (and there are at least 10)', () => {
    expect(DECK_FIXTURES.length).toBeGreaterThanOrEqual(10);
    expect(DECK_FIXTURES.map((f) => f.name).sort()).toEqual(Object.keys(EXPECTED_COUNTS).sort());
  });

  describe.each(DECK_FIXTURES)('$name', ({ name, text }) => {
    const snapshot = fromDeckFile(text, { meta: META });

    it('imports every declared entity', () => {
      expect(snapshot.meta.counts).toEqual(EXPECTED_COUNTS[name]);
    });

    it('round-trips through a decK YAML file and a decK JSON file', () => {
      expect(fromDeckFile(toDeckFile(snapshot), { meta: snapshot.meta })).toEqual(snapshot);
      expect(fromDeckFile(toDeckFile(snapshot, { format: 'json' }), { meta: snapshot.meta })).toEqual(
        snapshot,
      );
    });

    it('round-trips through Kong declarative config (POST /config), as YAML and as JSON', () => {
      const flat = toKongDeclarative(snapshot);
      expect(fromDeckFile(stringify(flat, { version: '1.1' }), { meta: snapshot.meta })).toEqual(snapshot);
      expect(fromDeckFile(JSON.stringify(flat), { meta: snapshot.meta })).toEqual(snapshot);
    });

    it('imports the same file twice to the same ids', () => {
      expect(fromDeckFile(text, { meta: META })).toEqual(snapshot);
    });

    it('exports byte-identical files whatever the insertion order', () => {
      const reversed = reversedInsertion(snapshot);
      expect(toDeckFile(reversed)).toBe(toDeckFile(snapshot));
      expect(toDeckFile(reversed, { format: 'json' })).toBe(toDeckFile(snapshot, { format: 'json' }));
      expect(stringify(toKongDeclarative(reversed))).toBe(stringify(toKongDeclarative(snapshot)));
    });

    it('exports a file that re-exports to itself', () => {
      const file = toDeckFile(snapshot);
      expect(toDeckFile(fromDeckFile(file, { meta: snapshot.meta }))).toBe(file);
    });
  });
});

describe('decK round trip over shuffled fixture snapshots (property)', () => {
  const snapshots = DECK_FIXTURES.map((f) => fromDeckFile(f.text, { meta: META }));

  it('fromDeckFile(toDeckFile(s)) equals s and the file does not depend on insertion order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: snapshots.length - 1 }),
        fc.infiniteStream(fc.integer()),
        (index, seeds) => {
          const s = snapshots[index]!;
          const shuffled: Snapshot = { meta: s.meta, entities: {} };
          for (const [kind, map] of Object.entries(s.entities)) {
            const entries = Object.entries(map ?? {})
              .map((e) => ({ e, k: seeds.next().value as number }))
              .sort((a, b) => a.k - b.k)
              .map((x) => x.e);
            shuffled.entities[kind as keyof Snapshot['entities']] = Object.fromEntries(entries);
          }
          const file = toDeckFile(shuffled);
          expect(file).toBe(toDeckFile(s));
          expect(fromDeckFile(file, { meta: s.meta })).toEqual(s);
        },
      ),
      { numRuns: 60 },
    );
  });
});
