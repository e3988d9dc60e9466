import { type CommandOf, helpText } from '../grammar/index.ts';
import { helpMessage } from '../views/simple.ts';
import type { CommandContext, CommandResult } from './context.ts';

/** `/kong help [command]`: needs no role; the text comes from the grammar's one table. */
export async function help(cmd: CommandOf<'help'>, ctx: CommandContext): Promise<CommandResult> {
  await ctx.respond(helpMessage(helpText(cmd.topic)));
  return { outcome: 'ok', details: cmd.topic ? { topic: cmd.topic } : {} };
}
