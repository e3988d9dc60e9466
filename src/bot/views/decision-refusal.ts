/**
 * Why an Approve, Reject or Cancel did nothing, in words for the person who clicked: what the request is
 * now and who moved it there, never a bare id or an internal status name. The jobs' refusal code and the
 * record as it is now are the input; `fallback` (the jobs' own sentence) is used only for codes this
 * does not know.
 */
import type { Restore } from '../../app/ports/records.ts';
import { code, slackDate, userMention } from './format.ts';

export type DecisionKind = 'approve' | 'reject' | 'cancel';

const VERB: Record<DecisionKind, string> = { approve: 'approve', reject: 'reject', cancel: 'cancel' };

/** What the request is now, as a sentence ending in what (if anything) to do next. */
function whereItIs(r: Restore): string {
  const by = r.approvedBy ? ` by ${userMention(r.approvedBy)}` : '';
  switch (r.status) {
    case 'planned':
      return 'Its plan is still being computed; the buttons work once the card shows it.';
    case 'awaiting_approval':
      return 'It is waiting for approval.';
    case 'approved':
    case 'running':
      return `It was already approved${by} and is running; the card shows how it goes.`;
    case 'completed':
      return `It was already approved${by} and has finished; the outcome is in the card's thread.`;
    case 'partially_failed':
    case 'failed':
      return `It already ran${by} and ${r.status === 'failed' ? 'failed' : 'partly failed'}; the outcome is in the card's thread.`;
    case 'rejected':
      return 'It was already rejected; nothing was changed. Ask for a new restore if it is still needed.';
    case 'cancelled':
      return 'It was already cancelled; nothing was changed. Ask for a new restore if it is still needed.';
    case 'expired':
      return `It expired at ${slackDate(r.expiresAt)} without an approval; nothing was changed. Ask for a new restore if it is still needed.`;
  }
}

export function decisionRefusalText(
  kind: DecisionKind,
  refusal: string,
  current: Restore | null,
  fallback: string,
): string {
  if (!current) return fallback;
  const what = `the restore of ${code(current.connection)}`;
  switch (refusal) {
    case 'self_approval':
      return `You asked for ${what}, so you cannot approve it yourself: a second person must. Ask another approver on ${code(current.connection)}.`;
    case 'not_awaiting_approval':
    case 'expired':
      return `You cannot ${VERB[kind]} ${what} now. ${whereItIs(current)}`;
    case 'plan_changed':
      return `The plan of ${what} changed after this card was drawn (the live gateway changed). Read the new plan on the card and approve that one.`;
    default:
      return fallback;
  }
}
