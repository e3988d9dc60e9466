import type { CommandOf } from '../grammar/index.ts';
import { code } from '../views/format.ts';
import { note } from '../views/simple.ts';
import { verifyPendingCard } from '../views/verify-prune.ts';
import { type CommandContext, type CommandResult, requireRole } from './context.ts';

/**
 * `/kong verify <backup-id>` (operator): posts a card, enqueues a verify job; the notifier edits the
 * card with each copy's result.
 */
export async function verify(cmd: CommandOf<'verify'>, ctx: CommandContext): Promise<CommandResult> {
  const found = await ctx.services.backups.get(cmd.backupId);
  if (!found) {
    await ctx.respond(note(`There is no backup ${code(cmd.backupId)}.`));
    return { outcome: 'refused', targetId: cmd.backupId, details: { reason: 'not_found' } };
  }
  const denied = await requireRole(ctx, found.connection, 'operator');
  if (denied) return { ...denied, targetId: found.id };
  if (found.status !== 'completed' || found.prunedAt) {
    const why = found.prunedAt ? 'its artifact was removed by retention' : `it is ${found.status}`;
    await ctx.respond(note(`Backup ${code(found.id)} cannot be verified: ${why}.`));
    return {
      outcome: 'refused',
      connection: found.connection,
      targetId: found.id,
      details: { status: found.status },
    };
  }
  const card = verifyPendingCard(found.id, found.connection, ctx.userId);
  const posted = await ctx.outbox.run(ctx.channelId, (c) =>
    c.chat.postMessage({ channel: ctx.channelId, ...card }),
  );
  const ref = { channel: ctx.channelId, ts: posted.ts! };
  ctx.cards.posted(ref);
  ctx.notifier.verifyRequested(found.id, ref);
  await ctx.services.requestVerify({ backupId: found.id, requestedBy: ctx.userId, slack: ref });
  return { outcome: 'ok', connection: found.connection, targetId: found.id };
}
