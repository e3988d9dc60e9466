import { derivedBackupId } from '../../app/index.ts';
import type { CommandOf } from '../grammar/index.ts';
import { backupCard } from '../views/backup-card.ts';
import { code } from '../views/format.ts';
import type { SlackMessage } from '../views/message.ts';
import { note } from '../views/simple.ts';
import { type BotRuntime, type CommandContext, type CommandResult, requireRole } from './context.ts';

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
  return startBackup(ctx, {
    ...(id ? { id } : {}),
    connection: connection.name,
    environment: connection.environment,
    userId: ctx.userId,
    channelId: ctx.channelId,
    ...(cmd.note ? { note: cmd.note } : {}),
    respond: ctx.respond,
  });
}

export interface BackupStart {
  id?: string;
  connection: string;
  environment: string;
  userId: string;
  channelId: string;
  note?: string;
  respond(message: SlackMessage): Promise<void>;
}

/**
 * Posts the backup's card (the thread root) in the channel, then creates the pending record with the
 * card's reference and queues its job; `/kong backup` and an alert's Retry button both start one here.
 * The caller has checked the role.
 */
export async function startBackup(rt: BotRuntime, start: BackupStart): Promise<CommandResult> {
  const card = backupCard({
    connection: start.connection,
    environment: start.environment,
    type: 'manual',
    status: 'pending',
    requestedBy: start.userId,
    note: start.note ?? null,
    line: 'Queued; a worker picks it up shortly.',
  });
  const posted = await rt.outbox.run(start.channelId, (c) =>
    c.chat.postMessage({ channel: start.channelId, ...card }),
  );
  const ref = { channel: start.channelId, ts: posted.ts! };
  rt.cards.posted(ref);
  const input = {
    ...(start.id ? { id: start.id } : {}),
    connection: start.connection,
    requestedBy: start.userId,
    slack: ref,
    ...(start.note ? { note: start.note } : {}),
  };
  const created = await rt.services.requestBackup(input);
  if (!created.slack) await rt.services.backups.setSlackMessage(created.id, ref);
  // The card was posted before the record existed; show its id (and any status a fast worker reached).
  const latest = (await rt.services.backups.get(created.id)) ?? created;
  rt.notifier.backupChanged({ backup: { ...latest, slack: ref } });
  await start.respond(
    note(`Backup ${code(created.id)} of ${code(start.connection)} queued; follow it in the thread.`),
  );
  return { outcome: 'ok', connection: start.connection, targetId: created.id };
}
