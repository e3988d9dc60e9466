/**
 * Whoever sees a restore awaiting approval finds its plan in the audit log already (plan-job.ts audits
 * `restore.planned` before the status changes), even when the audit log is slow: an approver acting on
 * the status alone can never get `restore.approved` into the log ahead of `restore.planned`. The same
 * holds for a re-plan (`restore.replan_required`, run-job.ts).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { approveRestore, requestRestore } from '../../../src/app/index.ts';
import {
  APPROVER,
  authorize,
  breakGateway,
  createRestoreEnv,
  FINAL,
  REQUESTER,
  type RestoreEnv,
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

/** Every audit append takes `ms` longer, as on a loaded machine. */
function slowAudit(ms: number): void {
  const append = t.services.audit.append.bind(t.services.audit);
  t.services.audit.append = async (event) => {
    await new Promise((r) => setTimeout(r, ms));
    return append(event);
  };
}

const actionsOf = async (id: string) =>
  (await t.services.audit.list({ limit: 1000 }))
    .filter((e) => e.targetId === id)
    .map((e) => e.action)
    .reverse();

it('awaiting_approval is never visible before restore.planned is in the log (slow audit log)', async () => {
  slowAudit(400);
  const { restore } = await requestRestore(t.services, {
    connection: 'prod',
    backup: { kind: 'id', id: t.backup.id },
    reason: 'bad deploy',
    requestedBy: REQUESTER,
  });
  const ready = await waitForRestore(t.services, restore.id, ['awaiting_approval', ...FINAL], 30_000);
  expect(ready.status).toBe('awaiting_approval');
  // the observer acts at once on the status it saw
  expect(await actionsOf(restore.id)).toContain('restore.planned');
  const decision = await approveRestore(t.services, { restoreId: restore.id, approver: APPROVER, authorize });
  expect(decision.ok).toBe(true);
  await waitForRestore(t.services, restore.id, FINAL, 30_000);
  const actions = await actionsOf(restore.id);
  expect(actions.slice(0, 3)).toEqual(['restore.requested', 'restore.planned', 'restore.approved']);
});

it('a re-plan is audited before the request is awaiting approval again', async () => {
  const { restore } = await requestRestore(t.services, {
    connection: 'prod',
    backup: { kind: 'id', id: t.backup.id },
    reason: 'bad deploy',
    requestedBy: REQUESTER,
  });
  await waitForRestore(t.services, restore.id, ['awaiting_approval']);
  // the gateway changes after the diff was shown: the run job must ask again
  await t.kong('POST', '/services', { name: 'rogue-2', host: 'rogue2.internal' });
  slowAudit(400);
  expect(
    (await approveRestore(t.services, { restoreId: restore.id, approver: APPROVER, authorize })).ok,
  ).toBe(true);
  await waitForRestore(t.services, restore.id, ['running', ...FINAL], 30_000);
  const again = await waitForRestore(t.services, restore.id, ['awaiting_approval', ...FINAL], 30_000);
  expect(again.status).toBe('awaiting_approval');
  expect(await actionsOf(restore.id)).toContain('restore.replan_required');
});
