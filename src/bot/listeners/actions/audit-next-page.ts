/**
 * The "Next page" button under `/kong audit`. The button's value is only a cursor (filters + where to
 * continue); it grants nothing: the clicker's role is checked again now, as for a command.
 */
import { decodeCursor } from '../../handlers/audit-cursor.ts';
import { auditPage } from '../../handlers/audit-query.ts';
import type { BotRuntime, CommandResult } from '../../handlers/context.ts';
import { AUDIT_NEXT_PAGE_ACTION } from '../../views/audit-page.ts';
import { note, refusalMessage } from '../../views/simple.ts';
import { buttonListener } from './button.ts';

export function auditNextPage(rt: BotRuntime) {
  return buttonListener(rt, AUDIT_NEXT_PAGE_ACTION, async ({ userId, value, reply }) => {
    const cursor = decodeCursor(value);
    if (!cursor) {
      await reply(note('That page link is not valid; run `/kong audit` again.'));
      return { outcome: 'refused', details: { reason: 'bad_cursor' } };
    }
    const page = await auditPage(rt.services, rt.auth, userId, cursor);
    let result: CommandResult;
    if (!page.ok) {
      await reply(refusalMessage(page.message));
      result = {
        outcome: page.known ? 'denied' : 'refused',
        details: { needed: page.needed, page: cursor.page },
      };
    } else {
      await reply(page.message, { replaceOriginal: true });
      result = { outcome: 'ok', details: { page: cursor.page, shown: page.shown } };
    }
    if (cursor.connection) result.connection = cursor.connection;
    return result;
  });
}
