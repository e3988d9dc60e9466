/** One page of `/kong audit`: newest events first, a "Next page" button while older ones remain. */
import type { AuditEvent } from '../../audit/index.ts';
import { actions, button, context, escapeMrkdwn, section } from '../blocks/index.ts';
import { code, slackDate, userMention } from './format.ts';
import { listMessage } from './lines.ts';
import type { SlackMessage } from './message.ts';

export const AUDIT_NEXT_PAGE_ACTION = 'audit_next_page';

const OUTCOME_EMOJI: Record<string, string> = {
  ok: ':white_check_mark:',
  failed: ':x:',
  refused: ':no_entry:',
};

export function auditLine(e: AuditEvent): string {
  const where = e.connection ? ` on ${code(e.connection)}` : '';
  const target = e.targetId ? ` ${code(e.targetId)}` : '';
  const actor = e.actor.startsWith('U') || e.actor.startsWith('W') ? userMention(e.actor) : code(e.actor);
  return `${OUTCOME_EMOJI[e.outcome] ?? ''} ${slackDate(e.time)} ${actor} *${escapeMrkdwn(e.action)}*${target}${where} — ${e.outcome}`;
}

export interface AuditPageInput {
  events: readonly AuditEvent[];
  /** human summary of the filters, e.g. "connection prod, since 7d" */
  filters: string;
  page: number;
  /** the opaque cursor for the next page; absent on the last page */
  nextCursor?: string;
}

export function auditPageMessage(p: AuditPageInput): SlackMessage {
  const title = `*Audit log*${p.filters ? ` — ${escapeMrkdwn(p.filters)}` : ''}${p.page > 1 ? ` (page ${p.page})` : ''}`;
  if (p.events.length === 0) {
    return { text: 'No matching audit events', blocks: [section(`${title}\nNo matching events.`)] };
  }
  const foot = p.nextCursor
    ? [actions([button({ text: 'Next page', actionId: AUDIT_NEXT_PAGE_ACTION, value: p.nextCursor })])]
    : [context(['End of the matching events.'])];
  return {
    text: `${p.events.length} audit events`,
    blocks: listMessage([section(title)], p.events.map(auditLine), foot),
  };
}
