/**
 * Fault switches tests flip at runtime. Each request consults them in order: dropped connection,
 * rate limit (429 + Retry-After), queued failures (`failNext`), then a random share of 500s.
 */

export interface QueuedFailure {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export class Faults {
  latencyMs = 0;
  /** share of requests answered 500 (0..1). */
  failRate = 0;
  /** share of requests whose socket is destroyed without a response (0..1). */
  dropRate = 0;
  /** requests per second allowed before 429; 0 = unlimited. */
  rateLimit = 0;
  /** only fault entity/config writes when true (reads stay clean). */
  writesOnly = false;
  private readonly queue: QueuedFailure[] = [];
  private windowStart = 0;
  private windowCount = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /**
   * The next `n` requests fail with `status` (500 → Kong's "An unexpected error occurred", 429 → with
   * Retry-After: 1, anything else with a plain message).
   */
  failNext(n: number, status = 500): void {
    for (let i = 0; i < n; i++) this.queue.push(failure(status));
  }

  reset(): void {
    this.latencyMs = 0;
    this.failRate = 0;
    this.dropRate = 0;
    this.rateLimit = 0;
    this.writesOnly = false;
    this.queue.length = 0;
  }

  shouldDrop(): boolean {
    return this.dropRate > 0 && this.random() < this.dropRate;
  }

  /** The failure to answer with, if any, for a request arriving at `nowMs`. */
  pick(nowMs: number): QueuedFailure | undefined {
    if (this.rateLimit > 0) {
      if (nowMs - this.windowStart >= 1000) {
        this.windowStart = nowMs;
        this.windowCount = 0;
      }
      this.windowCount++;
      if (this.windowCount > this.rateLimit) {
        const retryAfter = Math.max(1, Math.ceil((this.windowStart + 1000 - nowMs) / 1000));
        return { ...failure(429), headers: { 'Retry-After': String(retryAfter) } };
      }
    }
    const queued = this.queue.shift();
    if (queued) return queued;
    if (this.failRate > 0 && this.random() < this.failRate) return failure(500);
    return undefined;
  }
}

function failure(status: number): QueuedFailure {
  if (status === 429) {
    return { status, body: { message: 'API rate limit exceeded' }, headers: { 'Retry-After': '1' } };
  }
  if (status >= 500) {
    // kong/api/api_helpers.lua: database errors surface as a plain 500
    return { status, body: { message: 'An unexpected error occurred' }, headers: {} };
  }
  return { status, body: { message: `injected failure ${status}` }, headers: {} };
}
