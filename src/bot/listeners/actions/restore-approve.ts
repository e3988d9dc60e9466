import type { BotRuntime } from '../../handlers/context.ts';
import { RESTORE_APPROVE_ACTION } from '../../views/restore-card.ts';
import { restoreDecisionClick } from './restore-decision-click.ts';

/** The restore card's Approve button: the same rules as `/kong approve <id>` (handlers/restore-decision.ts). */
export const restoreApprove = (rt: BotRuntime) => restoreDecisionClick(rt, 'approve', RESTORE_APPROVE_ACTION);
