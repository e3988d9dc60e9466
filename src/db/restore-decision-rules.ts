/**
 * The rules of the three decisions on a restore request (approve, reject, cancel), shared by both records
 * implementations (`sqlite-restore-decisions.ts`, `postgres/restore-decisions.ts`). Each implementation
 * reads the row inside its transaction (SQLite: an immediate transaction; PostgreSQL: `FOR UPDATE`),
 * asks these functions for a refusal, and then runs the conditional update whose guard (built here over
 * its own table's columns) repeats every rule, so the database alone decides who wins a race.
 */
import { and, type Column, eq, gt, inArray, ne, or, type SQL } from 'drizzle-orm';
import type { DecisionRefusal, DecisionResult, Restore } from '../app/ports/restores.ts';
import type { RestoreStatus } from '../core/status.ts';

/** The columns the guards read: the same names in both dialects' `restores` table. */
export interface RestoreColumns {
  status: Column;
  expiresAt: Column;
  planHash: Column;
  requestedBy: Column;
  breakGlass: Column;
}

export const CANCELLABLE: readonly RestoreStatus[] = ['planned', 'awaiting_approval'];

export function refused(refusal: DecisionRefusal, message: string, restore: Restore | null): DecisionResult {
  return { ok: false, refusal, message, restore };
}

/** Approve and reject need a request that exists, awaits approval and has not expired. */
export function openRefusal(current: Restore | null, id: string, now: Date): DecisionResult | null {
  if (!current) return refused('not_found', `restore ${id} does not exist`, null);
  if (current.status !== 'awaiting_approval') {
    return refused(
      'not_awaiting_approval',
      `restore ${id} is ${current.status}, not awaiting approval`,
      current,
    );
  }
  if (current.expiresAt.getTime() <= now.getTime()) {
    return refused('expired', `restore ${id} expired at ${current.expiresAt.toISOString()}`, current);
  }
  return null;
}

/** Approve: never by the requester (unless break-glass), only the plan that was shown. */
export function approveRefusal(current: Restore, approver: string, planHash: string): DecisionResult | null {
  if (current.requestedBy === approver && !current.breakGlass) {
    return refused(
      'self_approval',
      `you requested restore ${current.id}; someone else must approve it`,
      current,
    );
  }
  if (current.planHash !== planHash) {
    return refused('plan_changed', `the plan of restore ${current.id} changed since it was shown`, current);
  }
  return null;
}

/** Cancel: only by the requester. */
export function cancelRefusal(current: Restore | null, id: string, by: string): DecisionResult | null {
  if (!current) return refused('not_found', `restore ${id} does not exist`, null);
  if (current.requestedBy !== by) {
    return refused(
      'not_requester',
      `only ${current.requestedBy}, who requested it, can cancel restore ${id}`,
      current,
    );
  }
  return null;
}

/** The conditional update lost a race: someone decided first. */
export function decidedMeanwhile(id: string, now: Restore | null): DecisionResult {
  return refused('not_awaiting_approval', `restore ${id} was decided meanwhile`, now);
}

export function notCancellable(current: Restore): DecisionResult {
  return refused(
    'not_awaiting_approval',
    `restore ${current.id} is ${current.status} and can no longer be cancelled`,
    current,
  );
}

export function approveGuard(
  t: RestoreColumns,
  now: Date,
  approver: string,
  planHash: string,
): SQL | undefined {
  return and(
    eq(t.status, 'awaiting_approval'),
    gt(t.expiresAt, now),
    eq(t.planHash, planHash),
    or(ne(t.requestedBy, approver), eq(t.breakGlass, true)),
  );
}

export function rejectGuard(t: RestoreColumns): SQL {
  return eq(t.status, 'awaiting_approval');
}

export function cancelGuard(t: RestoreColumns, by: string): SQL | undefined {
  return and(inArray(t.status, [...CANCELLABLE]), eq(t.requestedBy, by));
}
