import type { CommandOf } from '../grammar/index.ts';
import { backupDetailMessage } from '../views/backup-list.ts';
import { code } from '../views/format.ts';
import { note } from '../views/simple.ts';
import { type CommandContext, type CommandResult, requireRole } from './context.ts';

/** `/kong show <backup-id>` (viewer on the backup's connection). */
export async function show(cmd: CommandOf<'show'>, ctx: CommandContext): Promise<CommandResult> {
  const found = await ctx.services.backups.get(cmd.backupId);
  if (!found) {
    await ctx.respond(
      note(`There is no backup ${code(cmd.backupId)}. List them with \`/kong backups <connection>\`.`),
    );
    return { outcome: 'refused', targetId: cmd.backupId, details: { reason: 'not_found' } };
  }
  const denied = await requireRole(ctx, found.connection, 'viewer');
  if (denied) return { ...denied, targetId: found.id };
  const copies = await ctx.services.backups.listCopies(found.id);
  await ctx.respond(backupDetailMessage(found, copies));
  return { outcome: 'ok', connection: found.connection, targetId: found.id };
}
