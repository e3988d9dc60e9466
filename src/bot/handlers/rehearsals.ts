import type { CommandOf } from '../grammar/index.ts';
import { rehearsalListMessage } from '../views/rehearsal-list.ts';
import { type CommandContext, type CommandResult, requireRole } from './context.ts';

/** `/kong rehearsals <connection> [--limit N]` (viewer): the newest rehearsals, answered only to the caller. */
export async function rehearsals(cmd: CommandOf<'rehearsals'>, ctx: CommandContext): Promise<CommandResult> {
  const denied = await requireRole(ctx, cmd.connection, 'viewer');
  if (denied) return denied;
  const list = await ctx.services.rehearsals.listByConnection(cmd.connection, { limit: cmd.limit });
  const target =
    ctx.services.config.connections.find((c) => c.name === cmd.connection)?.rehearsal?.target ?? null;
  await ctx.respond(rehearsalListMessage(cmd.connection, list, target));
  return { outcome: 'ok', connection: cmd.connection, details: { limit: cmd.limit, shown: list.length } };
}
