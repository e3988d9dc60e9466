/**
 * A card's edits only move forward, across every process that edits it. `serve` posts a backup card and
 * shows the record it just created (pending), while a `snapgate worker` elsewhere edits the same card as
 * the backup runs; each process throttles its own edits (CardUpdater), so without a shared order a
 * pending edit held back by the serve's interval lands after the worker's running or completed one and
 * the card goes backwards — or stays at "Pending" for good. Each status edit carries a rank (a backup's
 * status order, a restore record's last change time); an edit whose rank is below the highest one any
 * process has shown on that card is dropped. The highest rank lives in Redis under the installation's
 * key prefix (one Lua script: compare and raise), shared by every instance; an unanswered Redis lets
 * the edit through, as a late edit is better than none.
 */
import type { SlackMessageRef } from '../../app/ports/records.ts';

export interface CardOrder {
  /** True when `rank` is at least the highest rank shown on the card so far (and records it). */
  admit(ref: SlackMessageRef, rank: number): Promise<boolean>;
}

/** The one Redis command the order needs (ioredis `eval`). */
export interface RedisEval {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Two days: longer than any backup or restore keeps editing its card. */
export const CARD_ORDER_TTL_MS = 2 * 24 * 3600_000;

const RAISE = `local shown = tonumber(redis.call('GET', KEYS[1]) or '-1')
local rank = tonumber(ARGV[1])
if rank < shown then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

export function redisCardOrder(redis: RedisEval, { prefix }: { prefix: string }): CardOrder {
  return {
    async admit(ref, rank) {
      const key = `${prefix}:slack-card:${ref.channel}:${ref.ts}`;
      return (await redis.eval(RAISE, 1, key, String(rank), CARD_ORDER_TTL_MS)) === 1;
    },
  };
}
