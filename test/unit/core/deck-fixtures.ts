/** Loads the decK fixtures shared by the deck unit tests (and later the Kong integration tests). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../../src/core/index.ts';

export const DECK_FIXTURE_DIR = join(import.meta.dirname, '../../fixtures/deck');

export const DECK_FIXTURES: { name: string; text: string }[] = readdirSync(DECK_FIXTURE_DIR)
  .filter((f) => f.endsWith('.yaml') || f.endsWith('.json'))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(DECK_FIXTURE_DIR, name), 'utf8') }));

export function fixtureText(name: string): string {
  const hit = DECK_FIXTURES.find((f) => f.name === name);
  if (!hit) throw new Error(`no fixture ${name}`);
  return hit.text;
}

/** The same snapshot with each kind's entities inserted in the reverse order. */
export function reversedInsertion(s: Snapshot): Snapshot {
  const entities: Snapshot['entities'] = {};
  for (const [kind, map] of Object.entries(s.entities).reverse()) {
    entities[kind as keyof Snapshot['entities']] = Object.fromEntries(Object.entries(map ?? {}).reverse());
  }
  return { meta: s.meta, entities };
}
