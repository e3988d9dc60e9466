import type { CommandOf } from '../grammar/index.ts';
import { backupListMessage } from '../views/backup-list.ts';
import { type CommandContext, type CommandResult, requireRole } from './context.ts';

/** `/kong backups <connection> [--limit N]` (viewer): the newest backups, answered only to the caller. */
export async function backups(cmd: CommandOf<'backups'>, ctx: CommandContext): Promise<CommandResult> {
  const denied = await requireRole(ctx, cmd.connection, 'viewer');
  if (denied) return denied;
  const list = await ctx.services.backups.listByConnection(cmd.connection, {
    limit: cmd.limit,
    includePruned: true,
  });
  await ctx.respond(backupListMessage(cmd.connection, list, cmd.limit));
  return { outcome: 'ok', connection: cmd.connection, details: { limit: cmd.limit, shown: list.length } };
}
