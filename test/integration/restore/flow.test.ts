/**
 * The two-person restore at service level: real SQLite, Redis, kong-sim and an in-process worker.
 * The happy path brings a broken gateway back with zero drift; the other cases are the approval rules.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  approveRestore,
  cancelRestore,
  type RestoreDecision,
  rejectRestore,
  requestRestore,
} from '../../../src/app/index.ts';
import { waitFor } from '../jobs/harness.ts';
import {
  ADMIN,
  APPROVER,
  APPROVER_2,
  authorize,
  awaitingApproval,
  breakGateway,
  createRestoreEnv,
  driftFrom,
  FINAL,
  OUTSIDER,
  REQUESTER,
  type RestoreEnv,
  takeBackup,
  waitForRestore,
} from './harness.ts';

let t: RestoreEnv;
beforeEach(async () => {
  t = await createRestoreEnv();
  await breakGateway(t);
});
afterEach(async () => {
  await t.cleanup();
});

const ask = (extra: Partial<Parameters<typeof requestRestore>[1]> = {}) =>
  requestRestore(t.services, {
    connection: 'prod',
    backup: { kind: 'id', id: t.backup.id },
    reason: 'bad deploy at 14:00',
    requestedBy: REQUESTER,
    ...extra,
  });

const refusal = (d: RestoreDecision) => (d.ok ? 'ok' : d.refusal);

describe('two-person restore', () => {
  it('brings a broken gateway back with zero drift, a pre-restore backup and every step recorded', async () => {
    expect((await driftFrom(t.services, t.backup)).steps.length).toBe(3);
    const { restore } = await ask();
    const planned = await awaitingApproval(t.services, restore);
    expect(planned.status).toBe('awaiting_approval');
    expect(planned.planSummary).toMatchObject({ summary: { create: 1, update: 1, delete: 1 } });
    const cardEvent = await waitFor('the card event', async () =>
      t.notifier.restores.find((e) => e.phase === 'awaiting_approval'),
    );
    expect(cardEvent?.plan?.planHash).toBe(planned.planHash);

    const approved = await approveRestore(t.services, {
      restoreId: restore.id,
      approver: APPROVER,
      authorize,
    });
    expect(approved.ok).toBe(true);
    const done = await waitForRestore(t.services, restore.id, FINAL);
    expect(done.status).toBe('completed');
    expect(done.approvedBy).toBe(APPROVER);
    expect((await driftFrom(t.services, t.backup)).steps).toEqual([]);

    const pre = await t.services.repos.backups.get(done.preRestoreBackupId ?? '');
    expect(pre).toMatchObject({ type: 'pre-restore', status: 'completed' });
    const steps = await t.services.repos.restores.listSteps(restore.id);
    expect(steps.map((s) => [s.op, s.kind, s.name, s.status])).toEqual([
      ['update', 'services', 'orders', 'ok'],
      ['create', 'routes', 'billing-api', 'ok'],
      ['delete', 'services', 'rogue', 'ok'],
    ]);
    const actions = (await auditOf(restore.id)).map((e) => e.action);
    expect(actions).toEqual([
      'restore.requested',
      'restore.planned',
      'restore.approved',
      'restore.started',
      'restore.completed',
    ]);
    const final = t.notifier.restores.filter((e) => e.restore.id === restore.id && e.phase === 'finished');
    expect(final.at(-1)).toMatchObject({ preRestoreBackupId: pre?.id, result: { applied: 3, drift: 0 } });
  });

  it.each([
    ['the requester approving their own request', REQUESTER, 'self_approval'],
    ['someone without the approver role', OUTSIDER, 'not_authorized'],
  ])('refuses %s, audits the refusal and leaves the request waiting', async (_what, who, expected) => {
    const { restore } = await ask();
    await awaitingApproval(t.services, restore);
    const d = await approveRestore(t.services, { restoreId: restore.id, approver: who, authorize });
    expect(refusal(d)).toBe(expected);
    expect((await t.services.repos.restores.get(restore.id))?.status).toBe('awaiting_approval');
    const [event] = await auditOf(restore.id, 'restore.approval_refused');
    expect(event).toMatchObject({ actor: who, outcome: 'refused', details: { refusal: expected } });
  });

  it('break-glass: an admin may approve their own request, marked in the audit log; others may not', async () => {
    const { restore } = await ask({ breakGlass: true, requestedBy: ADMIN });
    await awaitingApproval(t.services, restore);
    const d = await approveRestore(t.services, { restoreId: restore.id, approver: ADMIN, authorize });
    expect(d.ok).toBe(true);
    const [event] = await auditOf(restore.id, 'restore.approved');
    expect(event?.details).toMatchObject({ breakGlass: true, selfApproved: true, approver: ADMIN });
    await waitForRestore(t.services, restore.id, FINAL);

    const second = await ask({ breakGlass: true, requestedBy: APPROVER });
    await awaitingApproval(t.services, second.restore);
    const self = await approveRestore(t.services, {
      restoreId: second.restore.id,
      approver: APPROVER,
      authorize,
    });
    expect(refusal(self)).toBe('not_authorized');
  });

  it('cancel needs the operator role now: a requester who lost it is refused, audited, the request stays', async () => {
    const { restore } = await ask({ requestedBy: OUTSIDER });
    await awaitingApproval(t.services, restore);
    const d = await cancelRestore(t.services, { restoreId: restore.id, by: OUTSIDER, authorize });
    expect(refusal(d)).toBe('not_authorized');
    expect((await t.services.repos.restores.get(restore.id))?.status).toBe('awaiting_approval');
    const [event] = await auditOf(restore.id, 'restore.approval_refused');
    expect(event).toMatchObject({
      actor: OUTSIDER,
      details: { decision: 'cancel', refusal: 'not_authorized' },
    });
  });

  it('refuses an expired request and marks it expired', async () => {
    const { restore } = await ask();
    await awaitingApproval(t.services, restore);
    t.clock.advance(31 * 60_000);
    const d = await approveRestore(t.services, { restoreId: restore.id, approver: APPROVER, authorize });
    expect(refusal(d)).toBe('expired');
    expect((await t.services.repos.restores.get(restore.id))?.status).toBe('expired');
    expect(t.notifier.phases(restore.id)).toContain('expired');
  });

  it('reject by an approver and cancel by the requester end the request; nothing is written', async () => {
    const writes = t.env.sim.state.writes;
    const first = await ask();
    await awaitingApproval(t.services, first.restore);
    const notRequester = await cancelRestore(t.services, {
      restoreId: first.restore.id,
      by: APPROVER,
      authorize,
    });
    expect(refusal(notRequester)).toBe('not_requester');
    const outsider = await rejectRestore(t.services, {
      restoreId: first.restore.id,
      by: OUTSIDER,
      authorize,
    });
    expect(refusal(outsider)).toBe('not_authorized');
    const rejected = await rejectRestore(t.services, {
      restoreId: first.restore.id,
      by: APPROVER,
      authorize,
    });
    expect(rejected).toMatchObject({ ok: true, restore: { status: 'rejected' } });
    const late = await approveRestore(t.services, {
      restoreId: first.restore.id,
      approver: APPROVER_2,
      authorize,
    });
    expect(refusal(late)).toBe('not_awaiting_approval');

    const second = await ask();
    await awaitingApproval(t.services, second.restore);
    const cancelled = await cancelRestore(t.services, {
      restoreId: second.restore.id,
      by: REQUESTER,
      authorize,
    });
    expect(cancelled).toMatchObject({ ok: true, restore: { status: 'cancelled' } });
    expect(t.env.sim.state.writes).toBe(writes);
  });

  it('double click and two approvers at once start one restore with one pre-restore backup', async () => {
    const { restore } = await ask();
    await awaitingApproval(t.services, restore);
    const decisions = await Promise.all([
      approveRestore(t.services, { restoreId: restore.id, approver: APPROVER, authorize }),
      approveRestore(t.services, { restoreId: restore.id, approver: APPROVER, authorize }),
      approveRestore(t.services, { restoreId: restore.id, approver: APPROVER_2, authorize }),
    ]);
    expect(decisions.filter((d) => d.ok)).toHaveLength(1);
    const done = await waitForRestore(t.services, restore.id, FINAL);
    expect(done.status).toBe('completed');
    const backups = await t.services.repos.backups.listByConnection('prod', { limit: 100 });
    expect(backups.filter((b) => b.type === 'pre-restore')).toHaveLength(1);
    const started = await auditOf(restore.id, 'restore.started');
    expect(started).toHaveLength(1);
  });

  it('a backup equal to the gateway: "nothing to restore", completed without approval or writes', async () => {
    const now = await takeBackup(t.services);
    const writes = t.env.sim.state.writes;
    const { restore } = await ask({ backup: { kind: 'id', id: now.id } });
    const done = await waitForRestore(t.services, restore.id, FINAL);
    expect(done.status).toBe('completed');
    expect(t.notifier.restores.at(-1)?.message).toMatch(/nothing to restore/);
    expect(t.env.sim.state.writes).toBe(writes);
  });

  it('a gateway changed after the diff needs a new approval of the new plan, then completes', async () => {
    const { restore } = await ask();
    const first = await awaitingApproval(t.services, restore);
    await t.kong('PATCH', '/services/billing', { port: 7777 });
    expect(
      (await approveRestore(t.services, { restoreId: restore.id, approver: APPROVER, authorize })).ok,
    ).toBe(true);
    const again = await waitForRestore(t.services, restore.id, ['awaiting_approval', ...FINAL]);
    const replanned = again;
    expect(replanned?.planHash).not.toBe(first.planHash);
    expect(again.status).toBe('awaiting_approval');
    // the record moves back to awaiting_approval just before the job notifies
    await waitFor('the re-plan to be notified', async () =>
      t.notifier.phases(restore.id).includes('replan_required'),
    );
    const stale = await approveRestore(t.services, {
      restoreId: restore.id,
      approver: APPROVER,
      authorize,
      planHash: first.planHash ?? '',
    });
    expect(refusal(stale)).toBe('plan_changed');
    const ok = await approveRestore(t.services, {
      restoreId: restore.id,
      approver: APPROVER,
      authorize,
      planHash: replanned?.planHash ?? '',
    });
    expect(ok.ok).toBe(true);
    const done = await waitForRestore(t.services, restore.id, FINAL);
    expect(done.status).toBe('completed');
    expect((await driftFrom(t.services, t.backup)).steps).toEqual([]);
    // re-planned once, one pre-restore backup: the run that went back for approval took none
    const pres = (await t.services.repos.backups.listByConnection('prod', { limit: 100 })).filter(
      (b) => b.type === 'pre-restore' && b.note === `before restore ${restore.id}`,
    );
    expect(pres.map((b) => b.id)).toEqual([done.preRestoreBackupId]);
    expect(t.notifier.phases(restore.id).filter((p) => p === 'pre_restore_backup')).toHaveLength(1);
    const audit = await auditOf(restore.id, 'restore.replan_required');
    expect(audit[0]?.details).toMatchObject({
      planHash: replanned?.planHash,
      previousPlanHash: first.planHash,
    });
  });
});

/** The request's audit events, oldest first. */
async function auditOf(id: string, action?: string) {
  const all = (await t.services.audit.list({ limit: 1000 })).filter((e) => e.targetId === id).reverse();
  return action ? all.filter((e) => e.action === action) : all;
}
