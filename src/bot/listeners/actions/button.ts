/**
 * The shape every button shares: ack at once, hand the click to `handle` with an ephemeral `reply` to
 * the clicker, then audit the click with the handler's result. A failed reply is logged, never thrown:
 * the click is audited either way. Buttons carry ids and cursors only; handlers check roles again now.
 */
import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  RespondArguments,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { BotRuntime, CommandResult } from '../../handlers/context.ts';
import type { SlackMessage } from '../../views/message.ts';
import { recordInteraction } from '../record.ts';

export interface ButtonClick {
  userId: string;
  /** the button's value (an id or a cursor), as sent. */
  value: string;
  blockId: string;
  channelId: string | undefined;
  /** answers only the clicker; `replaceOriginal` swaps the message the button sits in. */
  reply(message: SlackMessage, opts?: { replaceOriginal?: boolean }): Promise<void>;
}

export function buttonListener(
  rt: BotRuntime,
  actionId: string,
  handle: (click: ButtonClick) => Promise<CommandResult>,
) {
  return async ({
    ack,
    body,
    action,
    respond,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const result = await handle({
      userId,
      value: action.value ?? '',
      blockId: action.block_id,
      channelId: body.channel?.id ?? body.container?.channel_id,
      reply: (message, opts) =>
        respond({
          response_type: 'ephemeral',
          replace_original: opts?.replaceOriginal === true,
          ...message,
        } as RespondArguments).then(
          () => undefined,
          (err: unknown) => rt.logger.warn(`respond failed: ${err}`),
        ),
    });
    await recordInteraction(rt, userId, { action: actionId }, result);
  };
}
