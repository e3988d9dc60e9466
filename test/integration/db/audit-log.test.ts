import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditInputError, type AuditLog, createAuditLog, hashEvent } from '../../../src/audit/index.ts';
import { SqliteAuditStore } from '../../../src/db/index.ts';
import { openTestDb, type TestDb } from './fixture.ts';

const HOUR = 3_600_000;
const PLAN = 'c'.repeat(64);

describe('audit log (SQLite)', () => {
  let t: TestDb;
  let audit: AuditLog;

  beforeEach(async () => {
    t = openTestDb();
    audit = createAuditLog(new SqliteAuditStore(t.db), { now: t.clock.now });
  });
  afterEach(() => t.cleanup());

  /** five events, one hour apart: seq 1..5 */
  async function seed() {
    const events = [
      { actor: 'system', action: 'config.loaded', outcome: 'ok', details: { connections: 2 } },
      { actor: 'U1ALICE', action: 'backup.requested', connection: 'prod', targetId: 'b1', outcome: 'ok' },
      {
        actor: 'system',
        action: 'backup.completed',
        connection: 'prod',
        targetId: 'b1',
        outcome: 'ok',
        details: { counts: { services: 3 } },
      },
      {
        actor: 'U2BOB',
        action: 'restore.approved',
        connection: 'staging',
        targetId: 'r1',
        outcome: 'ok',
        details: { planHash: PLAN },
      },
      {
        actor: 'U1ALICE',
        action: 'restore.approval_refused',
        connection: 'prod',
        targetId: 'r2',
        outcome: 'refused',
        details: { planHash: PLAN, reason: 'self_approval' },
      },
    ] as const;
    for (const e of events) {
      await audit.append(e);
      t.clock.advance(HOUR);
    }
  }

  function untrigger() {
    t.db.sqlite.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  }

  it('chains every row to the one before and verifies clean', async () => {
    await seed();
    const all = await audit.list();
    expect(all.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(all[4]!.prevHash).toBe('0'.repeat(64));
    for (let i = 0; i < 4; i++) expect(all[i]!.prevHash).toBe(all[i + 1]!.hash);
    expect(await audit.verify()).toEqual({ ok: true, checked: 5, head: { seq: 5, hash: all[0]!.hash } });
    expect(await audit.head()).toEqual({ seq: 5, hash: all[0]!.hash });
  });

  it('the database refuses UPDATE and DELETE on audit rows', async () => {
    await seed();
    expect(() => t.db.sqlite.exec("UPDATE audit_events SET actor = 'U9' WHERE seq = 2")).toThrow(
      /append-only: UPDATE refused/,
    );
    expect(() => t.db.sqlite.exec('DELETE FROM audit_events WHERE seq = 2')).toThrow(
      /append-only: DELETE refused/,
    );
  });

  it.each([
    [
      'an edited field',
      "UPDATE audit_events SET actor = 'U9MALLORY' WHERE seq = 3",
      3,
      /hash does not match/,
    ],
    [
      'edited details',
      `UPDATE audit_events SET details = '{"counts":{"services":4}}' WHERE seq = 3`,
      3,
      /hash does not match/,
    ],
    ['a deleted row', 'DELETE FROM audit_events WHERE seq = 3', 3, /row 3 is missing \(the next row is 4\)/],
    ['two deleted rows', 'DELETE FROM audit_events WHERE seq IN (2, 3)', 2, /rows 2–3 are missing/],
    ['a deleted first row', 'DELETE FROM audit_events WHERE seq = 1', 1, /row 1 is missing/],
    ['a deleted last row', 'DELETE FROM audit_events WHERE seq = 5', 5, /row 5 was removed from the end/],
    [
      'reordered rows',
      'UPDATE audit_events SET seq = 99 WHERE seq = 2; UPDATE audit_events SET seq = 2 WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = 99;',
      2,
      /prev_hash does not match the hash of row 1/,
    ],
  ])('verify names the first broken row after %s', async (_, tamper, seq, reason) => {
    await seed();
    untrigger();
    t.db.sqlite.exec(tamper);
    const result = await audit.verify();
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(seq);
    expect(result.firstBroken?.reason).toMatch(reason);
    expect(result.checked).toBe(seq - 1);
  });

  it('a row rewritten with a freshly computed hash is caught at the next row', async () => {
    await seed();
    untrigger();
    const row = (await audit.list({ beforeSeq: 4, limit: 1 }))[0]!;
    const forged = { ...row, actor: 'U9MALLORY' };
    const hash = hashEvent(row.prevHash, forged);
    t.db.sqlite.prepare('UPDATE audit_events SET actor = ?, hash = ? WHERE seq = 3').run('U9MALLORY', hash);
    expect((await audit.verify()).firstBroken).toEqual({
      seq: 4,
      reason: 'prev_hash does not match the hash of row 3',
    });
  });

  it('an appended row after a removed tail leaves a gap instead of hiding it', async () => {
    await seed();
    untrigger();
    t.db.sqlite.exec('DELETE FROM audit_events WHERE seq = 5');
    const next = await audit.append({ actor: 'system', action: 'prune.completed', outcome: 'ok' });
    expect(next.seq).toBe(6);
    expect((await audit.verify()).firstBroken).toEqual({
      seq: 5,
      reason: 'row 5 is missing (the next row is 6)',
    });
  });

  it('a published anchor catches a truncated tail even when the sequence counter was reset too', async () => {
    await seed();
    const anchor = (await audit.head())!;
    untrigger();
    t.db.sqlite.exec(
      "DELETE FROM audit_events WHERE seq >= 4; UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_events'",
    );
    expect((await audit.verify()).ok).toBe(true);
    expect((await audit.verify({ anchor })).firstBroken).toEqual({
      seq: 4,
      reason: 'rows 4–5 before the published anchor are missing',
    });
  });

  it.each([
    [{ connection: 'prod' }, [5, 3, 2]],
    [{ actor: 'U1ALICE' }, [5, 2]],
    [{ action: 'restore.*' }, [5, 4]],
    [{ action: 'backup.completed' }, [3]],
    [{ since: new Date('2026-11-20T16:00:00Z') }, [5, 4, 3]],
    [{ limit: 2 }, [5, 4]],
    [{ beforeSeq: 3, limit: 5 }, [2, 1]],
    [{ connection: 'prod', actor: 'system' }, [3]],
    [{ action: 'restore%' }, []],
  ])('list %j → seqs %j', async (query, seqs) => {
    await seed();
    expect((await audit.list(query)).map((e) => e.seq)).toEqual(seqs);
  });

  it('refuses bad events with a clear message and writes nothing', async () => {
    await expect(
      audit.append({
        actor: 'system',
        action: 'config.loaded',
        outcome: 'ok',
        details: { kong: { token: 'kpat_123' } },
      }),
    ).rejects.toThrow('details.kong.token is named like one');
    await expect(audit.append({ actor: 'bob', action: 'config.loaded', outcome: 'ok' })).rejects.toThrow(
      AuditInputError,
    );
    await expect(
      audit.append({
        actor: 'U1',
        action: 'restore.approved',
        connection: 'prod',
        outcome: 'ok',
        details: {},
      }),
    ).rejects.toThrow(/must carry the plan hash/);
    expect(await audit.list()).toEqual([]);
  });

  it('stores details as they read back (undefined dropped, dates as ISO strings)', async () => {
    const e = await audit.append({
      actor: 'cli:alice',
      action: 'cli.command',
      outcome: 'ok',
      details: { at: new Date('2026-11-20T10:00:00Z'), skip: undefined, args: ['backups', 'list'] },
    });
    expect(e.details).toEqual({ at: '2026-11-20T10:00:00.000Z', args: ['backups', 'list'] });
    expect((await audit.verify()).ok).toBe(true);
  });

  it('four processes appending at once still form one unbroken chain', async () => {
    const run = promisify(execFile);
    const child = fileURLToPath(new URL('./audit-append-child.ts', import.meta.url));
    const startAt = String(Date.now() + 2500);
    await Promise.all(
      ['U1A', 'U2B', 'U3C', 'U4D'].map((actor) =>
        run(process.execPath, ['--import', 'tsx', child, t.path, actor, '25', startAt]),
      ),
    );
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: true, checked: 100, head: { seq: 100 } });
    for (const actor of ['U1A', 'U2B', 'U3C', 'U4D']) {
      expect(await audit.list({ actor, limit: 100 })).toHaveLength(25);
    }
  });
});
