import type { CommandOf } from '../grammar/index.ts';
import type { CommandContext, CommandResult } from './context.ts';
import { decideRestore } from './restore-decision.ts';

/** `/kong approve <request-id>`: the same rules as the card's Approve button (restore-decision.ts). */
export async function approve(cmd: CommandOf<'approve'>, ctx: CommandContext): Promise<CommandResult> {
  const { result, reply } = await decideRestore(ctx, {
    kind: 'approve',
    restoreId: cmd.requestId,
    userId: ctx.userId,
  });
  await ctx.respond(reply);
  return result;
}
