/**
 * The narration's rows as cursor stops, for a presenter's clicker: PageDown
 * plays the next row of the document's table to its end, PageUp goes back one
 * row. A row's end is the next row's first step (the cursor counts ops done).
 */
export interface RowLike {
  /** First step of the row. */
  start: number;
}

/** Cursor positions where a row is complete, ascending, ending at `n`. */
export function rowStops(rows: readonly RowLike[], n: number): number[] {
  const stops = rows.slice(1).map((r) => r.start);
  // Ops before the first row (none in the built-in stories) are a stop of their own.
  if (rows[0] && rows[0].start > 0) stops.unshift(rows[0].start);
  stops.push(n);
  return [...new Set(stops.filter((s) => s > 0 && s <= n))].sort((a, b) => a - b);
}

/** The cursor after the next row: the first stop past `cursor` (or the end). */
export function nextRowStop(rows: readonly RowLike[], n: number, cursor: number): number {
  return rowStops(rows, n).find((s) => s > cursor) ?? n;
}

/** The cursor after the previous row: the last stop before `cursor` (or 0). */
export function prevRowStop(rows: readonly RowLike[], n: number, cursor: number): number {
  return (
    rowStops(rows, n)
      .filter((s) => s < cursor)
      .pop() ?? 0
  );
}

/** 1-based number of the row the last executed op belongs to; 0 before any op. */
export function rowAt(rows: readonly RowLike[], cursor: number): number {
  if (cursor <= 0) return 0;
  let row = 0;
  rows.forEach((r, i) => {
    if (r.start <= cursor - 1) row = i + 1;
  });
  return row;
}
