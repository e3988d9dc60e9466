import type { CommandOf } from '../grammar/index.ts';
import type { CommandContext, CommandResult } from './context.ts';
import { decideRestore } from './restore-decision.ts';

/** `/kong reject <request-id>`: the same rules as the card's Reject button (restore-decision.ts). */
export async function reject(cmd: CommandOf<'reject'>, ctx: CommandContext): Promise<CommandResult> {
  const { result, reply } = await decideRestore(ctx, {
    kind: 'reject',
    restoreId: cmd.requestId,
    userId: ctx.userId,
  });
  await ctx.respond(reply);
  return result;
}
