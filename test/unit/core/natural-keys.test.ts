/**
 * matchNaturalKeys: id-less file entities take the id of the live entity their natural key names, as decK
 * does (go-database-reconciler pkg/file/builder.go; keys from pkg/state/*.go). The golden cases
 * (golden-natural-keys.test.ts) show whole plans; these pin the rules and the properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyPlanInMemory,
  buildSnapshot,
  CATALOGUE,
  ENTITY_KINDS,
  type EntityKind,
  keysOf,
  matchNaturalKeys,
  planRestore,
  type Snapshot,
  type UnkeyedIds,
} from '../../../src/core/index.ts';
import { gatewayArbitrary } from '../../support/gateway-arbitrary.ts';
import { rekeySnapshot, seededIds } from '../../support/rekey.ts';

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) };
const META = {
  format: 1,
  kongVersion: '3.9.1',
  edition: 'community' as const,
  database: 'postgres' as const,
  workspace: null,
  takenAt: '2025-01-01T00:00:00.000Z',
};

/** Every id of `s` marked as one the file did not carry (members are derived from their parents). */
function allUnkeyed(s: Snapshot): UnkeyedIds {
  const out: UnkeyedIds = {};
  for (const kind of ENTITY_KINDS) {
    if (kind === 'consumer_group_members') continue;
    const ids = Object.keys(s.entities[kind] ?? {});
    if (ids.length > 0) out[kind] = new Set(ids);
  }
  return out;
}

const svc = (id: string, name: string, host = 'h.internal') => ({
  id,
  name,
  host,
  port: 80,
  protocol: 'http',
});

describe('matchNaturalKeys rules', () => {
  it('an id the file gave is never replaced, and its live entity is not handed to an id-less one', () => {
    const live = buildSnapshot(META, {
      services: { L1: svc('L1', 'orders'), L2: svc('L2', 'users', 'users.internal') },
    });
    // the file names L1 explicitly for "users"; its id-less "orders" must not take L1
    const file = buildSnapshot(META, { services: { L1: svc('L1', 'users'), F2: svc('F2', 'orders') } });
    const { target, matched } = matchNaturalKeys(file, live, { services: new Set(['F2']) });
    expect(Object.keys(target.entities.services ?? {}).sort()).toEqual(['F2', 'L1']);
    expect(matched).toEqual({});
  });

  it('a key two live entities share is no match (ambiguous); one live entity is claimed once', () => {
    const cred = (id: string, consumer: string, key: string) => ({ id, consumer: { id: consumer }, key });
    const live = buildSnapshot(META, {
      consumers: { C1: { id: 'C1', username: 'a' }, C2: { id: 'C2', username: 'b', custom_id: 'a' } },
      keyauth_credentials: { K1: cred('K1', 'C1', 'k') },
    });
    const file = buildSnapshot(META, {
      consumers: { F1: { id: 'F1', username: 'a' }, F2: { id: 'F2', custom_id: 'a' } },
      keyauth_credentials: { FK: cred('FK', 'F1', 'k'), FK2: cred('FK2', 'F2', 'k') },
    });
    const { target } = matchNaturalKeys(file, live, allUnkeyed(file));
    // F1 finds C1 by username; F2 (custom_id a) finds C2; the one live key goes to the first claimant only
    expect(Object.keys(target.entities.consumers ?? {})).toEqual(['C1', 'C2']);
    expect(target.entities.keyauth_credentials?.K1?.consumer).toEqual({ id: 'C1' });
    expect(target.entities.keyauth_credentials?.FK2?.consumer).toEqual({ id: 'C2' });
  });

  it('children, plugin scopes and group members follow their matched parents; the input is not changed', () => {
    const live = buildSnapshot(META, {
      services: { S: svc('S', 'orders') },
      consumers: { C: { id: 'C', username: 'alice' } },
      consumer_groups: { G: { id: 'G', name: 'gold' } },
    });
    const file = buildSnapshot(META, {
      services: { fs: svc('fs', 'orders') },
      consumers: { fc: { id: 'fc', username: 'alice' } },
      consumer_groups: { fg: { id: 'fg', name: 'gold' } },
      routes: { fr: { id: 'fr', name: 'r', paths: ['/'], service: { id: 'fs' } } },
      consumer_group_members: {
        'fg:fc': { id: 'fg:fc', consumer_group: { id: 'fg' }, consumer: { id: 'fc' } },
      },
      plugins: {
        fp: {
          id: 'fp',
          name: 'acl',
          service: { id: 'fs' },
          consumer: { id: 'fc' },
          consumer_group: { id: 'fg' },
        },
      },
    });
    const before = JSON.stringify(file);
    const { target } = matchNaturalKeys(file, live, allUnkeyed(file));
    expect(JSON.stringify(file)).toBe(before);
    expect(target.entities.routes?.fr?.service).toEqual({ id: 'S' });
    expect(target.entities.consumer_group_members?.['G:C']).toEqual({
      id: 'G:C',
      consumer_group: { id: 'G' },
      consumer: { id: 'C' },
    });
    expect(target.entities.plugins?.fp).toMatchObject({
      service: { id: 'S' },
      consumer: { id: 'C' },
      consumer_group: { id: 'G' },
    });
  });

  it('targets match after the :8000 Kong appends; mtls-auth credentials never match (decK needs their id)', () => {
    const live = buildSnapshot(META, {
      upstreams: { U: { id: 'U', name: 'up' } },
      targets: { T: { id: 'T', upstream: { id: 'U' }, target: '10.0.0.1:8000' } },
    });
    const file = buildSnapshot(META, {
      upstreams: { fu: { id: 'fu', name: 'up' } },
      targets: { ft: { id: 'ft', upstream: { id: 'fu' }, target: '10.0.0.1' } },
    });
    expect(Object.keys(matchNaturalKeys(file, live, allUnkeyed(file)).target.entities.targets ?? {})).toEqual(
      ['T'],
    );
    expect(
      keysOf(CATALOGUE.mtls_auth_credentials, { id: 'm', consumer: { id: 'c' }, subject_name: 'CN=x' }),
    ).toEqual([]);
  });
});

