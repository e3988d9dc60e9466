/**
 * The load generator of bench:bot, run in a worker thread so the requests' own CPU (signing, fetch) does
 * not share an event loop with the bot being measured — Slack's requests come from outside the process.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sendSlashCommand } from '../test/support/slack-requests.ts';

interface LoadInput {
  url: string;
  secret: string;
  requests: number;
  userId: string;
  channelId: string;
  /** response_url prefix; the request number is appended */
  responseUrl: string;
}

const input = workerData as LoadInput;
const results = await Promise.all(
  Array.from({ length: input.requests }, (_, i) =>
    sendSlashCommand(input.url, input.secret, {
      text: `backup prod --note "bench ${i}"`,
      userId: input.userId,
      channelId: input.channelId,
      responseUrl: `${input.responseUrl}${i}`,
    }),
  ),
);
parentPort!.postMessage(results.map((r) => ({ status: r.status, ackMs: r.ackMs })));
