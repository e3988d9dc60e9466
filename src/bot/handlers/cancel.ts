import type { CommandOf } from '../grammar/index.ts';
import type { CommandContext, CommandResult } from './context.ts';
import { decideRestore } from './restore-decision.ts';

/** `/kong cancel <request-id>`: the same rules as the card's Cancel button (restore-decision.ts). */
export async function cancel(cmd: CommandOf<'cancel'>, ctx: CommandContext): Promise<CommandResult> {
  const { result, reply } = await decideRestore(ctx, {
    kind: 'cancel',
    restoreId: cmd.requestId,
    userId: ctx.userId,
  });
  await ctx.respond(reply);
  return result;
}
