/**
 * The restore job reuses the plan job's plan when the live gateway is what was planned against
 * (src/app/restore/prepared-plans.ts): the backup is not read a second time and the applied plan is the
 * one the approver saw. A run in another process has nothing held and reads the backup again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approveRestore, requestRestore } from '../../../src/app/index.ts';
import { waitFor } from '../jobs/harness.ts';
import {
  APPROVER,
  authorize,
  awaitingApproval,
  breakGateway,
  createRestoreEnv,
  driftFrom,
  FINAL,
  flipByte,
  REQUESTER,
  type RestoreEnv,
  startTestWorkers,
  waitForRestore,
} from './harness.ts';

let t: RestoreEnv;
beforeEach(async () => {
  t = await createRestoreEnv();
});
afterEach(async () => {
  await t.cleanup();
});

/** Every recorded copy of the backup made unreadable (one flipped byte near the end). */
async function corruptEveryCopy(): Promise<void> {
  for (const copy of await t.services.repos.backups.listCopies(t.backup.id)) flipByte(copy.location);
}

async function planned() {
  await breakGateway(t);
  const { restore } = await requestRestore(t.services, {
    connection: 'prod',
    backup: { kind: 'id', id: t.backup.id },
    reason: 'bad deploy',
    requestedBy: REQUESTER,
  });
  const ready = await awaitingApproval(t.services, restore);
  expect(ready.status).toBe('awaiting_approval');
  return ready;
}

describe('the plan job hands its plan to the restore job', () => {
  it('unchanged gateway: the run applies the held plan without reading the backup again', async () => {
    const ready = await planned();
    const drift = await driftFrom(t.services, t.backup);
    await corruptEveryCopy(); // a second read of the artifact would now fail the run
    const schemaReads = { ...t.env.sim.state.schemaReads };
    const decision = await approveRestore(t.services, { restoreId: ready.id, approver: APPROVER, authorize });
    expect(decision.ok).toBe(true);
    const done = await waitForRestore(t.services, ready.id, FINAL);
    expect(done.status).toBe('completed');
    expect(done.planHash).toBe(ready.planHash);
    const result = (done.planSummary as { result: { applied: number; drift: number } }).result;
    expect(result).toMatchObject({ applied: drift.steps.length, drift: 0 });
    // the verification planned against the held target as applied: filling it again would have read the
    // entity schemas (`/schemas/services`, ...) a second time in the run; only the plugin schemas were
    // read (the capabilities and the live side's comparison form)
    const readInRun = Object.keys(t.env.sim.state.schemaReads).filter(
      (path) => t.env.sim.state.schemaReads[path] !== schemaReads[path],
    );
    expect(readInRun.length).toBeGreaterThan(0);
    expect(readInRun.filter((path) => !/^\/schemas\/plugins(\/|$)/.test(path))).toEqual([]);
  });

  it('a run in another process (nothing held) reads the backup again: a corrupt backup fails it, nothing written', async () => {
    const ready = await planned();
    await corruptEveryCopy();
    // the plan job's process goes away; a worker over freshly built services takes the run
    await t.workers.close(2000);
    const other = await t.env.open({ notifier: t.notifier });
    const workers = await startTestWorkers(other);
    try {
      const writes = t.env.sim.state.writes;
      const decision = await approveRestore(other, { restoreId: ready.id, approver: APPROVER, authorize });
      expect(decision.ok).toBe(true);
      const done = await waitForRestore(other, ready.id, FINAL);
      expect(done.status).toBe('failed');
      expect(done.failureReason).toMatch(/failed its integrity check.*nothing was applied/);
      expect(t.env.sim.state.writes).toBe(writes);
    } finally {
      await workers.close(2000);
      await other.close();
    }
  });

  it('a gateway changed after the approval is planned again from the backup, and asks again', async () => {
    const ready = await planned();
    await t.kong('POST', '/services', { name: 'late-change', host: 'late.internal' });
    const decision = await approveRestore(t.services, { restoreId: ready.id, approver: APPROVER, authorize });
    expect(decision.ok).toBe(true);
    // the run saw other live content than the held plan's: a new plan to approve, nothing written
    const again = await waitForRestore(t.services, ready.id, ['awaiting_approval', ...FINAL], 30_000);
    expect([again.status, again.failureReason]).toEqual(['awaiting_approval', null]);
    expect(again.planHash).not.toBe(ready.planHash);
    // the card is told after the status changes
    await waitFor('the replan_required notice', async () =>
      t.notifier.phases(ready.id).includes('replan_required'),
    );
  });
});
