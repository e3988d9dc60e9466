/**
 * One rate-limit state per client, shared by all its requests. Before this, each request that met a 429
 * slept its own `Retry-After` and then every one of them retried at the same instant, while requests that
 * had not met the 429 yet kept sending: against a 20 req/s limit most retries met another 429 and a
 * backup ran out of attempts.
 *
 * Now a 429 (or a 5xx with `Retry-After`):
 * - **pauses the whole client** until `Retry-After` has passed: requests not yet sent wait too;
 * - **paces it** from then on at a little under the rate the gateway just let through (the answers of
 *   the last second, × 0.8), with each request's start jittered within its slot, so the waiting
 *   requests do not return in one burst. Every second without a 429 raises the pace by a quarter, and
 *   past `UNPACED_RATE` the client runs unpaced again (a one-off 429 costs a few seconds, not a run).
 * Without a 429 the gate costs one comparison per request.
 */

/** Above this many requests per second the client stops pacing. */
export const UNPACED_RATE = 2000;
const WINDOW_MS = 1000;
const PACE_SHARE = 0.8;
const SPEED_UP = 1.25;

export interface RateGateDeps {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

export class RateGate {
  readonly #deps: RateGateDeps;
  #pausedUntil = 0;
  /** requests per second while pacing; 0 = unpaced */
  #rate = 0;
  #nextSlot = 0;
  #lastChange = 0;
  /** when the answers of the last second arrived (a ring, trimmed as it is read) */
  #answers: number[] = [];
  #answersStart = 0;

  constructor(deps: RateGateDeps) {
    this.#deps = deps;
  }

  /** requests per second while pacing, 0 when unpaced (tests, notices) */
  get rate(): number {
    return this.#rate;
  }

  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** Waits for this request's turn: the end of a pause, then its paced slot (jittered). Returns the wait. */
  async admit(signal?: AbortSignal): Promise<number> {
    const t = this.#deps.now();
    if (this.#rate === 0 && t >= this.#pausedUntil) return 0;
    let start = Math.max(t, this.#pausedUntil);
    let jitter = 0;
    if (this.#rate > 0) {
      const interval = WINDOW_MS / this.#rate;
      start = Math.max(start, this.#nextSlot);
      this.#nextSlot = start + interval;
      jitter = this.#deps.random() * interval;
    } else {
      // a pause without pacing (nothing got through before the 429): spread the return over a second
      jitter = this.#deps.random() * WINDOW_MS;
    }
    const wait = Math.ceil(start - t + jitter);
    if (wait > 0) await this.#deps.sleep(wait, signal);
    return wait;
  }

  /** An answer that was not a rate limit: counted for the pace; a second without a 429 speeds it up. */
  answered(): void {
    const t = this.#deps.now();
    this.#answers.push(t);
    if (this.#answers.length > 4096) this.#trim(t);
    if (this.#rate > 0 && t - this.#lastChange >= WINDOW_MS) {
      this.#rate *= SPEED_UP;
      this.#lastChange = t;
      if (this.#rate > UNPACED_RATE) this.#rate = 0;
    }
  }

  /** A 429 (or 5xx with Retry-After) asking to wait `delayMs`: pause everyone, pace what follows. */
  throttled(delayMs: number): void {
    const t = this.#deps.now();
    this.#pausedUntil = Math.max(this.#pausedUntil, t + delayMs);
    this.#nextSlot = Math.max(this.#nextSlot, this.#pausedUntil);
    // the 429s of one burst arrive together (and during the pause): the pace is set once per window
    if (this.#rate > 0 && t - this.#lastChange < WINDOW_MS) return;
    const through = this.#recentAnswers(t);
    if (through > 0) this.#rate = Math.max(1, through * PACE_SHARE);
    else if (this.#rate > 0) this.#rate = Math.max(1, this.#rate / 2);
    // the pace's second starts when the pause ends
    this.#lastChange = this.#pausedUntil;
  }

  #recentAnswers(t: number): number {
    this.#trim(t);
    return this.#answers.length - this.#answersStart;
  }

  #trim(t: number): void {
    while (this.#answersStart < this.#answers.length && this.#answers[this.#answersStart]! <= t - WINDOW_MS)
      this.#answersStart++;
    if (this.#answersStart > 1024) {
      this.#answers = this.#answers.slice(this.#answersStart);
      this.#answersStart = 0;
    }
  }
}
