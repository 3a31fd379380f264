/**
 * Grid tables as docutils reads them (and as a monospace mail shows them):
 * `+---+---+` borders, `|` between cells, rows that span every column.
 * Pure layout: the caller decides the widths and what is in each cell.
 */

export type GridRow = { span: string[] } | { cells: string[][] };

/** The width of a row that spans every column. */
export function spanWidth(widths: readonly number[]): number {
  return widths.reduce((a, w) => a + w, 0) + 3 * (widths.length - 1);
}

/**
 * A border between two rows: a `+` at every column boundary that either row
 * has, so both the row above and the row below close their cells on it.
 */
function border(widths: readonly number[], above: GridRow | undefined, below: GridRow | undefined) {
  const split = (r: GridRow | undefined) => r !== undefined && 'cells' in r;
  const inner = split(above) || split(below);
  const dash = (w: number) => '-'.repeat(w + 2);
  return inner ? `+${widths.map(dash).join('+')}+` : `+${dash(spanWidth(widths))}+`;
}

function pad(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}

/** Renders the rows; every line of a cell must already fit its column. */
export function renderGrid(widths: readonly number[], rows: readonly GridRow[]): string[] {
  const out: string[] = [];
  rows.forEach((row, i) => {
    out.push(border(widths, rows[i - 1], row));
    if ('span' in row) {
      const w = spanWidth(widths);
      for (const line of row.span.length ? row.span : ['']) out.push(`| ${pad(line, w)} |`);
      return;
    }
    const height = Math.max(1, ...row.cells.map((c) => c.length));
    for (let l = 0; l < height; l++) {
      const parts = widths.map((w, c) => ` ${pad(row.cells[c]?.[l] ?? '', w)} `);
      out.push(`|${parts.join('|')}|`);
    }
  });
  out.push(border(widths, rows[rows.length - 1], undefined));
  return out;
}

/**
 * Column widths no wider than `natural` that fit `total` characters of
 * table: the widest columns are narrowed first (water filling), and none
 * goes under `min`, so a table with many columns may exceed `total`.
 */
export function fitWidths(natural: readonly number[], total: number, min: number): number[] {
  const room = total - (3 * natural.length + 1);
  const sum = (cap: number) => natural.reduce((a, w) => a + Math.min(w, cap), 0);
  if (sum(Infinity) <= room) return [...natural];
  let cap = Math.max(...natural);
  while (cap > min && sum(cap) > room) cap--;
  return natural.map((w) => Math.min(w, Math.max(cap, min)));
}
