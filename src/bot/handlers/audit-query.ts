/**
 * Runs one page of an audit query for a Slack user, shared by `/kong audit` and the "Next page" click:
 * checks the role (viewer on the filtered connection, or admin on any connection when unfiltered),
 * fetches one row more than the page to know whether another page exists, and builds the message.
 */
import type { AuditQuery } from '../../audit/index.ts';
import type { Authorizer } from '../auth/index.ts';
import type { BotServices } from '../services.ts';
import { auditPageMessage } from '../views/audit-page.ts';
import type { SlackMessage } from '../views/message.ts';
import { type AuditCursor, encodeCursor } from './audit-cursor.ts';

export type AuditPageResult =
  | { ok: true; message: SlackMessage; shown: number }
  | { ok: false; known: boolean; message: string; needed: 'viewer' | 'admin' };

export async function auditPage(
  services: BotServices,
  auth: Authorizer,
  userId: string,
  q: Omit<AuditCursor, 'beforeSeq' | 'page'> & { beforeSeq?: number; page: number },
): Promise<AuditPageResult> {
  if (q.connection) {
    const decision = await auth.check(userId, q.connection, 'viewer');
    if (!decision.ok)
      return {
        ok: false,
        known: !!auth.connection(q.connection),
        message: decision.message,
        needed: 'viewer',
      };
  } else if (!(await auth.isAdminAnywhere(userId))) {
    return {
      ok: false,
      known: true,
      needed: 'admin',
      message:
        'The whole audit log needs the *admin* role on a connection. Filter by one you can view: `/kong audit --connection <name>`.',
    };
  }
  const query: AuditQuery = { limit: q.limit + 1 };
  if (q.connection) query.connection = q.connection;
  if (q.actor) query.actor = q.actor;
  if (q.action) query.action = q.action;
  if (q.since !== undefined) query.since = new Date(q.since);
  if (q.beforeSeq !== undefined) query.beforeSeq = q.beforeSeq;
  const rows = await services.audit.list(query);
  const events = rows.slice(0, q.limit);
  const more = rows.length > q.limit;
  const input = { events, filters: describeFilters(q), page: q.page };
  const message = auditPageMessage(
    more
      ? { ...input, nextCursor: encodeCursor({ ...q, page: q.page + 1, beforeSeq: events.at(-1)!.seq }) }
      : input,
  );
  return { ok: true, message, shown: events.length };
}

function describeFilters(q: Omit<AuditCursor, 'beforeSeq' | 'page'>): string {
  const parts: string[] = [];
  if (q.connection) parts.push(`connection ${q.connection}`);
  if (q.actor) parts.push(`user <@${q.actor}>`);
  if (q.action) parts.push(`action ${q.action}`);
  if (q.since !== undefined)
    parts.push(`since ${new Date(q.since).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  return parts.join(', ');
}
