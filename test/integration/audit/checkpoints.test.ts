/**
 * Issue 18 §1: signed checkpoints make the audit log tamper-evident against whoever can write the
 * database. Every case runs on a real SQLite file with the append-only triggers dropped (as an attacker
 * with database access would), against a checkpoint published to a real directory store.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuditCheckpointer,
  type AuditLog,
  type CheckpointEvent,
  type CheckpointKeys,
  checkpointKeyFromRingKey,
  createAuditLog,
  GENESIS_HASH,
  hashEvent,
  newestCheckpoint,
  parseCheckpoint,
  verifyAgainstCheckpoint,
} from '../../../src/audit/index.ts';
import { SqliteAuditStore } from '../../../src/db/index.ts';
import { checkpointStoreIn, type DirectoryCheckpointStore } from '../../../src/storage/index.ts';
import { openTestDb, type TestDb } from '../db/fixture.ts';

const MINUTE = 60_000;

describe('signed audit checkpoints (SQLite file, directory store)', () => {
  let t: TestDb;
  let audit: AuditLog;
  let store: DirectoryCheckpointStore;
  let keys: CheckpointKeys;
  let events: CheckpointEvent[];
  let checkpointer: AuditCheckpointer;

  beforeEach(() => {
    t = openTestDb();
    audit = createAuditLog(new SqliteAuditStore(t.db), { now: t.clock.now });
    store = checkpointStoreIn(join(t.dir, 'primary'));
    const key = checkpointKeyFromRingKey('k1', randomBytes(32));
    keys = { signing: key, verifying: [key] };
    events = [];
    checkpointer = new AuditCheckpointer({
      log: audit,
      keys,
      stores: [store],
      now: t.clock.now,
      announce: (e) => {
        events.push(e);
      },
    });
  });
  afterEach(() => t.cleanup());

  async function append(n: number) {
    for (let i = 0; i < n; i++) {
      await audit.append({ actor: 'U1ALICE', action: 'backup.requested', connection: 'prod', outcome: 'ok' });
      t.clock.advance(MINUTE);
    }
  }

  function untrigger() {
    t.db.sqlite.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  }

  async function published() {
    return (await newestCheckpoint([store]))!.checkpoint;
  }

  async function verifyNewest() {
    return verifyAgainstCheckpoint(audit, await published(), keys.verifying);
  }

  it('publishes a signed checkpoint of the head as a read-only file and announces it', async () => {
    await append(5);
    const r = await checkpointer.take('manual');
    const head = (await audit.head())!;
    expect(r.checkpoint).toMatchObject({ seq: 5, count: 5, hash: head.hash, keyId: 'ring:k1' });
    const files = readdirSync(store.dir);
    expect(files).toHaveLength(1);
    const path = join(store.dir, files[0]!);
    expect(r.locations).toEqual([path]);
    expect(parseCheckpoint(readFileSync(path, 'utf8'))).toEqual(r.checkpoint);
    expect(statSync(path).mode & 0o222).toBe(0);
    expect(events).toEqual([
      { kind: 'published', checkpoint: r.checkpoint, reason: 'manual', locations: [path] },
    ]);
    expect(await verifyNewest()).toMatchObject({ ok: true, finding: 'ok', checked: 5 });

    // a periodic run with no new rows signs nothing; new rows get a new checkpoint
    expect((await checkpointer.take('periodic')).skipped).toBe('no events since checkpoint #5');
    await append(2);
    expect((await checkpointer.take('periodic')).checkpoint).toMatchObject({ seq: 7, count: 7 });
    expect((await published()).seq).toBe(7);
  });

  it('EMPTIED: every row deleted and the sequence reset fails loudly (today: "ok: 0 events")', async () => {
    await append(5);
    await checkpointer.take('manual');
    untrigger();
    t.db.sqlite.exec("DELETE FROM audit_events; DELETE FROM sqlite_sequence WHERE name = 'audit_events'");
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 0 }); // the chain alone cannot tell
    const r = await verifyNewest();
    expect(r).toMatchObject({ ok: false, finding: 'emptied' });
    expect(r.message).toMatch(/^EMPTIED: the audit log has no rows, but checkpoint #5 \(5 events, signed /);
  });

  it('TRUNCATED: the newest rows cut and the sequence reset to an earlier value', async () => {
    await append(5);
    await checkpointer.take('manual');
    untrigger();
    t.db.sqlite.exec(
      "DELETE FROM audit_events WHERE seq >= 4; UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_events'",
    );
    expect((await audit.verify()).ok).toBe(true);
    const r = await verifyNewest();
    expect(r).toMatchObject({ ok: false, finding: 'truncated' });
    expect(r.message).toMatch(
      /^TRUNCATED: the audit log ends at row 3 but checkpoint #5 .* rows 4–5 are gone$/,
    );
  });

  it('REWRITTEN: the whole chain recomputed with an edited row', async () => {
    await append(5);
    await checkpointer.take('manual');
    untrigger();
    const rows = (await audit.list()).reverse();
    t.db.sqlite.exec('DELETE FROM audit_events');
    let prev = GENESIS_HASH;
    const insert = t.db.sqlite.prepare(
      'INSERT INTO audit_events (seq, time, actor, action, connection, target_id, outcome, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const row of rows) {
      const fields = { ...row, actor: row.seq === 2 ? 'U9MALLORY' : row.actor };
      const hash = hashEvent(prev, fields);
      insert.run(
        row.seq,
        row.time.getTime(),
        fields.actor,
        row.action,
        row.connection,
        row.targetId,
        row.outcome,
        JSON.stringify(row.details),
        prev,
        hash,
      );
      prev = hash;
    }
    expect((await audit.verify()).ok).toBe(true); // consistent in itself
    const r = await verifyNewest();
    expect(r).toMatchObject({ ok: false, finding: 'rewritten' });
    expect(r.message).toMatch(
      /^REWRITTEN: row 5's hash is [0-9a-f]{64}, but checkpoint #5 .* signed [0-9a-f]{64}/,
    );
  });

  it('REWRITTEN: a tail cut, the sequence reset and new rows appended past the checkpoint', async () => {
    await append(5);
    await checkpointer.take('manual');
    untrigger();
    t.db.sqlite.exec(
      "DELETE FROM audit_events WHERE seq >= 3; UPDATE sqlite_sequence SET seq = 2 WHERE name = 'audit_events'",
    );
    await append(4);
    expect((await audit.verify()).ok).toBe(true);
    expect(await verifyNewest()).toMatchObject({ ok: false, finding: 'rewritten' });
  });

  it('refuses to sign a head that does not extend the newest checkpoint, and says so', async () => {
    await append(5);
    await checkpointer.take('manual');
    untrigger();
    t.db.sqlite.exec(
      "DELETE FROM audit_events WHERE seq >= 4; UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_events'",
    );
    await append(3);
    const r = await checkpointer.take('periodic');
    expect(r.checkpoint).toBeNull();
    expect(r.refused).toMatch(/^audit chain does not extend checkpoint #5 .*row 5's hash differs/);
    expect(events.at(-1)).toMatchObject({ kind: 'refused', reason: 'periodic' });
    expect(readdirSync(store.dir)).toHaveLength(1);
    expect(await verifyNewest()).toMatchObject({ ok: false, finding: 'rewritten' });
  });

  it('a forged or unknown-key checkpoint is not trusted; no checkpoint at all is said to prove less', async () => {
    await append(3);
    expect(await verifyAgainstCheckpoint(audit, null, keys.verifying)).toMatchObject({
      ok: true,
      finding: 'unanchored',
    });
    const { checkpoint } = await checkpointer.take('manual');
    const forged = { ...checkpoint!, seq: 2, count: 2 };
    expect(await verifyAgainstCheckpoint(audit, forged, keys.verifying)).toMatchObject({
      ok: false,
      finding: 'bad_checkpoint',
    });
    const other = checkpointKeyFromRingKey('k1', randomBytes(32));
    const r = await verifyAgainstCheckpoint(audit, checkpoint, [other]);
    expect(r).toMatchObject({ ok: false, finding: 'bad_checkpoint' });
    expect(r.message).toMatch(/signature does not verify with ring:k1/);
  });
});
