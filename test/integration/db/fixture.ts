/** A real SQLite file in a temp dir with migrations applied, a settable clock and counting ids. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepositories, type Db, openDatabase, type Repositories } from '../../../src/db/index.ts';

export interface TestClock {
  now: () => Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(startIso = '2026-11-20T14:00:00.000Z'): TestClock {
  let t = Date.parse(startIso);
  return {
    now: () => new Date(t),
    set: (iso) => {
      t = Date.parse(iso);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface TestDb {
  dir: string;
  path: string;
  db: Db;
  clock: TestClock;
  repos: Repositories;
  /** another connection to the same file, as a second process would have */
  reopen(): Db;
  cleanup(): void;
}

export function openTestDb(): TestDb {
  const dir = mkdtempSync(join(tmpdir(), 'snapgate-db-'));
  const path = join(dir, 'snapgate.db');
  const db = openDatabase(path);
  const clock = testClock();
  let n = 0;
  const repos = createRepositories(db, { now: clock.now, newId: () => `id-${String(++n).padStart(4, '0')}` });
  const opened: Db[] = [db];
  return {
    dir,
    path,
    db,
    clock,
    repos,
    reopen: () => {
      const other = openDatabase(path);
      opened.push(other);
      return other;
    },
    cleanup: () => {
      for (const d of opened) d.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
