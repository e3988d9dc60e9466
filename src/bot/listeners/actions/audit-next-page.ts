/**
 * The "Next page" button under `/kong audit`. The button's value is only a cursor (filters + where to
 * continue); it grants nothing: the clicker's role is checked again now, as for a command.
 */
import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  RespondArguments,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { decodeCursor } from '../../handlers/audit-cursor.ts';
import { auditPage } from '../../handlers/audit-query.ts';
import type { BotRuntime, CommandResult } from '../../handlers/context.ts';
import { AUDIT_NEXT_PAGE_ACTION } from '../../views/audit-page.ts';
import { note, refusalMessage } from '../../views/simple.ts';
import { recordInteraction } from '../record.ts';

export function auditNextPage(rt: BotRuntime) {
  return async ({
    ack,
    body,
    action,
    respond,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const cursor = decodeCursor(action.value ?? '');
    let result: CommandResult;
    if (!cursor) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...note('That page link is not valid; run `/kong audit` again.'),
      } as RespondArguments);
      result = { outcome: 'refused', details: { reason: 'bad_cursor' } };
    } else {
      const page = await auditPage(rt.services, rt.auth, userId, cursor);
      if (!page.ok) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...refusalMessage(page.message),
        } as RespondArguments);
        result = {
          outcome: page.known ? 'denied' : 'refused',
          details: { needed: page.needed, page: cursor.page },
        };
      } else {
        await respond({
          response_type: 'ephemeral',
          replace_original: true,
          ...page.message,
        } as RespondArguments);
        result = { outcome: 'ok', details: { page: cursor.page, shown: page.shown } };
      }
      if (cursor.connection) result.connection = cursor.connection;
    }
    await recordInteraction(rt, userId, { action: AUDIT_NEXT_PAGE_ACTION }, result);
  };
}
