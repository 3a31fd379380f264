/**
 * The aligned lines of a comparison and the two cursors on them. No engine
 * import: the store and the views use these on the comparison's JSON.
 */

export interface CompareRow {
  /** The chapter's text, or null for a row that is just one thread's run. */
  text: string | null;
  /** [first, end) of each side's steps (0-based indices into `steps`). */
  a: [number, number];
  b: [number, number];
}

/** One aligned line: A's step beside B's (0-based indices), null where a row is padded. */
export interface CompareLine {
  row: number;
  a: number | null;
  b: number | null;
}

/** Row i of A beside row i of B, the shorter padded with nulls at its end. */
export function alignRows(rows: readonly CompareRow[]): CompareLine[] {
  const lines: CompareLine[] = [];
  rows.forEach((r, row) => {
    const na = r.a[1] - r.a[0];
    const nb = r.b[1] - r.b[0];
    for (let k = 0; k < Math.max(na, nb); k++)
      lines.push({ row, a: k < na ? r.a[0] + k : null, b: k < nb ? r.b[0] + k : null });
  });
  return lines;
}

/** Steps each side has run after `line` aligned lines: the two cursors of the side-by-side view. */
export function cursorsAt(lines: readonly CompareLine[], line: number): { a: number; b: number } {
  let a = 0;
  let b = 0;
  for (const l of lines.slice(0, Math.max(0, line))) {
    if (l.a !== null) a = l.a + 1;
    if (l.b !== null) b = l.b + 1;
  }
  return { a, b };
}

/** The line count at the end of the row the next line belongs to (a clicker's PageDown). */
export function nextRowEnd(lines: readonly CompareLine[], line: number): number {
  const row = lines[line]?.row;
  if (row === undefined) return lines.length;
  let i = line;
  while (lines[i]?.row === row) i++;
  return i;
}

/** The line count at the end of the row before the one just run (PageUp). */
export function prevRowEnd(lines: readonly CompareLine[], line: number): number {
  const row = lines[line - 1]?.row;
  if (row === undefined) return 0;
  return lines.findIndex((l) => l.row === row);
}
