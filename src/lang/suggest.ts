/**
 * "Did you mean …?" for error messages: the edit distance, and the nearest
 * of a set of names (machine fields, gfns, SPTE bits). Unknown primitives
 * have their own finder (`nearest` in primitives.ts): no case folding, at
 * least 3 edits allowed, ties broken alphabetically.
 */

/** The candidate nearest to `word` by edit distance, if it is near enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  // Case and underscores count for little: `MmuWritable` is a typo of `MMU_WRITABLE`.
  const norm = (w: string) => w.toLowerCase().replace(/_/g, '');
  for (const f of candidates) {
    const d = Math.min(editDistance(word, f), editDistance(norm(word), norm(f)) + 1);
    if (d < bestD) [best, bestD] = [f, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 2)) ? best : undefined;
}

/** Levenshtein distance, one row of the table at a time. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(up + 1, (row[j - 1] as number) + 1, diag + cost);
      diag = up;
    }
  }
  return row[b.length] as number;
}
