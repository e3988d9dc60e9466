/**
 * Slack output for a worker running apart from the bot (`snapgate worker` next to `snapgate serve
 * --no-workers`): when SLACK_BOT_TOKEN is set, the worker's jobs edit their cards and post in their
 * threads just as in-process workers do. Without the token, null: the worker reports to its log only.
 */
import type { Logger } from '@slack/bolt';
import { readBotEnv } from './env.ts';
import { stderrLogger } from './logger.ts';
import { createSlackOutput, type SlackOutput } from './slack/output.ts';

export function workerSlackOutput(
  env: Record<string, string | undefined>,
  onRateLimited?: (channel: string, retryAfterSec: number) => void,
  logger: Logger = stderrLogger(),
): SlackOutput | null {
  if (!env.SLACK_BOT_TOKEN?.trim()) return null;
  return createSlackOutput(readBotEnv(env, { receiving: false }), {
    logger,
    ...(onRateLimited ? { onRateLimited } : {}),
  });
}
