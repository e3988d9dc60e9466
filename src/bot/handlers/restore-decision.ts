/**
 * Approve, reject and cancel of a restore request: one path for the card's buttons and for
 * `/kong approve|reject|cancel <id>`. The clicker's role is resolved now (config + user groups), on
 * every click, through the `authorize` the use case calls; the use case (src/app/restore/decisions.ts)
 * applies every rule once (not the requester unless break-glass, the role, the plan shown, not expired,
 * still awaiting approval, requester-only cancel), the repository atomically, so two clicks or two
 * approvers at once start one restore. A refusal is an ephemeral answer with the reason;
 * the caller records every outcome in the audit log.
 */

import type { Restore } from '../../app/ports/records.ts';
import type { Role } from '../../config/index.ts';
import type { AuthDecision } from '../auth/authorizer.ts';
import type { RestoreDecisionResult } from '../restore-services.ts';
import { decisionRefusalText } from '../views/decision-refusal.ts';
import { code } from '../views/format.ts';
import type { SlackMessage } from '../views/message.ts';
import { note, refusalMessage } from '../views/simple.ts';
import type { BotRuntime, CommandResult } from './context.ts';

export type RestoreDecisionKind = 'approve' | 'reject' | 'cancel';

export interface RestoreDecisionRequest {
  kind: RestoreDecisionKind;
  restoreId: string;
  userId: string;
  /** the plan hash the clicked card showed; absent for slash commands (they act on the current plan) */
  shownPlanHash?: string | null;
}

export interface RestoreDecisionOutcome {
  result: CommandResult;
  /** the ephemeral answer to the person who clicked or typed */
  reply: SlackMessage;
}

/** The answer to a decision that went through; the run may still stop if the gateway changed meanwhile. */
function done(kind: RestoreDecisionKind, r: Restore): string {
  const what = `the restore of ${code(r.connection)} (request ${code(r.id)})`;
  if (kind === 'approve')
    return (
      `:white_check_mark: You approved ${what}. snapgate checks that the live gateway still matches the plan, ` +
      'takes a pre-restore backup, then applies it; the card shows how it goes.'
    );
  return `You ${kind === 'reject' ? 'rejected' : 'cancelled'} ${what}; nothing was changed.`;
}

function refused(
  r: Restore | null,
  reason: string,
  message: string,
  extra: Partial<CommandResult> = {},
): RestoreDecisionOutcome {
  const result: CommandResult = { outcome: 'refused', details: { refusal: reason }, ...extra };
  if (r) {
    result.connection = r.connection;
    result.targetId = r.id;
  }
  return { result, reply: refusalMessage(message) };
}

export async function decideRestore(
  rt: BotRuntime,
  d: RestoreDecisionRequest,
): Promise<RestoreDecisionOutcome> {
  const flow = rt.services.restoreRequests;
  if (!flow)
    return {
      result: { outcome: 'refused', details: { reason: 'unsupported' } },
      reply: note(`This snapgate server does not run ${code(d.kind)}: it has no restore service.`),
    };
  const restore = await rt.services.restores.get(d.restoreId);
  if (!restore)
    return refused(null, 'not_found', `There is no restore request ${code(d.restoreId)}.`, {
      targetId: d.restoreId,
    });
  // Every rule (self-approval first, the role now, the plan the card showed, the status) is applied once,
  // by the use case; the role check's own words (the role needed and held) are kept for the answer.
  let denial: AuthDecision | null = null;
  const authorize = async (connection: string, user: string, needed: Role) => {
    const decision = await rt.auth.check(user, connection, needed);
    if (!decision.ok) denial = decision;
    return decision.ok;
  };
  let answer: RestoreDecisionResult;
  if (d.kind === 'approve')
    answer = await flow.approve({
      restoreId: restore.id,
      approver: d.userId,
      authorize,
      // the user id comes from a request Slack signed (checked before any listener runs)
      proof: { method: 'slack-signed-request' },
      ...(d.shownPlanHash ? { planHash: d.shownPlanHash } : {}),
    });
  else if (d.kind === 'reject')
    answer = await flow.reject({ restoreId: restore.id, by: d.userId, authorize });
  else answer = await flow.cancel({ restoreId: restore.id, by: d.userId, authorize });
  const roleDenied = denial as AuthDecision | null;
  if (!answer.ok && answer.refusal === 'not_authorized' && roleDenied && !roleDenied.ok) {
    const denied = refused(restore, 'role', roleDenied.message);
    denied.result.outcome = 'denied';
    denied.result.details = { refusal: 'role', needed: roleDenied.needed, held: roleDenied.held ?? 'none' };
    return denied;
  }
  if (!answer.ok) {
    // The record may have moved meanwhile (expired, decided by someone else): the card catches up.
    const now = await rt.services.restores.get(restore.id);
    if (now && now.status !== restore.status) rt.notifier.restoreChanged({ restore: now });
    return refused(
      restore,
      answer.refusal,
      decisionRefusalText(d.kind, answer.refusal, now ?? restore, answer.message),
    );
  }
  rt.notifier.restores.decided(restore.id, d.userId);
  rt.notifier.restoreChanged({
    restore: answer.restore,
    phase: d.kind === 'approve' ? 'approved' : answer.restore.status,
  });
  const glass = d.kind === 'approve' && answer.restore.breakGlass && d.userId === restore.requestedBy;
  return {
    result: {
      outcome: 'ok',
      connection: restore.connection,
      targetId: restore.id,
      details: { decision: d.kind, ...(glass ? { breakGlass: true, selfApproved: true } : {}) },
    },
    reply: note(done(d.kind, restore)),
  };
}
