import type { BotRuntime } from '../../handlers/context.ts';
import { RESTORE_REJECT_ACTION } from '../../views/restore-card.ts';
import { restoreDecisionClick } from './restore-decision-click.ts';

/** The restore card's Reject button: the same rules as `/kong reject <id>` (handlers/restore-decision.ts). */
export const restoreReject = (rt: BotRuntime) => restoreDecisionClick(rt, 'reject', RESTORE_REJECT_ACTION);
