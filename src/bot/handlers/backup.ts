import { derivedBackupId } from '../../app/index.ts';
import type { CommandOf } from '../grammar/index.ts';
import { backupCard } from '../views/backup-card.ts';
import { code } from '../views/format.ts';
import { note } from '../views/simple.ts';
import { type CommandContext, type CommandResult, requireRole } from './context.ts';

/**
 * `/kong backup <connection> [--note]` (operator): posts one top-level card in the channel (slash
 * commands cannot run in threads, so the card is the thread root), then creates the pending record with
 * the card's channel and ts and enqueues its job. The worker's notifier edits the card from then on.
 */
export async function backup(cmd: CommandOf<'backup'>, ctx: CommandContext): Promise<CommandResult> {
  const denied = await requireRole(ctx, cmd.connection, 'operator');
  if (denied) return denied;
  const connection = ctx.auth.connection(cmd.connection)!;
  const id = ctx.triggerId ? derivedBackupId(`slack:${ctx.triggerId}`) : undefined;
  if (id && ctx.recovered) {
    // the serve that acked this command may have got as far as the record before it stopped
    const earlier = await ctx.services.backups.get(id);
    if (earlier) {
      await ctx.respond(
        note(
          `Backup ${code(earlier.id)} of ${code(connection.name)} was already queued; follow it in its thread.`,
        ),
      );
      return {
        outcome: 'ok',
        connection: connection.name,
        targetId: earlier.id,
        details: { recovered: true },
      };
    }
  }
  const card = backupCard({
    connection: connection.name,
    environment: connection.environment,
    type: 'manual',
    status: 'pending',
    requestedBy: ctx.userId,
    note: cmd.note ?? null,
    line: 'Queued; a worker picks it up shortly.',
  });
  const posted = await ctx.outbox.run(ctx.channelId, (c) =>
    c.chat.postMessage({ channel: ctx.channelId, ...card }),
  );
  const ref = { channel: ctx.channelId, ts: posted.ts! };
  ctx.cards.posted(ref);
  const input = {
    ...(id ? { id } : {}),
    connection: connection.name,
    requestedBy: ctx.userId,
    slack: ref,
    ...(cmd.note ? { note: cmd.note } : {}),
  };
  const created = await ctx.services.requestBackup(input);
  if (!created.slack) await ctx.services.backups.setSlackMessage(created.id, ref);
  // The card was posted before the record existed; show its id (and any status a fast worker reached).
  const latest = (await ctx.services.backups.get(created.id)) ?? created;
  ctx.notifier.backupChanged({ backup: { ...latest, slack: ref } });
  await ctx.respond(
    note(`Backup ${code(created.id)} of ${code(connection.name)} queued; follow it in the thread.`),
  );
  return { outcome: 'ok', connection: connection.name, targetId: created.id };
}
