/**
 * Bounded concurrency: run `fn` over `items` with at most `limit` calls in flight, results in input
 * order. Used for paging many collections at once (dump) and for the writes of one level (apply).
 * `shouldStart` lets the caller stop launching new work (a cancelled apply) without killing calls
 * already on the wire.
 */
export async function mapBounded<I, O>(
  items: readonly I[],
  limit: number,
  fn: (item: I, index: number) => Promise<O>,
  shouldStart: () => boolean = () => true,
): Promise<(O | undefined)[]> {
  const results: (O | undefined)[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  async function worker(): Promise<void> {
    while (next < items.length && !failure && shouldStart()) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as I, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  if (failure) throw (failure as { error: unknown }).error;
  return results;
}

/** A counting semaphore: `run` waits for a free slot, so independent producers share one bound. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    // a finishing task hands its slot straight to the next waiter, so `active` never overshoots
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
