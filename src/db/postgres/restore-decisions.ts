/**
 * The three user decisions on a restore request (approve, reject, cancel), each one transaction that
 * first locks the request's row (`SELECT … FOR UPDATE`): a concurrent decision waits, then reads the
 * outcome of the first. The conditional update still repeats every rule, so the database alone decides
 * who wins a race — the same rules, in the same order, as `../sqlite-restore-decisions.ts`.
 */
import { and, eq, gt, inArray, ne, or, type SQL } from 'drizzle-orm';
import type { Approval, DecisionRefusal, DecisionResult, Restore } from '../../app/ports/restores.ts';
import type { RestoreStatus } from '../../core/status.ts';
import type { PgOrm } from './database.ts';
import { toRestore } from './rows.ts';
import { approvals, restores } from './schema.ts';

type Tx = Parameters<Parameters<PgOrm['transaction']>[0]>[0];

function refused(refusal: DecisionRefusal, message: string, restore: Restore | null): DecisionResult {
  return { ok: false, refusal, message, restore };
}

async function lockRow(tx: Tx, id: string): Promise<Restore | null> {
  const [row] = await tx.select().from(restores).where(eq(restores.id, id)).for('update');
  return row ? toRestore(row) : null;
}

async function load(tx: Tx, id: string): Promise<Restore | null> {
  const [row] = await tx.select().from(restores).where(eq(restores.id, id));
  return row ? toRestore(row) : null;
}

/** The request (locked) if it is awaiting approval and unexpired, else the refusal to answer with. */
async function loadOpen(
  tx: Tx,
  id: string,
  now: Date,
): Promise<{ restore: Restore } | { refusal: DecisionResult }> {
  const current = await lockRow(tx, id);
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

async function decide(
  tx: Tx,
  id: string,
  to: RestoreStatus,
  set: Partial<typeof restores.$inferInsert>,
  guard: SQL | undefined,
): Promise<Restore | null> {
  const [row] = await tx
    .update(restores)
    .set({ ...set, status: to })
    .where(and(eq(restores.id, id), guard))
    .returning();
  return row ? toRestore(row) : null;
}

async function recordDecision(tx: Tx, values: typeof approvals.$inferInsert): Promise<Approval> {
  const [row] = await tx.insert(approvals).values(values).returning();
  return row!;
}

export function approveRestore(
  orm: PgOrm,
  now: Date,
  input: { restoreId: string; approver: string; planHash: string },
): Promise<DecisionResult> {
  const { restoreId: id, approver, planHash } = input;
  return orm.transaction(async (tx) => {
    const open = await loadOpen(tx, id, now);
    if ('refusal' in open) return open.refusal;
    const current = open.restore;
    if (current.requestedBy === approver && !current.breakGlass) {
      return refused('self_approval', `you requested restore ${id}; someone else must approve it`, current);
    }
    if (current.planHash !== planHash) {
      return refused('plan_changed', `the plan of restore ${id} changed since it was shown`, current);
    }
    const updated = await decide(
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
      return refused('not_awaiting_approval', `restore ${id} was decided meanwhile`, await load(tx, id));
    const approval = await recordDecision(tx, {
      restoreId: id,
      approver,
      decision: 'approve',
      planHash,
      at: now,
    });
    return { ok: true, restore: updated, approval };
  });
}

export function rejectRestore(
  orm: PgOrm,
  now: Date,
  input: { restoreId: string; approver: string },
): Promise<DecisionResult> {
  const { restoreId: id, approver } = input;
  return orm.transaction(async (tx): Promise<DecisionResult> => {
    const open = await loadOpen(tx, id, now);
    if ('refusal' in open) return open.refusal;
    const current = open.restore;
    const updated = await decide(
      tx,
      id,
      'rejected',
      { updatedAt: now, finishedAt: now },
      eq(restores.status, 'awaiting_approval'),
    );
    if (!updated)
      return refused('not_awaiting_approval', `restore ${id} was decided meanwhile`, await load(tx, id));
    const approval = await recordDecision(tx, {
      restoreId: id,
      approver,
      decision: 'reject',
      planHash: current.planHash ?? '',
      at: now,
    });
    return { ok: true, restore: updated, approval };
  });
}

export function cancelRestore(
  orm: PgOrm,
  now: Date,
  input: { restoreId: string; by: string },
): Promise<DecisionResult> {
  const { restoreId: id, by } = input;
  const cancellable: RestoreStatus[] = ['planned', 'awaiting_approval'];
  return orm.transaction(async (tx): Promise<DecisionResult> => {
    const current = await lockRow(tx, id);
    if (!current) return refused('not_found', `restore ${id} does not exist`, null);
    if (current.requestedBy !== by) {
      return refused(
        'not_requester',
        `only ${current.requestedBy}, who requested it, can cancel restore ${id}`,
        current,
      );
    }
    const updated = await decide(
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
  });
}
