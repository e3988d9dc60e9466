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
