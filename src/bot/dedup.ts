/**
 * Every Slack request acted on once. Slack delivers a request again when it saw no ack in time (a Socket
 * Mode envelope whose ack was lost comes back with `retry_attempt`; an HTTP delivery with
 * `X-Slack-Retry-Num`), and a proxy may repeat a POST. Each request's identity is claimed in a ledger
 * shared by every instance (Redis, `SET NX PX`, under the configured key prefix) for a short window;
 * a request whose identity is already claimed is acked and not acted on.
 *
 * Identity: the `trigger_id` Slack mints for each slash command and each click (the same in every
 * delivery of that request, new for the next invocation), else an event's `event_id`, else the Socket
 * Mode `envelope_id`. A request without any of them is acted on. The ledger stores a hash, never the id.
 */
import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, Logger, Middleware } from '@slack/bolt';

export interface RequestLedger {
  /** True the first time `identity` is claimed within the window, false for every repeat. */
  claim(identity: string): Promise<boolean>;
}

/** Fifteen minutes: longer than Slack's redelivery (retries within minutes) and any proxy retry. */
export const DEFAULT_DEDUP_WINDOW_MS = 15 * 60_000;

/** The one Redis command the ledger needs (ioredis `set`). */
export interface RedisSetNx {
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<'OK' | null>;
}

export function redisRequestLedger(
  redis: RedisSetNx,
  { prefix, windowMs = DEFAULT_DEDUP_WINDOW_MS }: { prefix: string; windowMs?: number },
): RequestLedger {
  return {
    async claim(identity) {
      return (
        (await redis.set(`${prefix}:slack-request:${digest(identity)}`, '1', 'PX', windowMs, 'NX')) === 'OK'
      );
    },
  };
}

/** One process only (tests and a bot without Redis); `serve` always uses the Redis ledger. */
export function memoryRequestLedger({
  windowMs = DEFAULT_DEDUP_WINDOW_MS,
  now = Date.now,
}: {
  windowMs?: number;
  now?: () => number;
} = {}): RequestLedger {
  const seen = new Map<string, number>();
  return {
    async claim(identity) {
      const t = now();
      for (const [k, until] of seen) if (until <= t) seen.delete(k);
      const key = digest(identity);
      if (seen.has(key)) return false;
      seen.set(key, t + windowMs);
      return true;
    },
  };
}

const digest = (identity: string) => createHash('sha256').update(identity).digest('hex').slice(0, 32);

export interface RequestIdentity {
  /** What the ledger claims, e.g. `trigger:<id>`. */
  key: string;
  /** For logs: the kind of request and who sent it, never its text or ids. */
  label: string;
}

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export function requestIdentity(body: Body, context: Record<string, unknown>): RequestIdentity | null {
  const key =
    (str(body.trigger_id) && `trigger:${body.trigger_id}`) ||
    (str(body.event_id) && `event:${body.event_id}`) ||
    (str(context.envelopeId) && `envelope:${context.envelopeId}`);
  return key ? { key, label: describeRequest(body) } : null;
}

function describeRequest(body: Body): string {
  const user = str(body.user_id) ?? str((body.user as Body | undefined)?.id) ?? 'someone';
  if (str(body.command)) return `${body.command} by ${user}`;
  const actions = body.actions as { action_id?: string }[] | undefined;
  if (Array.isArray(actions)) return `click on ${actions.map((a) => a.action_id).join(',')} by ${user}`;
  return `${str(body.type) ?? 'request'} from ${user}`;
}

/**
 * Bolt global middleware: the first delivery goes on to the listeners; a repeat is acked and dropped
 * (logged at debug). If the ledger cannot be reached the request is acted on: a lost command is worse
 * than the rare repeat, and the records' own rules (one approval, one open restore) still hold.
 */
export function actOnce(ledger: RequestLedger, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, context, next } = args;
    const identity = requestIdentity(body as Body, context);
    if (!identity) return next();
    let first = true;
    try {
      first = await ledger.claim(identity.key);
    } catch (err) {
      logger.warn(
        `the request ledger is unavailable, acting on ${identity.label}: ${(err as Error).message}`,
      );
    }
    if (first) return next();
    logger.debug(
      `ignored a repeated Slack request: ${identity.label}` +
        (context.retryNum !== undefined
          ? ` (retry ${context.retryNum}, ${context.retryReason ?? 'no reason'})`
          : ''),
    );
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  };
}
