/**
 * What a command handler gets: the parsed command's caller, a way to answer them privately, the Slack
 * plumbing for cards, and the services. Handlers run after the listener has acked, so they may touch
 * the database, Redis and Kong.
 */

import type { Logger } from '@slack/bolt';
import type { Role } from '../../config/index.ts';
import type { Authorizer } from '../auth/index.ts';
import type { CommandInbox } from '../command-inbox.ts';
import type { CommandOf, KongCommand } from '../grammar/index.ts';
import type { BotServices } from '../services.ts';
import type { CardUpdater } from '../slack/card-updater.ts';
import type { SlackOutbox } from '../slack/outbox.ts';
import type { SlackNotifier } from '../slack-notifier.ts';
import type { SlackMessage } from '../views/message.ts';
import { refusalMessage } from '../views/simple.ts';
import type { WorkQueue } from '../work-queue.ts';

export interface BotRuntime {
  services: BotServices;
  auth: Authorizer;
  outbox: SlackOutbox;
  cards: CardUpdater;
  notifier: SlackNotifier;
  logger: Logger;
  /** In-process work started after the ack (diffs); awaited on shutdown and by tests. */
  background: Set<Promise<unknown>>;
  /** The work after each ack, a few commands at a time (see work-queue.ts). */
  work: WorkQueue;
  /** Where commands are kept from their ack until done (command-inbox.ts); null = this process only. */
  inbox: CommandInbox | null;
}

export interface CommandContext extends BotRuntime {
  userId: string;
  channelId: string;
  /**
   * The command's `trigger_id` (Slack mints one per invocation): what a handler derives ids from, so the
   * same command run again (after a serve died mid-command, command-inbox.ts) finds what it created.
   */
  triggerId?: string;
  /** true when this run takes over a command another serve acked and did not finish */
  recovered?: boolean;
  /** An ephemeral answer through the command's response_url. */
  respond(message: SlackMessage): Promise<void>;
}

/**
 * How a command ended, for the audit log: `denied` = refused for lack of a role (`slack.refused`);
 * `refused` = bad input or a request that cannot be served; `failed` = something broke on our side.
 */
export interface CommandResult {
  outcome: 'ok' | 'refused' | 'denied' | 'failed';
  connection?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

export type CommandHandler<C extends KongCommand = KongCommand> = (
  command: C,
  ctx: CommandContext,
) => Promise<CommandResult>;

export type HandlerTable = { [N in KongCommand['name']]?: CommandHandler<CommandOf<N>> };

/**
 * Checks the caller holds `role` on `connection`; on refusal answers them with the reason and returns
 * the result to record (`denied`). `null` means allowed.
 */
export async function requireRole(
  ctx: CommandContext,
  connection: string,
  role: Role,
): Promise<CommandResult | null> {
  const decision = await ctx.auth.check(ctx.userId, connection, role);
  if (decision.ok) return null;
  await ctx.respond(refusalMessage(decision.message));
  const known = ctx.auth.connection(connection) !== undefined;
  return {
    outcome: known ? 'denied' : 'refused',
    connection,
    details: { needed: decision.needed, held: decision.held ?? 'none' },
  };
}

/** Runs `work` after the reply, keeping track of it so shutdown and tests can wait for it. */
export function inBackground(ctx: BotRuntime, what: string, work: () => Promise<unknown>): void {
  const p = work().catch((err: unknown) => ctx.logger.error(`${what} failed: ${(err as Error).message}`));
  ctx.background.add(p);
  void p.finally(() => ctx.background.delete(p));
}
