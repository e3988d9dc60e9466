/** Levenshtein distance (insert, delete, substitute; each costs 1), by rows to keep memory linear. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The candidates a typo most likely meant, best first: within an edit distance that grows with the
 * word's length (1 up to 3 letters, 2 up to 5, then 3), plus candidates the word is a prefix of (`rest` → restore).
 */
export function closestMatches(word: string, candidates: readonly string[], max = 3): string[] {
  const w = word.toLowerCase();
  if (w === '') return [];
  const allowed = w.length <= 3 ? 1 : w.length <= 5 ? 2 : 3;
  return candidates
    .map((c) => ({ c, d: editDistance(w, c), prefix: w.length >= 2 && c.startsWith(w) }))
    .filter((x) => x.d <= allowed || x.prefix)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map((x) => x.c);
}

/** "`a`", "`a` or `b`", "`a`, `b` or `c`" */
export function orList(words: readonly string[], quote = (w: string) => `\`${w}\``): string {
  const q = words.map(quote);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}
