/**
 * The one `/kong` listener (Bolt runs every matching command listener, so subcommands are parsed here,
 * not registered separately). It keeps the command in the inbox shared by every serve (one Redis write,
 * bounded to 300 ms; command-inbox.ts), acks — empty, within Slack's 3 seconds, before any database or
 * Kong work — then parses, dispatches to the command's handler (which authorises, enqueues and replies),
 * audits how it ended and lets the inbox go. Every answer to the caller goes through response_url; a
 * command taken over from a serve that stopped (`recoverCommand`) answers with an ephemeral message.
 */
import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { HeldCommand, HeldCommandFields } from '../../command-inbox.ts';
import { type KongCommand, parseKongCommand } from '../../grammar/index.ts';
import type { BotRuntime, CommandContext, CommandHandler, CommandResult } from '../../handlers/context.ts';
import { COMMAND_HANDLERS } from '../../handlers/index.ts';
import { inCommand } from '../../views/command-name.ts';
import { code } from '../../views/format.ts';
import type { SlackMessage } from '../../views/message.ts';
import { note, usageMessage } from '../../views/simple.ts';
import { recordInteraction } from '../record.ts';

/** How long the inbox write may hold up the ack before the command is acted on without it. */
const HOLD_LIMIT_MS = 300;

export function kongCommand(rt: BotRuntime) {
  return async ({ ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const held = await hold(rt, command);
    await ack();
    const answer = async (m: SlackMessage) => {
      await respond({ response_type: 'ephemeral', ...m } as RespondArguments);
    };
    await rt.work.run(async () => {
      try {
        await handleCommand(rt, fieldsOf(command), answer, false);
      } finally {
        if (held) await rt.inbox?.release(held).catch(() => undefined);
      }
    });
  };
}

function fieldsOf(command: SlackCommandMiddlewareArgs['command']): HeldCommandFields {
  return {
    command: command.command,
    text: command.text ?? '',
    user_id: command.user_id,
    channel_id: command.channel_id,
    ...(command.team_id ? { team_id: command.team_id } : {}),
    ...(command.trigger_id ? { trigger_id: command.trigger_id } : {}),
  };
}

async function hold(rt: BotRuntime, command: SlackCommandMiddlewareArgs['command']): Promise<string | null> {
  if (!rt.inbox) return null;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      rt.inbox.hold(fieldsOf(command)),
      new Promise<null>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${HOLD_LIMIT_MS} ms`)), HOLD_LIMIT_MS);
      }),
    ]);
  } catch (err) {
    rt.logger.warn(`the command inbox is unavailable, acting on /kong without it: ${(err as Error).message}`);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a command another serve acked and did not finish (it stopped): the same parse, handler and audit,
 * answered with an ephemeral message in the channel (the original response_url is not kept).
 */
export async function recoverCommand(rt: BotRuntime, held: HeldCommand): Promise<void> {
  const { fields } = held;
  const typed = `${fields.command} ${fields.text}`.trim();
  const preface = `snapgate restarted while handling ${code(typed)}; it has been run now.`;
  const answer = async (m: SlackMessage) => {
    const message: SlackMessage = {
      ...m,
      text: `${preface} ${m.text}`,
      ...(m.blocks
        ? { blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: preface }] }, ...m.blocks] }
        : {}),
    };
    await rt.outbox.run(fields.channel_id, (c) =>
      c.chat.postEphemeral({
        channel: fields.channel_id,
        user: fields.user_id,
        ...message,
      } as Parameters<typeof c.chat.postEphemeral>[0]),
    );
  };
  await handleCommand(rt, fields, answer, true);
}

/** A command too old to run after a restart: the person is told to ask again. */
export async function dropStaleCommand(rt: BotRuntime, held: HeldCommand): Promise<void> {
  const { fields } = held;
  const typed = `${fields.command} ${fields.text}`.trim();
  rt.logger.warn(`a /kong command held by a stopped serve is too old to run; its sender was told`);
  await rt.outbox
    .run(fields.channel_id, (c) =>
      c.chat.postEphemeral({
        channel: fields.channel_id,
        user: fields.user_id,
        text: `snapgate restarted while handling ${code(typed)} and did not finish it; it is too old to run now. Please run it again.`,
      }),
    )
    .catch((err: unknown) => rt.logger.warn(`could not tell the sender: ${(err as Error).message}`));
  await recordInteraction(
    rt,
    fields.user_id,
    { command: fields.text.trim().split(/\s+/)[0] || 'unknown' },
    {
      outcome: 'failed',
      details: { error: 'not run: the serve that acked it stopped, and it was too old to run after' },
    },
  );
}

async function handleCommand(
  rt: BotRuntime,
  command: HeldCommandFields,
  respond: (m: SlackMessage) => Promise<void>,
  recovered: boolean,
): Promise<void> {
  const ctx: CommandContext = {
    ...rt,
    userId: command.user_id,
    channelId: command.channel_id,
    ...(command.trigger_id ? { triggerId: command.trigger_id } : {}),
    ...(recovered ? { recovered: true } : {}),
    // `/snapgate help` answers with `/snapgate` in its hints, `/kong help` with `/kong`
    respond: (m) => respond(inCommand(m, command.command)),
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
  await recordInteraction(
    rt,
    command.user_id,
    { command: name },
    recovered ? { ...result, details: { ...result.details, recovered: true } } : result,
  );
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
