/** Numbers for people: entity totals and durations (shared by Slack views, the CLI and the use cases). */

/** Entities in all: the sum of counts per kind (absent counts are 0). */
export function sumCounts(counts: Readonly<Record<string, number | undefined>> | null | undefined): number {
  return counts ? Object.values(counts).reduce<number>((a, n) => a + (n ?? 0), 0) : 0;
}

/** `850 ms`, `4.2 s`, `3 min 4 s`, `1 h 5 min`. */
export function formatDuration(ms: number): string {
  // Each band rounds to its own unit before splitting, so 119.6 s is "2 min", never "1 min 60 s".
  const wholeMs = Math.max(0, Math.round(ms));
  if (wholeMs < 1000) return `${wholeMs} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 100) return `${(tenths / 10).toFixed(1)} s`;
  const secs = Math.round(ms / 1000);
  if (secs < 60) return `${secs} s`;
  if (secs < 3600) {
    const m = Math.floor(secs / 60);
    const rest = secs % 60;
    return rest ? `${m} min ${rest} s` : `${m} min`;
  }
  const mins = Math.round(ms / 60_000);
  return `${Math.floor(mins / 60)} h ${mins % 60} min`;
}
