/**
 * The three user decisions on a restore request (approve, reject, cancel), each one transaction that
 * first locks the request's row (`SELECT … FOR UPDATE`): a concurrent decision waits, then reads the
 * outcome of the first. The conditional update still repeats every rule, so the database alone decides
 * who wins a race — the same rules (`../restore-decision-rules.ts`) as the SQLite implementation.
 */
import { and, eq, type SQL } from 'drizzle-orm';
import type { Approval, DecisionResult, Restore } from '../../app/ports/restores.ts';
import type { RestoreStatus } from '../../core/status.ts';
import {
  approveGuard,
  approveRefusal,
  cancelGuard,
  cancelRefusal,
  decidedMeanwhile,
  notCancellable,
  openRefusal,
  rejectGuard,
} from '../restore-decision-rules.ts';
import type { PgOrm } from './database.ts';
import { toRestore } from './rows.ts';
import { approvals, restores } from './schema.ts';

type Tx = Parameters<Parameters<PgOrm['transaction']>[0]>[0];

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
  const refusal = openRefusal(current, id, now);
  return refusal ? { refusal } : { restore: current as Restore };
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
    const refusal = approveRefusal(open.restore, approver, planHash);
    if (refusal) return refusal;
    const guard = approveGuard(restores, now, approver, planHash);
    const updated = await decide(tx, id, 'approved', { approvedBy: approver, updatedAt: now }, guard);
    if (!updated) return decidedMeanwhile(id, await load(tx, id));
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
      rejectGuard(restores),
    );
    if (!updated) return decidedMeanwhile(id, await load(tx, id));
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
  return orm.transaction(async (tx): Promise<DecisionResult> => {
    const current = await lockRow(tx, id);
    const refusal = cancelRefusal(current, id, by);
    if (refusal) return refusal;
    const set = { updatedAt: now, finishedAt: now };
    const updated = await decide(tx, id, 'cancelled', set, cancelGuard(restores, by));
    if (!updated) return notCancellable(current as Restore);
    return { ok: true, restore: updated, approval: null };
  });
}
