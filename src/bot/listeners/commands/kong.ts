/**
 * The one `/kong` listener (Bolt runs every matching command listener, so subcommands are parsed here,
 * not registered separately). It acks first — empty, within Slack's 3 seconds, before any database,
 * Redis or Kong work — then parses, dispatches to the command's handler (which authorises, enqueues
 * and replies) and audits how it ended. Every answer to the caller goes through response_url.
 */
import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { type KongCommand, parseKongCommand } from '../../grammar/index.ts';
import type { BotRuntime, CommandContext, CommandHandler, CommandResult } from '../../handlers/context.ts';
import { COMMAND_HANDLERS } from '../../handlers/index.ts';
import { code } from '../../views/format.ts';
import { note, usageMessage } from '../../views/simple.ts';
import { recordInteraction } from '../record.ts';

export function kongCommand(rt: BotRuntime) {
  return async ({ ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await rt.work.run(() => handleCommand(rt, command, respond));
  };
}

async function handleCommand(
  rt: BotRuntime,
  command: SlackCommandMiddlewareArgs['command'],
  respond: SlackCommandMiddlewareArgs['respond'],
): Promise<void> {
  const ctx: CommandContext = {
    ...rt,
    userId: command.user_id,
    channelId: command.channel_id,
    respond: async (m) => {
      await respond({ response_type: 'ephemeral', ...m } as RespondArguments);
    },
  };
  const parsed = parseKongCommand(command.text ?? '');
  let name: string;
  let result: CommandResult;
  if (!parsed.ok) {
    name = parsed.command ?? 'unknown';
    result = { outcome: 'refused', details: { error: parsed.message.slice(0, 300) } };
    await ctx.respond(usageMessage(parsed)).catch((err: unknown) => rt.logger.warn(`respond failed: ${err}`));
  } else {
    name = parsed.command.name;
    result = await dispatch(parsed.command, ctx);
  }
  await recordInteraction(rt, command.user_id, { command: name }, result);
  rt.logger.debug(`/kong ${name} by ${command.user_id}: ${result.outcome}`);
}

async function dispatch(cmd: KongCommand, ctx: CommandContext): Promise<CommandResult> {
  const handler = COMMAND_HANDLERS[cmd.name] as CommandHandler | undefined;
  if (!handler) {
    await ctx.respond(note(`This snapgate server does not run ${code(cmd.name)} yet. See \`/kong help\`.`));
    return { outcome: 'refused', details: { reason: 'unsupported' } };
  }
  try {
    return await handler(cmd, ctx);
  } catch (err) {
    const message = (err as Error).message;
    ctx.logger.error(`/kong ${cmd.name} by ${ctx.userId} failed: ${message}`);
    await ctx
      .respond(
        note(
          `:x: \`/kong ${cmd.name}\` failed on the snapgate side and nothing more was done. The server log has the details.`,
        ),
      )
      .catch(() => undefined);
    return { outcome: 'failed', details: { error: message.slice(0, 300) } };
  }
}
