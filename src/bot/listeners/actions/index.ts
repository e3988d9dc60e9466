import type { App, BlockButtonAction } from '@slack/bolt';
import type { BotRuntime } from '../../handlers/context.ts';
import { ALERT_RETRY_ACTION } from '../../views/alert.ts';
import { AUDIT_NEXT_PAGE_ACTION } from '../../views/audit-page.ts';
import {
  RESTORE_APPROVE_ACTION,
  RESTORE_CANCEL_ACTION,
  RESTORE_REJECT_ACTION,
  RESTORE_UNDO_ACTION,
} from '../../views/restore-card.ts';
import { alertRetry } from './alert-retry.ts';
import { auditNextPage } from './audit-next-page.ts';
import { restoreApprove } from './restore-approve.ts';
import { restoreCancel } from './restore-cancel.ts';
import { restoreReject } from './restore-reject.ts';
import { restoreUndo } from './restore-undo.ts';

export function registerActions(app: App, rt: BotRuntime): void {
  app.action<BlockButtonAction>(AUDIT_NEXT_PAGE_ACTION, auditNextPage(rt));
  app.action<BlockButtonAction>(ALERT_RETRY_ACTION, alertRetry(rt));
  app.action<BlockButtonAction>(RESTORE_APPROVE_ACTION, restoreApprove(rt));
  app.action<BlockButtonAction>(RESTORE_REJECT_ACTION, restoreReject(rt));
  app.action<BlockButtonAction>(RESTORE_CANCEL_ACTION, restoreCancel(rt));
  app.action<BlockButtonAction>(RESTORE_UNDO_ACTION, restoreUndo(rt));
}
