import { catalogueFor } from '../../core/index.ts';
import type { CommandOf } from '../grammar/index.ts';
import { connectionsMessage } from '../views/simple.ts';
import type { CommandContext, CommandResult } from './context.ts';

/**
 * `/kong connections`: names, environments, owners and the caller's own role. Needs no role (knowing a
 * gateway's name grants nothing). Admin URLs are left out: they may embed credentials.
 */
export async function connections(
  _cmd: CommandOf<'connections'>,
  ctx: CommandContext,
): Promise<CommandResult> {
  const rows = await Promise.all(
    ctx.services.config.connections.map(async (c) => ({
      name: c.name,
      gateway: catalogueFor(c.type).title,
      environment: c.environment,
      owner: c.owner,
      role: await ctx.auth.roleOn(ctx.userId, c),
    })),
  );
  await ctx.respond(connectionsMessage(rows));
  return { outcome: 'ok' };
}
