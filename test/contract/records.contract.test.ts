/**
 * The records port's contract (src/app/ports/records.ts), run against every implementation registered
 * in `implementations.ts`: the status machines as conditional updates, one active restore per
 * connection, approvals bound to the plan hash and a second person, and audit rows chained under the
 * store's writer lock so `src/audit` verifies them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Records } from '../../src/app/ports/records.ts';
import {
  RehearsalInProgressError,
  RestoreInProgressError,
  TransitionError,
} from '../../src/app/ports/records.ts';
import { createAuditLog } from '../../src/audit/index.ts';
import { RECORDS_UNDER_TEST } from './implementations.ts';

const MINUTE = 60_000;
const PLAN = 'a'.repeat(64);

describe.each(RECORDS_UNDER_TEST)('records port: $name', (impl) => {
  let records: Records;
  let cleanup: () => Promise<void>;
  let now: number;
  let n: number;

  beforeEach(async () => {
    now = Date.parse('2026-12-01T10:00:00Z');
    n = 0;
    ({ records, cleanup } = await impl.open({
      now: () => new Date(now),
      newId: () => `id-${String(++n).padStart(4, '0')}`,
    }));
  });
  afterEach(() => cleanup());

  const completion = (name = 'kong-prod-x.sgb') => ({
    counts: { services: 2 },
    bytes: 10,
    sha256: 's'.repeat(64),
    keyId: 'k1',
    artifactName: name,
    copies: [{ target: 'primary', location: `/p/${name}`, sha256: 's'.repeat(64) }],
  });

  it('moves a backup pending → running → completed, with its copies, and refuses other moves', async () => {
    await expect(records.ping()).resolves.toBeUndefined(); // /readyz: the database answers
    const b = await records.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    expect(b).toMatchObject({ status: 'pending', attempts: 0, type: 'manual', slack: null });
    expect((await records.backups.markRunning(b.id)).attempts).toBe(1);
    now += 1000;
    const done = await records.backups.markCompleted(b.id, completion());
    expect(done).toMatchObject({
      status: 'completed',
      artifactName: 'kong-prod-x.sgb',
      counts: { services: 2 },
    });
    expect((await records.backups.listCopies(b.id)).map((c) => c.target)).toEqual(['primary']);
    expect(await records.backups.findLatestCompleted('prod')).toMatchObject({ id: b.id });
    const err = await records.backups
      .markFailed(b.id, { code: 'unexpected', reason: 'late' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransitionError);
    expect(err).toMatchObject({ from: 'completed', to: 'failed' });
  });

  it('records a rewrite (gdpr erase): same id, new artifact and checksums, rewritten copies only, marked', async () => {
    const b = await records.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    await records.backups.markRunning(b.id);
    await records.backups.markCompleted(b.id, {
      ...completion('kong-prod-a.sgb'),
      copies: [
        { target: 'primary', location: '/p/kong-prod-a.sgb', sha256: 'a'.repeat(64) },
        { target: 's3:locked', location: 's3://b/kong-prod-a.sgb', sha256: 'a'.repeat(64) },
      ],
    });
    expect((await records.backups.get(b.id))?.rewrittenAt).toBeNull();
    now += 60_000;
    const rewritten = await records.backups.recordRewrite(b.id, {
      artifactName: 'kong-prod-a-r1.sgb',
      counts: { services: 2, consumers: 0 },
      bytes: 9,
      sha256: 'b'.repeat(64),
      contentSha256: 'c'.repeat(64),
      keyId: 'k2',
      copies: [{ target: 'primary', location: '/p/kong-prod-a-r1.sgb', sha256: 'b'.repeat(64) }],
    });
    expect(rewritten).toMatchObject({
      id: b.id,
      status: 'completed',
      artifactName: 'kong-prod-a-r1.sgb',
      sha256: 'b'.repeat(64),
      contentSha256: 'c'.repeat(64),
      keyId: 'k2',
      bytes: 9,
      counts: { services: 2, consumers: 0 },
    });
    expect(rewritten.rewrittenAt?.getTime()).toBe(now);
    const copies = await records.backups.listCopies(b.id);
    expect(copies.map((c) => [c.target, c.location, c.sha256[0]])).toEqual([
      ['primary', '/p/kong-prod-a-r1.sgb', 'b'],
      ['s3:locked', 's3://b/kong-prod-a.sgb', 'a'],
    ]);
    await expect(
      records.backups.recordRewrite('missing', { ...completion(), contentSha256: 'c'.repeat(64) }),
    ).rejects.toThrow(/missing/);
  });

  it("stores a failure's code next to its reason, for backups and restores", async () => {
    const b = await records.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    expect(b).toMatchObject({ failureCode: null, failureReason: null });
    await records.backups.markRunning(b.id);
    const failed = await records.backups.markFailed(b.id, { code: 'gateway_auth', reason: 'wrong token' });
    expect(failed).toMatchObject({
      status: 'failed',
      failureCode: 'gateway_auth',
      failureReason: 'wrong token',
    });
    expect(await records.backups.get(b.id)).toMatchObject({ failureCode: 'gateway_auth' });

    const ok = await records.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    await records.backups.markRunning(ok.id);
    await records.backups.markCompleted(ok.id, completion());
    const r = await records.restores.create({
      connection: 'prod',
      backupId: ok.id,
      requestedBy: 'U1',
      reason: 'test',
      expiresAt: new Date(now + MINUTE),
    });
    expect(r).toMatchObject({ failureCode: null });
    const done = await records.restores.finish(r.id, 'failed', {
      failure: { code: 'plan_refused', reason: 'the plan would break the gateway' },
    });
    expect(done).toMatchObject({
      failureCode: 'plan_refused',
      failureReason: 'the plan would break the gateway',
    });
    expect(await records.restores.get(r.id)).toMatchObject({ failureCode: 'plan_refused' });
  });

  it('lists backups newest first and pages with `before`', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      now += MINUTE;
      ids.push((await records.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' })).id);
    }
    const first = await records.backups.listByConnection('prod', { limit: 2 });
    expect(first.map((b) => b.id)).toEqual([ids[2], ids[1]]);
    const next = await records.backups.listByConnection('prod', { limit: 2, before: first[1]!.id });
    expect(next.map((b) => b.id)).toEqual([ids[0]]);
  });

  it("reports per copy target the connection's newest verification, wherever it landed", async () => {
    const take = async (connection: string, name: string, targets: string[]) => {
      const b = await records.backups.create({ connection, type: 'manual', requestedBy: 'U1' });
      await records.backups.markRunning(b.id);
      await records.backups.markCompleted(b.id, {
        ...completion(name),
        copies: targets.map((target) => ({ target, location: `/${target}/${name}`, sha256: 's'.repeat(64) })),
      });
      return b;
    };
    const older = await take('prod', 'a.sgb', ['primary', 'directory:/offsite']);
    now += MINUTE;
    const newer = await take('prod', 'b.sgb', ['primary', 'directory:/offsite']);
    const other = await take('staging', 'c.sgb', ['primary']);
    expect(await records.backups.latestCopyChecks('prod')).toEqual([]);

    now += MINUTE;
    await records.backups.recordVerification(older.id, [
      { target: 'primary', location: '/primary/a.sgb', ok: true },
      { target: 'directory:/offsite', location: '/directory:/offsite/a.sgb', ok: false, problem: 'missing' },
    ]);
    now += MINUTE;
    const checkedAt = new Date(now);
    await records.backups.recordVerification(newer.id, [
      { target: 'primary', location: '/primary/b.sgb', ok: false, problem: 'sha256 mismatch' },
    ]);
    now += MINUTE;
    await records.backups.recordVerification(other.id, [{ target: 'primary', location: '/p', ok: true }]);

    const checks = await records.backups.latestCopyChecks('prod');
    expect(checks.map((c) => [c.target, c.backupId, c.verifyOk, c.verifyProblem])).toEqual([
      ['directory:/offsite', older.id, false, 'missing'],
      ['primary', newer.id, false, 'sha256 mismatch'],
    ]);
    expect(checks[1]!.verifiedAt).toEqual(checkedAt);
    expect(checks[1]!.location).toBe('/primary/b.sgb');
  });

  it('holds one active restore per connection, binds the approval to the plan and a second person', async () => {
    const b = await records.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    const r = await records.restores.create({
      connection: 'prod',
      backupId: b.id,
      requestedBy: 'UREQ',
      reason: 'incident',
      expiresAt: new Date(now + 30 * MINUTE),
    });
    const second = await records.restores
      .create({
        connection: 'prod',
        backupId: b.id,
        requestedBy: 'U2',
        reason: 'again',
        expiresAt: new Date(now + MINUTE),
      })
      .catch((e: unknown) => e);
    expect(second).toBeInstanceOf(RestoreInProgressError);
    expect(second).toMatchObject({ activeRestoreId: r.id });

    await records.restores.markAwaitingApproval(r.id, {
      planHash: PLAN,
      liveFingerprint: 'f'.repeat(64),
      planSummary: { steps: 1 },
    });
    expect(
      await records.restores.approve({ restoreId: r.id, approver: 'UREQ', planHash: PLAN }),
    ).toMatchObject({
      ok: false,
      refusal: 'self_approval',
    });
    expect(
      await records.restores.approve({ restoreId: r.id, approver: 'UAPP', planHash: 'b'.repeat(64) }),
    ).toMatchObject({ ok: false, refusal: 'plan_changed' });
    const [one, two] = await Promise.all([
      records.restores.approve({ restoreId: r.id, approver: 'UAPP', planHash: PLAN }),
      records.restores.approve({ restoreId: r.id, approver: 'UAPP2', planHash: PLAN }),
    ]);
    expect([one.ok, two.ok].filter(Boolean)).toHaveLength(1);
    expect(await records.restores.findActive('prod')).toMatchObject({ id: r.id, status: 'approved' });

    expect(await records.restores.heartbeat(r.id)).toBe(false); // approved: no heartbeat yet
    await records.restores.markRunning(r.id);
    now += MINUTE;
    expect(await records.restores.heartbeat(r.id)).toBe(true);
    expect((await records.restores.get(r.id))?.updatedAt.getTime()).toBe(now);
    await records.restores.recordSteps(r.id, [
      {
        seq: 1,
        phase: 'upsert',
        op: 'create',
        kind: 'services',
        entityId: 'e1',
        name: 's',
        status: 'ok',
        error: null,
      },
    ]);
    await records.restores.finish(r.id, 'completed');
    expect(await records.restores.heartbeat(r.id)).toBe(false); // finished: its worker must stop
    expect(await records.restores.findActive('prod')).toBeNull();
    expect((await records.restores.listSteps(r.id)).map((s) => s.status)).toEqual(['ok']);
  });

  it('records many step results in order, each once: a second write of a step replaces it', async () => {
    const b = await records.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    const r = await records.restores.create({
      connection: 'prod',
      backupId: b.id,
      requestedBy: 'U1',
      reason: 'steps',
      expiresAt: new Date(now + MINUTE),
    });
    // 123 rows: more than one multi-row statement and a remainder written row by row
    const step = (seq: number, status: 'ok' | 'failed' | 'not_attempted') => ({
      seq,
      phase: 'upsert',
      op: 'create',
      kind: 'consumers',
      entityId: `c${seq}`,
      name: `consumer-${seq}`,
      status,
      error: status === 'failed' ? { status: 409, message: `unique violation ${seq}` } : null,
    });
    await records.restores.recordSteps(
      r.id,
      Array.from({ length: 123 }, (_, i) => step(i, i % 40 === 7 ? 'failed' : 'ok')),
    );
    // the same seqs written again (a resumed run) replace the rows instead of failing or duplicating
    await records.restores.recordSteps(
      r.id,
      Array.from({ length: 60 }, (_, i) => step(100 + i, 'not_attempted')),
    );
    const listed = await records.restores.listSteps(r.id);
    expect(listed.map((s) => s.seq)).toEqual(Array.from({ length: 160 }, (_, i) => i));
    expect(listed.filter((s) => s.status === 'failed').map((s) => [s.seq, s.error])).toEqual(
      [7, 47, 87].map((seq) => [seq, { status: 409, message: `unique violation ${seq}` }]),
    );
    expect(listed.filter((s) => s.status === 'not_attempted')).toHaveLength(60);
    expect(listed[99]).toMatchObject({ seq: 99, entityId: 'c99', name: 'consumer-99', status: 'ok' });
  });

  it('lets exactly one of two racing writers win: restore creation, backup completion', async () => {
    const b = await records.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    const request = (requestedBy: string) =>
      records.restores
        .create({
          connection: 'prod',
          backupId: b.id,
          requestedBy,
          reason: 'race',
          expiresAt: new Date(now + MINUTE),
        })
        .catch((e: unknown) => e);
    const created = await Promise.all([request('UA'), request('UB'), request('UC')]);
    const winners = created.filter((r) => !(r instanceof Error));
    expect(winners).toHaveLength(1);
    for (const lost of created.filter((r) => r instanceof Error)) {
      expect(lost).toBeInstanceOf(RestoreInProgressError);
      expect(lost).toMatchObject({ activeRestoreId: (winners[0] as { id: string }).id });
    }

    await records.backups.markRunning(b.id);
    const done = await Promise.all([
      records.backups.markCompleted(b.id, completion('one.sgb')).catch((e: unknown) => e),
      records.backups.markCompleted(b.id, completion('two.sgb')).catch((e: unknown) => e),
    ]);
    expect(done.filter((d) => d instanceof TransitionError)).toHaveLength(1);
    const winner = done.find((d) => !(d instanceof Error)) as { artifactName: string };
    expect((await records.backups.get(b.id))?.artifactName).toBe(winner.artifactName);
    expect(await records.backups.listCopies(b.id)).toHaveLength(1);
  });

  it('expires a request whose window passed, and only then', async () => {
    const b = await records.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    const r = await records.restores.create({
      connection: 'prod',
      backupId: b.id,
      requestedBy: 'UREQ',
      reason: 'incident',
      expiresAt: new Date(now + MINUTE),
    });
    expect(await records.restores.expire(r.id)).toBeNull();
    now += 2 * MINUTE;
    expect(await records.restores.expire(r.id)).toMatchObject({ status: 'expired' });
  });

  it('stores audit rows chained under its lock; the audit log over it verifies and pages', async () => {
    const audit = createAuditLog(records.audit, { now: () => new Date(now) });
    for (let i = 0; i < 5; i++) {
      await audit.append({
        actor: 'system',
        action: 'backup.requested',
        connection: i % 2 ? 'a' : 'b',
        outcome: 'ok',
      });
    }
    expect(await records.audit.head()).toMatchObject({ seq: 5 });
    expect(await records.audit.highestSeqEverUsed()).toBe(5);
    expect((await records.audit.rowsAfter(2, 2)).map((r) => r.seq)).toEqual([3, 4]);
    expect((await records.audit.list({ connection: 'a' })).map((r) => r.seq)).toEqual([4, 2]);
    expect((await records.audit.list({ action: 'backup.*', limit: 1 })).map((r) => r.seq)).toEqual([5]);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 5, head: { seq: 5 } });
    const rows = await Promise.all(
      [1, 2, 3].map(() => audit.append({ actor: 'system', action: 'config.loaded', outcome: 'ok' })),
    );
    expect(rows.map((r) => r.seq).sort()).toEqual([6, 7, 8]);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 8 });
  });
  it('runs one rehearsal per scratch target at a time, finishes it once, lists newest first', async () => {
    const b = await records.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    const input = { connection: 'prod', target: 'scratch', backupId: b.id, requestedBy: 'system' };
    const first = await records.rehearsals.start(input);
    expect(first).toMatchObject({ status: 'running', finishedAt: null, drift: null, failure: null });
    const busy = await records.rehearsals.start({ ...input, connection: 'staging' }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(RehearsalInProgressError);
    expect(busy).toMatchObject({ target: 'scratch', activeId: first.id });
    // another scratch target is free
    const other = await records.rehearsals.start({ ...input, target: 'scratch-2' });
    now += 5 * MINUTE;
    expect(await records.rehearsals.listSilent(new Date(now - MINUTE))).toHaveLength(2);
    expect(await records.rehearsals.heartbeat(first.id)).toBe(true);
    expect((await records.rehearsals.listSilent(new Date(now - MINUTE))).map((r) => r.id)).toEqual([
      other.id,
    ]);
    const passed = await records.rehearsals.finish(first.id, {
      status: 'passed',
      durationMs: 1234,
      entities: 40,
      applied: 38,
      drift: 0,
      failure: null,
    });
    expect(passed).toMatchObject({ status: 'passed', durationMs: 1234, entities: 40, applied: 38, drift: 0 });
    expect(passed.finishedAt?.getTime()).toBe(now);
    expect(await records.rehearsals.heartbeat(first.id)).toBe(false);
    const again = await records.rehearsals
      .finish(first.id, {
        status: 'failed',
        durationMs: 1,
        entities: null,
        applied: null,
        drift: null,
        failure: null,
      })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TransitionError);
    expect(again).toMatchObject({ from: 'passed', to: 'failed' });
    // the target is free again
    now += 1000;
    const second = await records.rehearsals.start(input);
    const failed = await records.rehearsals.finish(second.id, {
      status: 'failed',
      durationMs: 99,
      entities: 40,
      applied: 12,
      drift: 3,
      failure: { code: 'not_converged', reason: '3 differences left after the restore' },
    });
    expect(failed.failure).toEqual({ code: 'not_converged', reason: '3 differences left after the restore' });
    expect((await records.rehearsals.listByConnection('prod')).map((r) => r.id)).toEqual([
      second.id,
      other.id,
      first.id,
    ]);
    expect(await records.rehearsals.listByConnection('prod', { limit: 1 })).toHaveLength(1);
    expect(await records.rehearsals.get(second.id)).toMatchObject({ status: 'failed', drift: 3 });
  });

  it('keeps one watch state per connection and problem: replaced in place, listed, forgotten', async () => {
    expect(await records.watch.get('prod', 'backup-failed')).toBeNull();
    const first = {
      connection: 'prod',
      problem: 'backup-failed',
      fingerprint: 'gateway_unreachable',
      raisedAt: new Date(now),
      notifiedAt: new Date(now),
      repeats: 0,
      slack: { channel: 'C1', ts: '1.000001' },
    };
    await records.watch.put(first);
    expect(await records.watch.get('prod', 'backup-failed')).toEqual(first);
    const repeated = { ...first, notifiedAt: new Date(now + MINUTE), repeats: 1 };
    await records.watch.put(repeated);
    expect(await records.watch.get('prod', 'backup-failed')).toEqual(repeated);
    const drift = {
      ...first,
      problem: 'drift',
      fingerprint: PLAN,
      raisedAt: new Date(now + 2 * MINUTE),
      slack: null,
    };
    await records.watch.put(drift);
    await records.watch.put({ ...first, connection: 'staging' });
    expect((await records.watch.listByConnection('prod')).map((s) => s.problem)).toEqual([
      'backup-failed',
      'drift',
    ]);
    expect(await records.watch.get('prod', 'drift')).toEqual(drift);
    expect(await records.watch.remove('prod', 'backup-failed')).toBe(true);
    expect(await records.watch.remove('prod', 'backup-failed')).toBe(false);
    expect(await records.watch.get('prod', 'backup-failed')).toBeNull();
    expect(await records.watch.get('staging', 'backup-failed')).not.toBeNull();
  });
});
