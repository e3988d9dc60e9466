/**
 * The Undo button under a finished restore: a NEW restore request of that restore's pre-restore backup,
 * by the clicker (operator on the connection, checked now), reason "undo of <id>", going through the same
 * plan and approval as any request. Its card is a new top-level message (the thread root of the undo).
 */
import type { BotRuntime, CommandResult } from '../../handlers/context.ts';
import { startRestoreRequest } from '../../handlers/restore-request.ts';
import { code } from '../../views/format.ts';
import type { SlackMessage } from '../../views/message.ts';
import { RESTORE_UNDO_ACTION } from '../../views/restore-card.ts';
import { note, refusalMessage } from '../../views/simple.ts';
import { buttonListener } from './button.ts';

export function restoreUndo(rt: BotRuntime) {
  return buttonListener(rt, RESTORE_UNDO_ACTION, ({ userId, channelId, value, reply }) =>
    undo(rt, userId, channelId, value, (m) => reply(m)),
  );
}

async function undo(
  rt: BotRuntime,
  userId: string,
  channelId: string | undefined,
  restoreId: string,
  reply: (m: SlackMessage) => Promise<void>,
): Promise<CommandResult> {
  const done = await rt.services.restores.get(restoreId.trim());
  if (!done || !channelId) {
    await reply(note(`Restore request ${code(restoreId)} has no pre-restore backup to go back to.`));
    return { outcome: 'refused', targetId: restoreId, details: { reason: 'no_pre_restore_backup' } };
  }
  const role = await rt.auth.check(userId, done.connection, 'operator');
  if (!role.ok) {
    await reply(refusalMessage(role.message));
    return {
      outcome: 'denied',
      connection: done.connection,
      targetId: done.id,
      details: { needed: role.needed, held: role.held ?? 'none' },
    };
  }
  // Why an undo is impossible, in words: the restore wrote nothing, or its pre-restore backup is gone.
  const target = rt.services.restoreRequests ? await rt.services.restoreRequests.undoTarget(done.id) : null;
  if (target && !target.ok) {
    await reply(refusalMessage(`Restore ${code(done.id)} cannot be undone: ${target.message}.`));
    return {
      outcome: 'refused',
      connection: done.connection,
      targetId: done.id,
      details: { reason: target.message.slice(0, 200) },
    };
  }
  const result = await startRestoreRequest(
    rt,
    { userId, channelId, respond: reply },
    {
      connection: done.connection,
      backup: { kind: 'id', id: target?.ok ? target.backup.id : (done.preRestoreBackupId ?? '') },
      reason: `undo of ${done.id}`,
    },
  );
  return { ...result, details: { ...result.details, undoOf: done.id } };
}
