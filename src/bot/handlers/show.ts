import type { CommandOf } from '../grammar/index.ts';
import { backupDetailMessage } from '../views/backup-list.ts';
import { code } from '../views/format.ts';
import { note } from '../views/simple.ts';
import { storageMessage } from '../views/storage.ts';
import { type CommandContext, type CommandResult, requireRole } from './context.ts';

/**
 * `/kong show <connection|backup-id>` (viewer): a connection's storage targets with their last
 * verification, or one backup with its copies. Configured connection names win over backup ids.
 */
export async function show(cmd: CommandOf<'show'>, ctx: CommandContext): Promise<CommandResult> {
  if (ctx.auth.connection(cmd.id)) return showConnection(cmd.id, ctx);
  const found = await ctx.services.backups.get(cmd.id);
  if (!found) {
    await ctx.respond(
      note(
        `There is no connection or backup ${code(cmd.id)}. \`/kong connections\` lists connections, \`/kong backups <connection>\` their backups.`,
      ),
    );
    return { outcome: 'refused', targetId: cmd.id, details: { reason: 'not_found' } };
  }
  const denied = await requireRole(ctx, found.connection, 'viewer');
  if (denied) return { ...denied, targetId: found.id };
  const copies = await ctx.services.backups.listCopies(found.id);
  await ctx.respond(backupDetailMessage(found, copies));
  return { outcome: 'ok', connection: found.connection, targetId: found.id };
}

async function showConnection(connection: string, ctx: CommandContext): Promise<CommandResult> {
  const denied = await requireRole(ctx, connection, 'viewer');
  if (denied) return denied;
  const targets = await ctx.services.storageOverview(connection);
  await ctx.respond(storageMessage(connection, targets));
  return { outcome: 'ok', connection, details: { view: 'storage', targets: targets.length } };
}
