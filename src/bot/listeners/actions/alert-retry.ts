/**
 * The Retry button under a failed-backup or missing-backup alert: a new backup of the connection by the
 * clicker — operator on the connection, checked now (the button's value is only the connection's name
 * and carries no authority) — started as `/kong backup` starts one: its card is posted in the alert's
 * channel and the thread follows it. The click is audited (`slack.button`) by `buttonListener`.
 */

import { startBackup } from '../../handlers/backup.ts';
import type { BotRuntime, CommandResult } from '../../handlers/context.ts';
import { ALERT_RETRY_ACTION } from '../../views/alert.ts';
import { code } from '../../views/format.ts';
import { note, refusalMessage } from '../../views/simple.ts';
import { buttonListener } from './button.ts';

export function alertRetry(rt: BotRuntime) {
  return buttonListener(rt, ALERT_RETRY_ACTION, async ({ userId, channelId, value, reply }) => {
    const name = value.trim();
    const connection = rt.auth.connection(name);
    if (!connection || !channelId) {
      await reply(note(`There is no connection ${code(name)} to back up.`));
      return { outcome: 'refused', targetId: name, details: { reason: 'unknown_connection' } };
    }
    const role = await rt.auth.check(userId, connection.name, 'operator');
    if (!role.ok) {
      await reply(refusalMessage(role.message));
      return {
        outcome: 'denied',
        connection: connection.name,
        details: { needed: role.needed, held: role.held ?? 'none', retry: true },
      } satisfies CommandResult;
    }
    const result = await startBackup(rt, {
      connection: connection.name,
      environment: connection.environment,
      userId,
      channelId,
      note: 'retry from alert',
      respond: (m) => reply(m),
    });
    return { ...result, details: { ...result.details, retry: true } };
  });
}
