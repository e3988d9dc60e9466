/**
 * The three user decisions on a restore request (approve, reject, cancel), each one immediate
 * transaction: the checks read a row no other writer can change until the conditional update lands,
 * and the conditional update repeats every rule so the database alone decides who wins a race.
 */
import { and, eq, type SQL } from 'drizzle-orm';
import type { Approval, DecisionResult, Restore } from '../app/ports/restores.ts';
import type { RestoreStatus } from '../core/status.ts';
import type { Orm } from './database.ts';
import {
  approveGuard,
  approveRefusal,
  cancelGuard,
  cancelRefusal,
  decidedMeanwhile,
  notCancellable,
  openRefusal,
  rejectGuard,
} from './restore-decision-rules.ts';
import { approvals, restores } from './schema.ts';
import { toRestore } from './sqlite-restore-rows.ts';

type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];

function load(tx: Tx, id: string): Restore | null {
  const row = tx.select().from(restores).where(eq(restores.id, id)).get();
  return row ? toRestore(row) : null;
}

/** The request if it is awaiting approval and unexpired, else the refusal to answer with. */
function loadOpen(tx: Tx, id: string, now: Date): { restore: Restore } | { refusal: DecisionResult } {
  const current = load(tx, id);
  const refusal = openRefusal(current, id, now);
  return refusal ? { refusal } : { restore: current as Restore };
}

function decide(
  tx: Tx,
  id: string,
  to: RestoreStatus,
  set: Partial<typeof restores.$inferInsert>,
  guard: SQL | undefined,
): Restore | null {
  const row = tx
    .update(restores)
    .set({ ...set, status: to })
    .where(and(eq(restores.id, id), guard))
    .returning()
    .get();
  return row ? toRestore(row) : null;
}

function recordDecision(tx: Tx, values: typeof approvals.$inferInsert): Approval {
  return tx.insert(approvals).values(values).returning().get();
}

export function approveRestore(
  orm: Orm,
  now: Date,
  input: { restoreId: string; approver: string; planHash: string },
): DecisionResult {
  const { restoreId: id, approver, planHash } = input;
  return orm.transaction(
    (tx) => {
      const open = loadOpen(tx, id, now);
      if ('refusal' in open) return open.refusal;
      const refusal = approveRefusal(open.restore, approver, planHash);
      if (refusal) return refusal;
      const guard = approveGuard(restores, now, approver, planHash);
      const updated = decide(tx, id, 'approved', { approvedBy: approver, updatedAt: now }, guard);
      if (!updated) return decidedMeanwhile(id, load(tx, id));
      const approval = recordDecision(tx, {
        restoreId: id,
        approver,
        decision: 'approve',
        planHash,
        at: now,
      });
      return { ok: true, restore: updated, approval };
    },
    { behavior: 'immediate' },
  );
}

export function rejectRestore(orm: Orm, now: Date, input: { restoreId: string; approver: string }) {
  const { restoreId: id, approver } = input;
  return orm.transaction(
    (tx): DecisionResult => {
      const open = loadOpen(tx, id, now);
      if ('refusal' in open) return open.refusal;
      const current = open.restore;
      const updated = decide(tx, id, 'rejected', { updatedAt: now, finishedAt: now }, rejectGuard(restores));
      if (!updated) return decidedMeanwhile(id, load(tx, id));
      const approval = recordDecision(tx, {
        restoreId: id,
        approver,
        decision: 'reject',
        planHash: current.planHash ?? '',
        at: now,
      });
      return { ok: true, restore: updated, approval };
    },
    { behavior: 'immediate' },
  );
}

export function cancelRestore(orm: Orm, now: Date, input: { restoreId: string; by: string }) {
  const { restoreId: id, by } = input;
  return orm.transaction(
    (tx): DecisionResult => {
      const current = load(tx, id);
      const refusal = cancelRefusal(current, id, by);
      if (refusal) return refusal;
      const set = { updatedAt: now, finishedAt: now };
      const updated = decide(tx, id, 'cancelled', set, cancelGuard(restores, by));
      if (!updated) return notCancellable(current as Restore);
      return { ok: true, restore: updated, approval: null };
    },
    { behavior: 'immediate' },
  );
}
