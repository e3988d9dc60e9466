/**
 * The three decisions people make on a request, under the same rules for Slack and the CLI:
 * - approve: not by the requester (unless break-glass and the approver is an admin), the approver holds
 *   `approver` for the connection now (asked at click time, not at request time), the request is still
 *   awaiting approval, unexpired, and the plan hash is the one shown. The repository repeats the checks in
 *   one conditional update, so two clicks or two approvers at once get exactly one `ok`; the run job's id
 *   is derived from that approval, so even a repeated enqueue starts one restore.
 * - reject: an approver closes the request; cancel: the requester, still an operator, withdraws it.
 * These are the only checks of role and plan hash: the Slack handler and the CLI call these functions and
 * check nothing themselves (the repository's conditional update only guards against races).
 * Every refusal is audited (`restore.approval_refused`, outcome `refused`) and answered, never thrown.
 */
import type { DecisionResult, Restore } from '../ports/records.ts';
import type { Services } from '../services.ts';
import { auditRestore, notifyRestore } from './audit.ts';
import { expireRestore } from './expiry.ts';
import type {
  ApproveInput,
  CancelInput,
  RejectInput,
  RestoreDecision,
  RestoreDecisionRefusal,
} from './types.ts';

async function refuse(
  services: Services,
  restore: Restore | null,
  decision: 'approve' | 'reject' | 'cancel',
  who: { user: string; actor: string },
  refusal: RestoreDecisionRefusal,
  message: string,
): Promise<RestoreDecision> {
  if (restore) {
    await auditRestore(services, restore, 'restore.approval_refused', {
      actor: who.actor,
      outcome: 'refused',
      details: { decision, user: who.user, refusal, message },
    });
    await notifyRestore(services, { restore, phase: 'refused', actor: who.user, message });
    if (refusal === 'expired') await expireRestore(services, restore.id);
  }
  return { ok: false, refusal, message };
}

function refusedBy(result: DecisionResult & { ok: false }) {
  return [result.refusal, result.message] as const;
}

export async function approveRestore(services: Services, input: ApproveInput): Promise<RestoreDecision> {
  const who = { user: input.approver, actor: input.actor ?? input.approver };
  const restore = await services.repos.restores.get(input.restoreId);
  if (!restore)
    return { ok: false, refusal: 'not_found', message: `restore ${input.restoreId} does not exist` };

  if (input.proof?.method === 'unproven') {
    return refuse(services, restore, 'approve', who, 'unproven_approver', input.proof.problem);
  }
  const identities = [input.approver, ...(input.sameAs ?? [])];
  const selfApproval = identities.includes(restore.requestedBy);
  // a proven CLI approval keeps two people even for break-glass: the requester can never approve
  const twoPeopleAlways = input.proof?.method === 'approver-credential';
  if (selfApproval && (!restore.breakGlass || twoPeopleAlways)) {
    const message = `you requested restore ${restore.id}; someone else must approve it`;
    return refuse(services, restore, 'approve', who, 'self_approval', message);
  }
  const role = selfApproval ? 'admin' : 'approver';
  if (!(await input.authorize(restore.connection, input.approver, role))) {
    const message = selfApproval
      ? `approving your own break-glass restore needs the admin role on ${restore.connection}`
      : `you need the approver role on ${restore.connection} to approve restore ${restore.id}`;
    return refuse(services, restore, 'approve', who, 'not_authorized', message);
  }
  const planHash = input.planHash ?? restore.planHash;
  if (!planHash) {
    const message = `restore ${restore.id} is ${restore.status} and has no plan to approve yet`;
    return refuse(services, restore, 'approve', who, 'not_awaiting_approval', message);
  }

  const result = await services.repos.restores.approve({
    restoreId: restore.id,
    approver: input.approver,
    planHash,
  });
  if (!result.ok) return refuse(services, result.restore ?? restore, 'approve', who, ...refusedBy(result));

  const approved = result.restore;
  await auditRestore(services, approved, 'restore.approved', {
    actor: who.actor,
    details: {
      approver: input.approver,
      requestedBy: approved.requestedBy,
      ...(input.proof ? { proof: input.proof } : {}),
      ...(selfApproval ? { breakGlass: true, selfApproved: true } : {}),
    },
  });
  try {
    await services.work.restoreRun(approved.id, result.approval?.id ?? 0);
  } catch (err) {
    const why = `approved, but the restore could not be queued: ${(err as Error).message}; nothing was changed`;
    const failed = await services.repos.restores.finish(approved.id, 'failed', {
      failure: { code: 'queue_unavailable', reason: why },
    });
    await auditRestore(services, failed, 'restore.failed', { outcome: 'failed', details: { reason: why } });
    await notifyRestore(services, { restore: failed, phase: 'finished', message: why });
    return { ok: false, refusal: 'not_awaiting_approval', message: why };
  }
  await notifyRestore(services, {
    restore: approved,
    phase: 'approved',
    actor: input.approver,
    breakGlass: selfApproval,
  });
  return { ok: true, restore: approved };
}

export async function rejectRestore(services: Services, input: RejectInput): Promise<RestoreDecision> {
  const who = { user: input.by, actor: input.actor ?? input.by };
  const restore = await services.repos.restores.get(input.restoreId);
  if (!restore)
    return { ok: false, refusal: 'not_found', message: `restore ${input.restoreId} does not exist` };
  if (input.proof?.method === 'unproven') {
    return refuse(services, restore, 'reject', who, 'unproven_approver', input.proof.problem);
  }
  if (!(await input.authorize(restore.connection, input.by, 'approver'))) {
    const message = `you need the approver role on ${restore.connection} to reject restore ${restore.id}`;
    return refuse(services, restore, 'reject', who, 'not_authorized', message);
  }
  const result = await services.repos.restores.reject({ restoreId: restore.id, approver: input.by });
  if (!result.ok) return refuse(services, result.restore ?? restore, 'reject', who, ...refusedBy(result));
  // A request rejected before its plan existed has no hash; the planned-state row never reaches here.
  await auditRestore(services, result.restore, 'restore.rejected', {
    actor: who.actor,
    details: { by: input.by, ...(input.proof ? { proof: input.proof } : {}) },
  });
  await notifyRestore(services, { restore: result.restore, phase: 'rejected', actor: input.by });
  return { ok: true, restore: result.restore };
}

export async function cancelRestore(services: Services, input: CancelInput): Promise<RestoreDecision> {
  const who = { user: input.by, actor: input.actor ?? input.by };
  const restore = await services.repos.restores.get(input.restoreId);
  if (restore && !(await input.authorize(restore.connection, input.by, 'operator'))) {
    const message = `you need the operator role on ${restore.connection} to cancel restore ${restore.id}`;
    return refuse(services, restore, 'cancel', who, 'not_authorized', message);
  }
  const result = await services.repos.restores.cancel({ restoreId: input.restoreId, by: input.by });
  if (!result.ok) return refuse(services, result.restore, 'cancel', who, ...refusedBy(result));
  await auditRestore(services, result.restore, 'restore.cancelled', {
    actor: who.actor,
    details: { by: input.by },
  });
  await notifyRestore(services, { restore: result.restore, phase: 'cancelled', actor: input.by });
  return { ok: true, restore: result.restore };
}
