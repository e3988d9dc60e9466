import type { BotRuntime } from '../../handlers/context.ts';
import { RESTORE_CANCEL_ACTION } from '../../views/restore-card.ts';
import { restoreDecisionClick } from './restore-decision-click.ts';

/** The restore card's Cancel button: the same rules as `/kong cancel <id>` (handlers/restore-decision.ts). */
export const restoreCancel = (rt: BotRuntime) => restoreDecisionClick(rt, 'cancel', RESTORE_CANCEL_ACTION);
