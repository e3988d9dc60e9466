/**
 * Golden cases for retention selection: each `test/fixtures/retention/NNN-name/` holds `backups.json`,
 * `policy.json` (the policy plus `now` and an optional `timeZone`) and `expected.json`.
 * Set UPDATE_GOLDEN=1 to rewrite expected.json after a deliberate rule change (then review the diff).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type RetentionCandidate,
  type RetentionPolicy,
  selectRetention,
} from '../../../src/core/retention.ts';

const root = join(import.meta.dirname, '../../fixtures/retention');
const cases = readdirSync(root).sort();
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('retention golden cases', () => {
  it('has at least eight cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases)('%s', (name) => {
    const dir = join(root, name);
    const backups = readJson(join(dir, 'backups.json')) as RetentionCandidate[];
    const { now, timeZone, ...policy } = readJson(join(dir, 'policy.json')) as RetentionPolicy & {
      now: string;
      timeZone?: string;
    };
    const actual = selectRetention(backups, policy, now, timeZone ? { timeZone } : {});
    if (process.env.UPDATE_GOLDEN === '1') {
      writeFileSync(join(dir, 'expected.json'), `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(actual).toEqual(readJson(join(dir, 'expected.json')));
    // Every backup lands in exactly one list.
    const seen = [...actual.keep.map((k) => k.id), ...actual.remove.map((r) => r.id)].sort();
    expect(seen).toEqual(backups.map((b) => b.id).sort());
  });
});
