import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMigrationsFolder } from '../../../src/db/index.ts';
import { openTestDb, type TestDb } from './fixture.ts';

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

const journal: Journal = JSON.parse(
  readFileSync(join(defaultMigrationsFolder(), 'meta', '_journal.json'), 'utf8'),
);

describe('migrations', () => {
  let t: TestDb | undefined;
  afterEach(() => t?.cleanup());

  // drizzle applies only migrations newer than the newest applied `when`: an out-of-order entry from a
  // merged branch would be skipped silently on every existing database.
  it('journal `when` values strictly increase and idx counts up', () => {
    expect(journal.entries.length).toBeGreaterThan(0);
    journal.entries.forEach((e, i) => {
      expect(e.idx).toBe(i);
      if (i > 0) expect(e.when).toBeGreaterThan(journal.entries[i - 1]!.when);
    });
  });

  it('a fresh database migrates to every table, with WAL and foreign keys on', () => {
    t = openTestDb();
    const tables = t.db.sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all();
    expect(tables).toEqual([
      '__drizzle_migrations',
      'approvals',
      'audit_events',
      'backup_copies',
      'backups',
      'rehearsals',
      'restore_steps',
      'restores',
      'verifications',
      'watch_states',
    ]);
    expect(t.db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(t.db.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(
      journal.entries.length,
    );
  });

  it('re-opening an up-to-date database applies nothing twice', () => {
    t = openTestDb();
    const again = t.reopen();
    expect(again.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(
      journal.entries.length,
    );
  });

  it.each([
    [
      'backups',
      "INSERT INTO backups (id, connection, type, status, requested_by, created_at) VALUES ('b', 'c', 'manual', 'done', 'U1', 0)",
      /backups_status_check/,
    ],
    [
      'backups',
      "INSERT INTO backups (id, connection, type, requested_by, created_at) VALUES ('b', 'c', 'nightly', 'U1', 0)",
      /backups_type_check/,
    ],
    [
      'restore_steps',
      "INSERT INTO restore_steps (restore_id, seq, phase, op, kind, entity_id, name, status, at) VALUES ('r', 1, 'upsert', 'create', 'services', 'x', 'x', 'skipped', 0)",
      /restore_steps_status_check/,
    ],
    [
      'audit_events',
      "INSERT INTO audit_events (time, actor, action, outcome, details, prev_hash, hash) VALUES (0, 'system', 'x', 'maybe', '{}', '', '')",
      /audit_events_outcome_check/,
    ],
  ])('the database refuses a bad enum value in %s', (_, statement, message) => {
    t = openTestDb();
    expect(() => t!.db.sqlite.exec(statement)).toThrow(message);
  });
});
