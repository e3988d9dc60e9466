/**
 * Natural keys against a real Admin API (kong-sim): a decK file without ids, applied to a gateway built by
 * hand (one POST per entity, Kong picks random ids) or loaded by Kong's own `POST /config`, matches every
 * entity it names (go-database-reconciler pkg/file/builder.go): zero writes, every id unchanged; a route
 * renamed live is exactly one change.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type EntityKind, importDeckFile, type Snapshot } from '../../../src/core/index.ts';
import { dumpGateway } from '../../../src/kong/index.ts';
import { buildByHand } from '../../support/build-by-hand.ts';
import { closeAll, gateway, snapgate } from './helpers.ts';

afterAll(closeAll);

// the file as written: plugin configs without Kong's defaults, which the engine fills before it plans
const TEXT = readFileSync(
  join(import.meta.dirname, '../../fixtures/natural-keys/001-every-kind-matches/file.yaml'),
  'utf8',
);
const FILE = join(mkdtempSync(join(tmpdir(), 'snapgate-natural-keys-')), 'file.yaml');
writeFileSync(FILE, TEXT);

function idsOf(s: Snapshot): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(s.entities).map(([kind, map]) => [kind, Object.keys(map ?? {}).sort()]),
  );
}

describe('natural keys: a file without ids on a gateway snapgate did not build', () => {
  it('DB mode, built by hand: apply writes nothing and keeps every id; a live rename is one change', async () => {
    const { sim, client } = await gateway();
    const made = await buildByHand(sim.url, importDeckFile(TEXT).snapshot);
    const before = await dumpGateway(client, { takenAt: 'now' });
    expect(Object.values(before.meta.counts).reduce((a, b) => a + (b ?? 0), 0)).toBe(22);
    const url = ['--kong-url', sim.url];
    const writes = sim.state.writes;

    const applied = await snapgate(['apply', ...url, FILE, '--yes']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Nothing to apply: the gateway already matches.');
    expect(sim.state.writes).toBe(writes);
    expect(idsOf(await dumpGateway(client, { takenAt: 'now' }))).toEqual(idsOf(before));

    const routeId = made
      .get('routes' as EntityKind)
      ?.values()
      .next().value as string;
    const renamed = await fetch(`${sim.url}/routes/${routeId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"renamed-by-hand"}',
    });
    expect(renamed.status).toBe(200);
    const afterRename = sim.state.writes;
    const drift = await snapgate(['diff', ...url, FILE, '--exit-code']);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/^updating route orders-api\b/m);
    expect(drift.stdout).toMatch(/Summary:\n {2}Created: 0\n {2}Updated: 1\n {2}Deleted: 0/);

    const fixed = await snapgate(['apply', ...url, FILE, '--yes']);
    expect(fixed.code).toBe(0);
    expect(sim.state.writes).toBe(afterRename + 1);
    expect(idsOf(await dumpGateway(client, { takenAt: 'now' }))).toEqual(idsOf(before));
  });

  it('DB-less, loaded by Kong’s own POST /config: apply writes nothing and keeps every id', async () => {
    const { sim, client } = await gateway({ dbless: true });
    const loaded = await fetch(`${sim.url}/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ config: TEXT }),
    });
    expect(loaded.status).toBe(201);
    const before = await dumpGateway(client, { takenAt: 'now' });
    const writes = sim.state.writes;

    const applied = await snapgate(['apply', '--kong-url', sim.url, FILE, '--yes']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Nothing to apply: the gateway already matches.');
    expect(sim.state.writes).toBe(writes);
    expect(idsOf(await dumpGateway(client, { takenAt: 'now' }))).toEqual(idsOf(before));
  });
});
