/**
 * The three user decisions on a restore request (approve, reject, cancel), each one immediate
 * transaction: the checks read a row no other writer can change until the conditional update lands,
 * and the conditional update repeats every rule so the database alone decides who wins a race.
 */
import { and, eq, gt, inArray, ne, or, type SQL } from 'drizzle-orm';
import type { Approval, DecisionRefusal, DecisionResult, Restore } from '../app/ports/restores.ts';
import type { RestoreStatus } from '../core/status.ts';
import type { Orm } from './database.ts';
import { approvals, restores } from './schema.ts';
import { toRestore } from './sqlite-restore-rows.ts';

type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];

function refused(refusal: DecisionRefusal, message: string, restore: Restore | null): DecisionResult {
  return { ok: false, refusal, message, restore };
}

function load(tx: Tx, id: string): Restore | null {
  const row = tx.select().from(restores).where(eq(restores.id, id)).get();
  return row ? toRestore(row) : null;
}

/** The request if it is awaiting approval and unexpired, else the refusal to answer with. */
function loadOpen(tx: Tx, id: string, now: Date): { restore: Restore } | { refusal: DecisionResult } {
  const current = load(tx, id);
  if (!current) return { refusal: refused('not_found', `restore ${id} does not exist`, null) };
  if (current.status !== 'awaiting_approval') {
    const message = `restore ${id} is ${current.status}, not awaiting approval`;
    return { refusal: refused('not_awaiting_approval', message, current) };
  }
  if (current.expiresAt.getTime() <= now.getTime()) {
    const message = `restore ${id} expired at ${current.expiresAt.toISOString()}`;
    return { refusal: refused('expired', message, current) };
  }
  return { restore: current };
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
      const current = open.restore;
      if (current.requestedBy === approver && !current.breakGlass) {
        return refused('self_approval', `you requested restore ${id}; someone else must approve it`, current);
      }
      if (current.planHash !== planHash) {
        return refused('plan_changed', `the plan of restore ${id} changed since it was shown`, current);
      }
      const updated = decide(
        tx,
        id,
        'approved',
        { approvedBy: approver, updatedAt: now },
        and(
          eq(restores.status, 'awaiting_approval'),
          gt(restores.expiresAt, now),
          eq(restores.planHash, planHash),
          or(ne(restores.requestedBy, approver), eq(restores.breakGlass, true)),
        ),
      );
      if (!updated)
        return refused('not_awaiting_approval', `restore ${id} was decided meanwhile`, load(tx, id));
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
      const updated = decide(
        tx,
        id,
        'rejected',
        { updatedAt: now, finishedAt: now },
        eq(restores.status, 'awaiting_approval'),
      );
      if (!updated)
        return refused('not_awaiting_approval', `restore ${id} was decided meanwhile`, load(tx, id));
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
  const cancellable: RestoreStatus[] = ['planned', 'awaiting_approval'];
  return orm.transaction(
    (tx): DecisionResult => {
      const current = load(tx, id);
      if (!current) return refused('not_found', `restore ${id} does not exist`, null);
      if (current.requestedBy !== by) {
        return refused(
          'not_requester',
          `only ${current.requestedBy}, who requested it, can cancel restore ${id}`,
          current,
        );
      }
      const updated = decide(
        tx,
        id,
        'cancelled',
        { updatedAt: now, finishedAt: now },
        and(inArray(restores.status, cancellable), eq(restores.requestedBy, by)),
      );
      if (!updated) {
        return refused(
          'not_awaiting_approval',
          `restore ${id} is ${current.status} and can no longer be cancelled`,
          current,
        );
      }
      return { ok: true, restore: updated, approval: null };
    },
    { behavior: 'immediate' },
  );
}
