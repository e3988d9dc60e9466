import type { App, BlockButtonAction } from '@slack/bolt';
import type { BotRuntime } from '../../handlers/context.ts';
import { AUDIT_NEXT_PAGE_ACTION } from '../../views/audit-page.ts';
import { auditNextPage } from './audit-next-page.ts';

export function registerActions(app: App, rt: BotRuntime): void {
  app.action<BlockButtonAction>(AUDIT_NEXT_PAGE_ACTION, auditNextPage(rt));
}
