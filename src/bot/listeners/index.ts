import type { App } from '@slack/bolt';
import type { BotRuntime } from '../handlers/context.ts';
import { registerActions } from './actions/index.ts';
import { registerCommands } from './commands/index.ts';

/** Registers every listener: one folder per listener type, one file per listener. */
export function registerListeners(app: App, rt: BotRuntime): void {
  registerCommands(app, rt);
  registerActions(app, rt);
}
