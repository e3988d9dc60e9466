/**
 * The shape shared by the Approve, Reject and Cancel buttons: ack at once, then decide (the role is
 * checked again now, inside `decideRestore`), answer the clicker ephemerally and audit the click. The
 * button's value is only the request id; the actions block's id names the plan hash the card showed.
 */
import type { BotRuntime } from '../../handlers/context.ts';
import { decideRestore, type RestoreDecisionKind } from '../../handlers/restore-decision.ts';
import { planHashOfBlock } from '../../views/restore-card.ts';
import { buttonListener } from './button.ts';

export function restoreDecisionClick(rt: BotRuntime, kind: RestoreDecisionKind, actionId: string) {
  return buttonListener(rt, actionId, async ({ userId, value, blockId, reply }) => {
    const { result, reply: message } = await decideRestore(rt, {
      kind,
      restoreId: value.trim(),
      userId,
      shownPlanHash: planHashOfBlock(blockId),
    });
    await reply(message);
    return result;
  });
}
