/**
 * Every Web API call that writes to a channel goes through here, one queue per channel. Slack limits
 * posting to about one message per second per channel with short bursts (docs.slack.dev rate-limits),
 * and answers 429 with `Retry-After`. The WebClient is built with `rejectRateLimitedCalls: true`, so a
 * 429 comes back as `WebAPIRateLimitedError` instead of a silent 30-minute retry loop; this queue then
 * holds that channel (only) for `retryAfter` seconds and retries the same call. Other channels, and so
 * other jobs' cards, keep going.
 */
import { webApi } from '@slack/bolt';

export type SlackCall<T> = (client: webApi.WebClient) => Promise<T>;

export interface SlackOutboxOptions {
  client: webApi.WebClient;
  /** How often one call is retried after 429s before giving up; default 5. */
  maxRateLimitRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  onRateLimited?: (channel: string, retryAfterSec: number) => void;
}

interface Task {
  run: SlackCall<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export function isRateLimited(err: unknown): err is webApi.WebAPIRateLimitedError {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { code?: unknown }).code === webApi.ErrorCode.RateLimitedError
  );
}

export class SlackOutbox {
  private readonly queues = new Map<string, Task[]>();
  private readonly draining = new Map<string, Promise<void>>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SlackOutboxOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Runs `call` after every call queued before it for the same channel. */
  run<T>(channel: string, call: SlackCall<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queue = this.queues.get(channel) ?? [];
      queue.push({ run: call, resolve: resolve as (v: unknown) => void, reject });
      this.queues.set(channel, queue);
      if (!this.draining.has(channel)) this.draining.set(channel, this.drain(channel));
    });
  }

  /** Resolves when every queued call has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.draining.size > 0) await Promise.all([...this.draining.values()]);
  }

  private async drain(channel: string): Promise<void> {
    const queue = this.queues.get(channel)!;
    while (queue.length > 0) {
      const task = queue.shift()!;
      try {
        task.resolve(await this.withRetries(channel, task.run));
      } catch (err) {
        task.reject(err);
      }
    }
    // Both in the same step: a call queued by the code the last result resumes (an awaited post, then a
    // reply in its thread) must find either this drain still running or no drain at all, never a drain
    // that already left its loop but is still registered (that call would wait forever).
    this.queues.delete(channel);
    this.draining.delete(channel);
  }

  private async withRetries(channel: string, call: SlackCall<unknown>): Promise<unknown> {
    const max = this.options.maxRateLimitRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      try {
        return await call(this.options.client);
      } catch (err) {
        if (!isRateLimited(err) || attempt >= max) throw err;
        this.options.onRateLimited?.(channel, err.retryAfter);
        await this.sleep(Math.max(0, err.retryAfter) * 1000);
      }
    }
  }
}
