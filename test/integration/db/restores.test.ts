import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, RestoreInProgressError, TransitionError } from '../../../src/db/index.ts';
import { openTestDb, type TestDb } from './fixture.ts';

const MINUTE = 60_000;
const plan = (hash = 'p'.repeat(64)) => ({
  planHash: hash,
  liveFingerprint: 'f'.repeat(64),
  planSummary: { counts: { plugins: { create: 1, update: 0, delete: 2 } } },
});

describe('RestoreRepository (SQLite)', () => {
  let t: TestDb;
  let backupId: string;

  beforeEach(async () => {
    t = openTestDb();
    const b = await t.repos.backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    backupId = b.id;
  });
  afterEach(() => t.cleanup());

  async function awaiting(over: { breakGlass?: boolean; connection?: string } = {}) {
    const r = await t.repos.restores.create({
      connection: over.connection ?? 'prod',
      backupId,
      requestedBy: 'UREQ',
      reason: 'incident 42',
      onlySections: ['plugins'],
      breakGlass: over.breakGlass ?? false,
      expiresAt: new Date(t.clock.now().getTime() + 30 * MINUTE),
    });
    return t.repos.restores.markAwaitingApproval(r.id, plan());
  }

  it('runs the full two-person path and records steps and the approval', async () => {
    const { restores } = t.repos;
    const r = await awaiting();
    expect(r).toMatchObject({ status: 'awaiting_approval', onlySections: ['plugins'], noDeletes: false });
    t.clock.advance(MINUTE);
    const decision = await restores.approve({ restoreId: r.id, approver: 'UAPP', planHash: plan().planHash });
    expect(decision).toMatchObject({ ok: true, restore: { status: 'approved', approvedBy: 'UAPP' } });
    const pre = await t.repos.backups.create({
      connection: 'prod',
      type: 'pre-restore',
      requestedBy: 'system',
    });
    await restores.markRunning(r.id);
    await restores.setPreRestoreBackup(r.id, pre.id);
    await restores.recordSteps(r.id, [
      {
        seq: 1,
        phase: 'upsert',
        op: 'create',
        kind: 'plugins',
        entityId: 'p1',
        name: 'rate-limiting',
        status: 'ok',
        error: null,
      },
      {
        seq: 2,
        phase: 'delete',
        op: 'delete',
        kind: 'plugins',
        entityId: 'p2',
        name: 'cors',
        status: 'failed',
        error: { status: 500, message: 'boom' },
      },
    ]);
    const done = await restores.finish(r.id, 'partially_failed', {
      failure: { code: 'apply_failed', reason: '1 of 2 steps failed' },
    });
    expect(done).toMatchObject({
      status: 'partially_failed',
      preRestoreBackupId: pre.id,
      finishedAt: t.clock.now(),
    });
    expect((await restores.listSteps(r.id)).map((s) => [s.seq, s.status, s.error])).toEqual([
      [1, 'ok', null],
      [2, 'failed', { status: 500, message: 'boom' }],
    ]);
    expect(await restores.listApprovals(r.id)).toEqual([
      {
        id: 1,
        restoreId: r.id,
        approver: 'UAPP',
        decision: 'approve',
        planHash: plan().planHash,
        at: t.clock.now(),
      },
    ]);
    expect(await restores.findActive('prod')).toBeNull();
  });

  it.each([
    ['self_approval', 'UREQ', plan().planHash, 0],
    ['plan_changed', 'UAPP', 'other'.padEnd(64, '0'), 0],
    ['expired', 'UAPP', plan().planHash, 31 * MINUTE],
  ] as const)('refuses an approval: %s', async (refusal, approver, planHash, wait) => {
    const r = await awaiting();
    t.clock.advance(wait);
    const decision = await t.repos.restores.approve({ restoreId: r.id, approver, planHash });
    expect(decision).toMatchObject({ ok: false, refusal, restore: { status: 'awaiting_approval' } });
    expect(await t.repos.restores.listApprovals(r.id)).toEqual([]);
  });

  it('break-glass lets the requester approve', async () => {
    const r = await awaiting({ breakGlass: true });
    const d = await t.repos.restores.approve({
      restoreId: r.id,
      approver: 'UREQ',
      planHash: plan().planHash,
    });
    expect(d).toMatchObject({ ok: true, restore: { approvedBy: 'UREQ', breakGlass: true } });
  });

  it('refuses a second click and decisions on unknown requests', async () => {
    const r = await awaiting();
    const input = { restoreId: r.id, approver: 'UAPP', planHash: plan().planHash };
    expect((await t.repos.restores.approve(input)).ok).toBe(true);
    expect(await t.repos.restores.approve(input)).toMatchObject({
      ok: false,
      refusal: 'not_awaiting_approval',
    });
    expect(await t.repos.restores.reject({ restoreId: 'nope', approver: 'UAPP' })).toMatchObject({
      ok: false,
      refusal: 'not_found',
      restore: null,
    });
  });

  it('two approvers on two connections at once: exactly one wins', async () => {
    const r = await awaiting();
    const other = createOther(t);
    const results = await Promise.all([
      t.repos.restores.approve({ restoreId: r.id, approver: 'UA', planHash: plan().planHash }),
      other.approve({ restoreId: r.id, approver: 'UB', planHash: plan().planHash }),
    ]);
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    expect(await t.repos.restores.listApprovals(r.id)).toHaveLength(1);
  });

  it('reject and cancel end the request; only the requester may cancel', async () => {
    const { restores } = t.repos;
    const r = await awaiting();
    expect(await restores.cancel({ restoreId: r.id, by: 'UAPP' })).toMatchObject({
      ok: false,
      refusal: 'not_requester',
    });
    expect(await restores.reject({ restoreId: r.id, approver: 'UAPP' })).toMatchObject({
      ok: true,
      restore: { status: 'rejected' },
      approval: { decision: 'reject', planHash: plan().planHash },
    });
    const r2 = await awaiting();
    expect(await restores.cancel({ restoreId: r2.id, by: 'UREQ' })).toMatchObject({
      ok: true,
      restore: { status: 'cancelled' },
    });
    expect(await restores.cancel({ restoreId: r2.id, by: 'UREQ' })).toMatchObject({
      ok: false,
      refusal: 'not_awaiting_approval',
    });
  });

  it('expires only due requests, once', async () => {
    const { restores } = t.repos;
    const r = await awaiting();
    expect(await restores.expire(r.id)).toBeNull();
    t.clock.advance(30 * MINUTE);
    expect(await restores.expire(r.id)).toMatchObject({ status: 'expired', finishedAt: t.clock.now() });
    expect(await restores.expire(r.id)).toBeNull();
    const r2 = await awaiting({ connection: 'staging' });
    const r3 = await awaiting();
    await restores.approve({ restoreId: r3.id, approver: 'UAPP', planHash: plan().planHash });
    t.clock.advance(31 * MINUTE);
    expect((await restores.expireDue()).map((x) => x.id)).toEqual([r2.id]);
  });

  it('one active restore per connection; a finished one frees it', async () => {
    const first = await awaiting();
    const err = await awaiting().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestoreInProgressError);
    expect(err).toMatchObject({ activeRestoreId: first.id, activeStatus: 'awaiting_approval' });
    expect((await awaiting({ connection: 'staging' })).status).toBe('awaiting_approval');
    await t.repos.restores.cancel({ restoreId: first.id, by: 'UREQ' });
    expect((await awaiting()).status).toBe('awaiting_approval');
  });

  it('the database itself refuses a second active row for a connection', async () => {
    await awaiting();
    const insert = `INSERT INTO restores (id, connection, backup_id, requested_by, reason, status, expires_at, created_at, updated_at)
      VALUES ('raw', 'prod', '${backupId}', 'U9', 'r', 'approved', 0, 0, 0)`;
    expect(() => t.db.sqlite.exec(insert)).toThrow(/UNIQUE constraint failed: restores.connection/);
  });

  it('a changed gateway sends an approved request back for a new approval', async () => {
    const { restores } = t.repos;
    const r = await awaiting();
    await restores.approve({ restoreId: r.id, approver: 'UAPP', planHash: plan().planHash });
    await restores.markRunning(r.id);
    const again = await restores.markAwaitingApproval(r.id, plan('n'.repeat(64)));
    expect(again).toMatchObject({ status: 'awaiting_approval', approvedBy: null, planHash: 'n'.repeat(64) });
    const stale = await restores.approve({ restoreId: r.id, approver: 'UAPP', planHash: plan().planHash });
    expect(stale).toMatchObject({ ok: false, refusal: 'plan_changed' });
    const fresh = await restores.approve({ restoreId: r.id, approver: 'UAPP', planHash: 'n'.repeat(64) });
    expect(fresh.ok).toBe(true);
    expect((await restores.listApprovals(r.id)).map((a) => a.planHash)).toEqual([
      'p'.repeat(64),
      'n'.repeat(64),
    ]);
  });

  it.each([
    ['planned', 'running'],
    ['awaiting_approval', 'running'],
    ['planned', 'partially_failed'],
    ['approved', 'completed'],
  ] as const)('refuses %s → %s', async (from, to) => {
    const { restores } = t.repos;
    const r = await restores.create({
      connection: 'prod',
      backupId,
      requestedBy: 'UREQ',
      reason: 'x',
      expiresAt: new Date(t.clock.now().getTime() + MINUTE),
    });
    if (from !== 'planned') await restores.markAwaitingApproval(r.id, plan());
    if (from === 'approved')
      await restores.approve({ restoreId: r.id, approver: 'UAPP', planHash: plan().planHash });
    const move = to === 'running' ? restores.markRunning(r.id) : restores.finish(r.id, to);
    await expect(move).rejects.toThrow(new TransitionError('restore', r.id, from, to));
    expect((await restores.get(r.id))?.status).toBe(from);
  });

  it('an empty plan completes straight from planned', async () => {
    const r = await t.repos.restores.create({
      connection: 'prod',
      backupId,
      requestedBy: 'UREQ',
      reason: 'x',
      expiresAt: t.clock.now(),
    });
    const done = await t.repos.restores.finish(r.id, 'completed', { planSummary: { empty: true } });
    expect(done).toMatchObject({ status: 'completed', planSummary: { empty: true } });
  });
});

function createOther(t: TestDb) {
  // a second connection to the same file, as another process would hold
  return createRepositories(t.reopen(), { now: t.clock.now }).restores;
}
