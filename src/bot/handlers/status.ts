import type { CommandOf } from '../grammar/index.ts';
import { backupDetailMessage } from '../views/backup-list.ts';
import { code } from '../views/format.ts';
import { restoreStatusMessage } from '../views/restore-status.ts';
import { note } from '../views/simple.ts';
import { type CommandContext, type CommandResult, requireRole } from './context.ts';

/** `/kong status <id>` (viewer): a backup or a restore request, whichever has that id. */
export async function status(cmd: CommandOf<'status'>, ctx: CommandContext): Promise<CommandResult> {
  const b = await ctx.services.backups.get(cmd.id);
  if (b) {
    const denied = await requireRole(ctx, b.connection, 'viewer');
    if (denied) return { ...denied, targetId: b.id };
    await ctx.respond(backupDetailMessage(b, await ctx.services.backups.listCopies(b.id)));
    return { outcome: 'ok', connection: b.connection, targetId: b.id, details: { record: 'backup' } };
  }
  const r = await ctx.services.restores.get(cmd.id);
  if (r) {
    const denied = await requireRole(ctx, r.connection, 'viewer');
    if (denied) return { ...denied, targetId: r.id };
    await ctx.respond(restoreStatusMessage(r));
    return { outcome: 'ok', connection: r.connection, targetId: r.id, details: { record: 'restore' } };
  }
  await ctx.respond(note(`There is no backup or restore request ${code(cmd.id)}.`));
  return { outcome: 'refused', targetId: cmd.id, details: { reason: 'not_found' } };
}
