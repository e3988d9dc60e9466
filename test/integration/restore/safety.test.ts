/**
 * What a restore must refuse or contain: corrupt backups (before any write; a corrupt copy falls back to a
 * whole one), section limits, Kong failing
 * mid-apply, `--at` selection, one restore per connection, and bad input that records nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  approveRestore,
  RestoreRefusedError,
  type RestoreRequestInput,
  requestRestore,
} from '../../../src/app/index.ts';
import type { Section } from '../../../src/core/index.ts';
import {
  APPROVER,
  authorize,
  awaitingApproval,
  breakGateway,
  createRestoreEnv,
  driftFrom,
  FINAL,
  flipByte,
  liveSnapshot,
  REQUESTER,
  type RestoreEnv,
  takeBackup,
  waitForRestore,
} from './harness.ts';

let t: RestoreEnv;
beforeEach(async () => {
  t = await createRestoreEnv();
});
afterEach(async () => {
  await t.cleanup();
});

const input = (extra: Partial<RestoreRequestInput> = {}): RestoreRequestInput => ({
  connection: 'prod',
  backup: { kind: 'id', id: t.backup.id },
  reason: 'bad deploy',
  requestedBy: REQUESTER,
  ...extra,
});

async function approveAndWait(id: string) {
  const d = await approveRestore(t.services, { restoreId: id, approver: APPROVER, authorize });
  expect(d.ok).toBe(true);
  return waitForRestore(t.services, id, FINAL);
}

describe('restore safety', () => {
  it('a flipped byte in every copy fails the request before any write, naming each copy', async () => {
    await breakGateway(t);
    for (const copy of await t.services.repos.backups.listCopies(t.backup.id)) flipByte(copy.location);
    const writes = t.env.sim.state.writes;

    const { restore } = await requestRestore(t.services, input());
    const done = await waitForRestore(t.services, restore.id, FINAL);
    expect(done.status).toBe('failed');
    expect(done.failureReason).toMatch(/failed its integrity check/);
    expect(done.failureReason).toContain('primary: sha256 mismatch');
    expect(done.failureReason).toMatch(/directory:\S+offsite: sha256 mismatch/);
    expect(t.env.sim.state.writes).toBe(writes);
  });

  it.each([
    ['primary', 'offsite'],
    ['offsite', 'primary'],
  ])(
    'a flipped byte in the %s copy: the plan reads the %s copy and says what was wrong (issue 15)',
    async (bad, used) => {
      await breakGateway(t);
      const copies = await t.services.repos.backups.listCopies(t.backup.id);
      const isPrimary = (c: { target: string }) => c.target === 'primary';
      const badCopy = copies.find((c) => (bad === 'primary' ? isPrimary(c) : !isPrimary(c)))!;
      const usedCopy = copies.find((c) => c !== badCopy)!;
      flipByte(badCopy.location);

      const { restore } = await requestRestore(t.services, input());
      const planned = await awaitingApproval(t.services, restore);
      expect(planned.planSummary).toMatchObject({
        readFrom: {
          target: usedCopy.target,
          location: usedCopy.location,
          problems: [
            expect.stringMatching(new RegExp(`^${badCopy.target.replace(/[/.]/g, '\\$&')}: sha256 mismatch`)),
          ],
        },
      });
      expect(used === 'primary' ? isPrimary(usedCopy) : !isPrimary(usedCopy)).toBe(true);
      expect((await approveAndWait(restore.id)).status).toBe('completed');
      expect((await driftFrom(t.services, t.backup)).steps).toEqual([]);
    },
  );

  it('a section-limited restore changes that section only', async () => {
    await breakGateway(t);
    const only: Section[] = ['routes'];
    const before = await liveSnapshot(t.services);
    const { restore } = await requestRestore(t.services, input({ only }));
    const planned = await awaitingApproval(t.services, restore);
    expect(planned.failureReason).toBeNull();
    expect(planned.planSummary).toMatchObject({ summary: { create: 1, update: 0, delete: 0 } });
    expect((await approveAndWait(restore.id)).status).toBe('completed');

    expect((await driftFrom(t.services, t.backup, only)).steps).toEqual([]);
    const after = await liveSnapshot(t.services);
    const { routes: _r1, ...otherBefore } = before.entities;
    const { routes: _r2, ...otherAfter } = after.entities;
    expect(otherAfter).toEqual(otherBefore);
    // the damage outside the section is still there
    expect((await driftFrom(t.services, t.backup)).steps.map((s) => `${s.op} ${s.name}`)).toEqual([
      'update orders',
      'delete rogue',
    ]);
  });

  it.each([
    ['one write failing', 1, 'partially_failed'],
    ['every write failing', 50, 'failed'],
  ])(
    'Kong failing mid-apply (%s, %i queued failures) ends %s with the failed steps and the pre-restore backup',
    async (_what, n, status) => {
      await breakGateway(t);
      await t.kong('PATCH', '/services/billing', { port: 7777 });
      const { restore } = await requestRestore(t.services, input());
      await awaitingApproval(t.services, restore);
      t.env.sim.state.faults.writesOnly = true;
      t.env.sim.state.faults.failNext(n, 400);

      const done = await approveAndWait(restore.id);
      expect(done.status).toBe(status);
      expect(done.failureReason).toMatch(
        /failed \(update services (orders|billing): Kong 400: injected failure 400/,
      );
      expect(done.failureCode).toBe('apply_failed');
      expect(done.preRestoreBackupId).toBeTruthy();
      const steps = await t.services.repos.restores.listSteps(restore.id);
      expect(steps.filter((s) => s.status === 'failed').length).toBeGreaterThan(0);
      expect(steps.find((s) => s.status === 'failed')?.error).toMatchObject({ status: 400 });
      const final = t.notifier.restores
        .filter((e) => e.restore.id === restore.id && e.phase === 'finished')
        .at(-1);
      expect(final?.preRestoreBackupId).toBe(done.preRestoreBackupId);
      expect(final?.result?.failedSteps[0]?.error).toContain('injected failure 400');
    },
  );

  it('--at picks the newest backup at or before the time and says how far before it is', async () => {
    t.clock.advance(60 * 60_000);
    const later = await takeBackup(t.services);
    const at = new Date((t.backup.startedAt?.getTime() ?? 0) + 30 * 60_000);
    const picked = await requestRestore(t.services, input({ backup: { kind: 'at', time: at } }));
    expect(picked.backup.id).toBe(t.backup.id);
    expect(picked.gapMs).toBe(30 * 60_000);
    await waitForRestore(t.services, picked.restore.id, FINAL);

    const latest = await requestRestore(t.services, input({ backup: { kind: 'latest' } }));
    expect(latest.backup.id).toBe(later.id);
    await waitForRestore(t.services, latest.restore.id, FINAL);

    const tooEarly = new Date((t.backup.startedAt?.getTime() ?? 0) - 1000);
    await expect(
      requestRestore(t.services, input({ backup: { kind: 'at', time: tooEarly } })),
    ).rejects.toThrow(/no completed backup taken at or before/);
  });

  it('a second request for the connection is refused with the active one id and Slack link', async () => {
    await breakGateway(t);
    const first = await requestRestore(
      t.services,
      input({ slack: { channel: 'C0RESTORES', ts: '1767225600.000200' } }),
    );
    const err = await requestRestore(t.services, input()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestoreRefusedError);
    expect((err as RestoreRefusedError).activeRestoreId).toBe(first.restore.id);
    expect((err as Error).message).toContain(first.restore.id);
    expect((err as Error).message).toContain('https://slack.com/archives/C0RESTORES/p1767225600000200');
  });

  it.each<[string, Partial<RestoreRequestInput>, RegExp]>([
    ['an unknown connection', { connection: 'nope' }, /unknown connection "nope"/],
    ['an empty reason', { reason: '   ' }, /a reason is required/],
    ['an unknown backup', { backup: { kind: 'id', id: 'missing' } }, /there is no backup missing/],
    ['an unknown section', { only: ['nonsense' as Section] }, /unknown section nonsense/],
    [
      'a reason holding a secret',
      { reason: 'use Bearer abcdefghijklmnop' },
      /looks like it contains a secret/,
    ],
    ['a requester that is no user id', { requestedBy: 'alice' }, /is not a Slack user id or cli:<user>/],
  ])('refuses %s and records nothing', async (_what, extra, message) => {
    await expect(requestRestore(t.services, input(extra))).rejects.toThrow(message);
    expect(await t.services.repos.restores.listByConnection('prod')).toEqual([]);
  });
});
