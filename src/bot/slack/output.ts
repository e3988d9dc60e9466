/**
 * Everything that writes to Slack outside a request: a WebClient that reports 429s instead of retrying
 * silently, the per-channel outbox, the throttled card updater and the notifier the workers call. Built
 * before the jobs' services, because the workers need the notifier.
 */
import { type Logger, webApi } from '@slack/bolt';
import type { BotEnv } from '../env.ts';
import { SlackNotifier } from '../slack-notifier.ts';
import { CardUpdater } from './card-updater.ts';
import { SlackOutbox } from './outbox.ts';

export interface SlackOutput {
  client: webApi.WebClient;
  outbox: SlackOutbox;
  cards: CardUpdater;
  notifier: SlackNotifier;
}

export interface SlackOutputOptions {
  logger: Logger;
  /** minimum time between two edits of one card; default 3000 ms */
  cardIntervalMs?: number;
  /** told of every 429 (metrics); the outbox waits Retry-After and retries either way */
  onRateLimited?: (channel: string, retryAfterSec: number) => void;
}

export function createSlackOutput(env: BotEnv, options: SlackOutputOptions): SlackOutput {
  const client = new webApi.WebClient(env.botToken.reveal(), {
    ...(env.apiUrl ? { slackApiUrl: env.apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 2000 },
    logger: options.logger,
  });
  const { logger } = options;
  const outbox = new SlackOutbox({
    client,
    onRateLimited: (channel, sec) => {
      logger.warn(`Slack rate-limited channel ${channel}; retrying in ${sec} s`);
      options.onRateLimited?.(channel, sec);
    },
  });
  const cards = new CardUpdater({
    outbox,
    ...(options.cardIntervalMs !== undefined ? { intervalMs: options.cardIntervalMs } : {}),
    onError: (ref, err) =>
      logger.error(`card ${ref.channel}/${ref.ts} not updated: ${(err as Error).message}`),
  });
  const notifier = new SlackNotifier({
    outbox,
    cards,
    ...(env.reportChannel ? { reportChannel: env.reportChannel } : {}),
    ...(env.auditChannel ? { auditChannel: env.auditChannel } : {}),
    onError: (what, err) => logger.error(`Slack ${what} not sent: ${(err as Error).message}`),
  });
  return { client, outbox, cards, notifier };
}
