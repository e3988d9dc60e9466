import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, TransitionError } from '../../../src/db/index.ts';
import { openTestDb, type TestDb } from './fixture.ts';

const completion = (over: Partial<{ artifactName: string; sha256: string; unchangedFrom: string }> = {}) => ({
  counts: { services: 3, routes: 5 },
  bytes: 1234,
  sha256: over.sha256 ?? 'a'.repeat(64),
  keyId: 'k1',
  artifactName: over.artifactName ?? 'kong-prod-20261120-1400-manual-abcd.sgb',
  unchangedFrom: over.unchangedFrom ?? null,
  kongVersion: '3.9.1',
  copies: [
    { target: 'primary', location: '/b/primary/x.sgb', sha256: over.sha256 ?? 'a'.repeat(64) },
    { target: 'offsite', location: '/b/offsite/x.sgb', sha256: over.sha256 ?? 'a'.repeat(64) },
  ],
});

describe('BackupRepository (SQLite)', () => {
  let t: TestDb;
  beforeEach(() => {
    t = openTestDb();
  });
  afterEach(() => t.cleanup());

  it('walks pending → running → completed and records results and copies', async () => {
    const { backups } = t.repos;
    const created = await backups.create({
      connection: 'prod',
      type: 'manual',
      requestedBy: 'U123',
      note: 'pre-deploy',
    });
    expect(created).toMatchObject({
      id: 'id-0001',
      status: 'pending',
      attempts: 0,
      startedAt: null,
      slack: null,
    });
    t.clock.advance(1000);
    const running = await backups.markRunning(created.id);
    expect(running).toMatchObject({
      status: 'running',
      attempts: 1,
      startedAt: new Date('2026-11-20T14:00:01Z'),
    });
    t.clock.advance(2000);
    const done = await backups.markCompleted(created.id, completion());
    expect(done).toMatchObject({
      status: 'completed',
      counts: { services: 3, routes: 5 },
      bytes: 1234,
      keyId: 'k1',
      kongVersion: '3.9.1',
      finishedAt: new Date('2026-11-20T14:00:03Z'),
    });
    const copies = await backups.listCopies(created.id);
    expect(copies.map((c) => [c.target, c.location, c.verifyOk])).toEqual([
      ['offsite', '/b/offsite/x.sgb', null],
      ['primary', '/b/primary/x.sgb', null],
    ]);
    expect(await backups.get(created.id)).toEqual(done);
  });

  it('a retried job re-enters running and counts the attempt', async () => {
    const { backups } = t.repos;
    const b = await backups.create({ connection: 'prod', type: 'scheduled', requestedBy: 'system' });
    await backups.markRunning(b.id);
    const again = await backups.markRunning(b.id);
    expect(again.attempts).toBe(2);
  });

  it.each([
    ['pending', 'completed'],
    ['completed', 'running'],
    ['completed', 'failed'],
    ['failed', 'running'],
    ['failed', 'completed'],
  ] as const)('refuses %s → %s with a TransitionError naming both', async (from, to) => {
    const { backups } = t.repos;
    const b = await backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    if (from !== 'pending') await backups.markRunning(b.id);
    if (from === 'completed') await backups.markCompleted(b.id, completion());
    if (from === 'failed')
      await backups.markFailed(b.id, { code: 'gateway_unreachable', reason: 'gateway down' });
    const move = {
      running: () => backups.markRunning(b.id),
      completed: () => backups.markCompleted(b.id, completion()),
      failed: () => backups.markFailed(b.id, { code: 'unexpected', reason: 'x' }),
    }[to];
    const err = await move().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransitionError);
    expect(err).toMatchObject({
      from,
      to,
      id: b.id,
      message: `backup ${b.id} cannot move from ${from} to ${to}`,
    });
    expect((await backups.get(b.id))?.status).toBe(from);
  });

  it('markFailed records the reason; a missing backup is named', async () => {
    const { backups } = t.repos;
    const b = await backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    expect(
      await backups.markFailed(b.id, { code: 'gateway_auth', reason: 'wrong token (401)' }),
    ).toMatchObject({
      status: 'failed',
      failureReason: 'wrong token (401)',
    });
    await expect(backups.markRunning('nope')).rejects.toThrow(
      'backup nope does not exist (cannot move it to running)',
    );
  });

  it('lists by connection newest first with a cursor, and finds completed ones by time', async () => {
    const { backups } = t.repos;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const b = await backups.create({ connection: 'prod', type: 'scheduled', requestedBy: 'system' });
      await backups.markRunning(b.id);
      if (i !== 3) await backups.markCompleted(b.id, completion({ artifactName: `a${i}` }));
      ids.push(b.id);
      t.clock.advance(3_600_000);
    }
    await backups.create({ connection: 'staging', type: 'manual', requestedBy: 'U1' });
    const page1 = await backups.listByConnection('prod', { limit: 2 });
    expect(page1.map((b) => b.id)).toEqual([ids[4], ids[3]]);
    const page2 = await backups.listByConnection('prod', { limit: 2, before: page1[1]!.id });
    expect(page2.map((b) => b.id)).toEqual([ids[2], ids[1]]);
    expect((await backups.findLatestCompleted('prod'))?.id).toBe(ids[4]);
    // 16:30 → the 16:00 backup (index 2); index 3 (17:00) failed and is never chosen
    expect((await backups.findCompletedAtOrBefore('prod', new Date('2026-11-20T17:30:00Z')))?.id).toBe(
      ids[2],
    );
    expect(await backups.findCompletedAtOrBefore('prod', new Date('2026-11-20T13:00:00Z'))).toBeNull();
    expect((await backups.listByStatus('running')).map((b) => b.id)).toEqual([ids[3]]);
    expect((await backups.listByStatus('pending', { connection: 'staging' })).length).toBe(1);
    await expect(backups.listByConnection('prod', { before: 'missing' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('pruned backups stay as records but leave lists and latest-completed', async () => {
    const { backups } = t.repos;
    const old = await backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    await backups.markRunning(old.id);
    await backups.markCompleted(old.id, completion({ artifactName: 'shared.sgb' }));
    t.clock.advance(60_000);
    const same = await backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    await backups.markRunning(same.id);
    await backups.markCompleted(same.id, completion({ artifactName: 'shared.sgb', unchangedFrom: old.id }));
    expect((await backups.listByArtifact('shared.sgb')).map((b) => b.id)).toEqual([old.id, same.id]);
    await backups.markPruned(same.id);
    expect((await backups.findLatestCompleted('prod'))?.id).toBe(old.id);
    expect((await backups.listByConnection('prod')).map((b) => b.id)).toEqual([old.id]);
    expect((await backups.listByConnection('prod', { includePruned: true })).length).toBe(2);
    const pending = await backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    await expect(backups.markPruned(pending.id)).rejects.toThrow(/cannot move from pending to pruned/);
  });

  it('records verify runs on the copies and rewraps after key rotation', async () => {
    const { backups } = t.repos;
    const b = await backups.create({ connection: 'prod', type: 'manual', requestedBy: 'U1' });
    await backups.markRunning(b.id);
    await backups.markCompleted(b.id, completion());
    t.clock.advance(1000);
    const v = await backups.recordVerification(b.id, [
      { target: 'primary', location: '/b/primary/x.sgb', ok: true },
      { target: 'offsite', location: '/b/offsite/x.sgb', ok: false, problem: 'sha256 mismatch' },
    ]);
    expect(v.ok).toBe(false);
    const copies = await backups.listCopies(b.id);
    expect(copies.map((c) => [c.target, c.verifyOk, c.verifyProblem])).toEqual([
      ['offsite', false, 'sha256 mismatch'],
      ['primary', true, null],
    ]);
    expect((await backups.listVerifications(b.id))[0]).toEqual(v);
    await backups.recordRewrap(b.id, {
      keyId: 'k2',
      sha256: 'b'.repeat(64),
      copies: [{ target: 'primary', location: '/b/primary/x.sgb', sha256: 'b'.repeat(64) }],
    });
    expect((await backups.get(b.id))?.keyId).toBe('k2');
    const primary = (await backups.listCopies(b.id)).find((c) => c.target === 'primary');
    expect(primary).toMatchObject({ sha256: 'b'.repeat(64), verifyOk: null });
    await backups.setSlackMessage(b.id, { channel: 'C1', ts: '1700000000.000100' });
    expect((await backups.get(b.id))?.slack).toEqual({ channel: 'C1', ts: '1700000000.000100' });
  });
});