/** The entity has a key of its own, and no other entity of `s` shares it (decK's indexes are unique). */
function keyed(kind: EntityKind, s: Snapshot, id: string): boolean {
  const e = s.entities[kind]?.[id];
  if (e === undefined) return false;
  const keys = keysOf(CATALOGUE[kind], e);
  if (keys.length === 0) return false;
  return Object.values(s.entities[kind] ?? {}).every(
    (other) => other.id === id || !keysOf(CATALOGUE[kind], other).some((k) => keys.includes(k)),
  );
}

describe('matchNaturalKeys properties', () => {
  it('the same gateway under random ids (built by hand) matches whole: no creates or deletes of keyed entities, then converges', () => {
    fc.assert(
      fc.property(gatewayArbitrary, fc.nat(), (live, seed) => {
        const file = rekeySnapshot(live, seededIds(seed + 1));
        const { target } = matchNaturalKeys(file, live, allUnkeyed(file));
        const plan = planRestore(live, target);
        expect(plan.refusals).toEqual([]);
        for (const step of plan.steps) {
          // what still changes has no key of its own (unnamed routes that are not unique, mtls-auth)
          if (step.op !== 'update') {
            const where = step.op === 'create' ? target : live;
            if (step.kind !== 'consumer_group_members' && step.kind !== 'plugins') {
              expect(keyed(step.kind, where, step.id), `${step.op} ${step.kind} ${step.name}`).toBe(false);
            }
          }
        }
        // second apply: nothing to write, every id as the first apply left it
        const after = applyPlanInMemory(live, plan);
        const again = matchNaturalKeys(file, after, allUnkeyed(file));
        expect(planRestore(after, again.target).steps).toEqual([]);
        for (const kind of ENTITY_KINDS) {
          expect(Object.keys(again.target.entities[kind] ?? {}).sort()).toEqual(
            Object.keys(after.entities[kind] ?? {}).sort(),
          );
        }
      }),
      RUNS,
    );
  });
});
