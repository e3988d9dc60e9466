import type { App } from '@slack/bolt';
import type { BotRuntime } from '../../handlers/context.ts';
import { kongCommand } from './kong.ts';

export function registerCommands(app: App, rt: BotRuntime): void {
  app.command('/kong', kongCommand(rt));
}
