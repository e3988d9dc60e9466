/**
 * The shape shared by the Approve, Reject and Cancel buttons: ack at once, then decide (the role is
 * checked again now, inside `decideRestore`), answer the clicker ephemerally and audit the click. The
 * button's value is only the request id; the actions block's id names the plan hash the card showed.
 */
import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  RespondArguments,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { BotRuntime } from '../../handlers/context.ts';
import { decideRestore, type RestoreDecisionKind } from '../../handlers/restore-decision.ts';
import { planHashOfBlock } from '../../views/restore-card.ts';
import { recordInteraction } from '../record.ts';

export function restoreDecisionClick(rt: BotRuntime, kind: RestoreDecisionKind, actionId: string) {
  return async ({
    ack,
    body,
    action,
    respond,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const { result, reply } = await decideRestore(rt, {
      kind,
      restoreId: (action.value ?? '').trim(),
      userId,
      shownPlanHash: planHashOfBlock(action.block_id),
    });
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...reply,
    } as RespondArguments).catch((err: unknown) => rt.logger.warn(`respond failed: ${err}`));
    await recordInteraction(rt, userId, { action: actionId }, result);
  };
}
