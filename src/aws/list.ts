/**
 * Every list API Gateway pages (`position`/`limit`), followed to the end at the largest page the service
 * allows (500), and a small pool that runs per-API listings a few at a time.
 */
export const PAGE_LIMIT = 500;

export async function listAll<T>(
  fetchPage: (position: string | undefined) => Promise<{ items?: T[]; position?: string }>,
): Promise<T[]> {
  const out: T[] = [];
  let position: string | undefined;
  do {
    const page = await fetchPage(position);
    for (const item of page.items ?? []) out.push(item);
    position = page.position;
  } while (position);
  return out;
}

/** Runs `work` over `items`, at most `limit` at once; rejects with the first failure. */
export async function inPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(runners);
}
