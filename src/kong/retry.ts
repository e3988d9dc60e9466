/**
 * When to retry an Admin API call and how long to wait. Only transient failures are retried:
 * 5xx (Kong code 8 "database error" is a 500, the only class decK retries), 429 (Konnect rate limits and
 * DB-less `POST /config` "Currently loading previous configuration", both with `Retry-After`), and
 * network errors that mean "the answer got lost" (reset, timeout). 4xx other than 429 are permanent:
 * retrying a schema violation cannot fix it. A refused connection means nothing listens: it gets one
 * quick second try (a restarting gateway) and then fails fast instead of backing off for a minute.
 */

export interface RetryPolicy {
  /** total attempts for 5xx / 429 / reset / timeout, first try included. */
  maxAttempts: number;
  /** total attempts when the connection is refused. */
  refusedAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** upper bound on a server-requested `Retry-After` wait. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  refusedAttempts: 2,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** Network error codes after which the request may simply be sent again. */
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN']);

export type Failure =
  | { type: 'status'; status: number }
  | { type: 'network'; errno: string | undefined; timedOut: boolean };

/** How many attempts this failure deserves in total (1 = do not retry). */
export function attemptsAllowed(failure: Failure, policy: RetryPolicy): number {
  if (failure.type === 'status') {
    return failure.status === 429 || failure.status >= 500 ? policy.maxAttempts : 1;
  }
  if (failure.timedOut) return policy.maxAttempts;
  if (failure.errno === 'ECONNREFUSED') return policy.refusedAttempts;
  if (failure.errno && TRANSIENT_NETWORK.has(failure.errno)) return policy.maxAttempts;
  return 1;
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): a
 * uniform wait in [0, min(cap, base·2^attempt)), so many clients retrying together spread out.
 * `attempt` counts retries already made (0 for the first retry).
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns milliseconds to
 * wait, capped, or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(header: unknown, nowMs: number, capMs: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(capMs, Math.round(Number(text) * 1000));
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(capMs, Math.max(0, at - nowMs));
}
