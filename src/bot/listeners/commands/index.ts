import type { App } from '@slack/bolt';
import type { BotRuntime } from '../../handlers/context.ts';
import { kongCommand } from './kong.ts';

/**
 * The slash commands snapgate answers, one grammar for all: `/kong` (the first, kept for every Kong team
 * and every script and runbook that types it) and `/snapgate`, the same command under a name that fits any
 * gateway type (`/snapgate backup payments-api-eu` on AWS API Gateway). A connection of any type works
 * under either; answers name the command the person typed (manifest.yml declares both).
 */
export const SLASH_COMMANDS = ['/kong', '/snapgate'] as const;

export function registerCommands(app: App, rt: BotRuntime): void {
  for (const name of SLASH_COMMANDS) app.command(name, kongCommand(rt));
}
