/**
 * The generic band drawer behind every span layer. It runs on every zoom
 * frame, so it culls to the visible window, sets attributes directly, and has
 * a level of detail: zoomed far out on a long trace, spans a few pixels apart
 * are merged, and under LOD_PX pixels per step each row becomes a single
 * <path> instead of hundreds of nodes.
 */
import type { Selection } from 'd3-selection';
import { fitText } from './labels';
import { charsIn, inView, spanPx, type Frame, type Layer } from './frame';

export interface Span {
  thread: number;
  start: number;
  end: number;
}

/** A span standing for `count` spans of one row that lie closer than a few pixels. */
export type Merged<D> = D & { count: number };

/** A datum of the band join: one span, or (with `lod`) a whole row drawn as one path. */
type Band<D> = Merged<D> & { lod?: string };

export interface BandSpec<D extends Span> {
  cls: string;
  testid: string;
  data: readonly D[];
  key: (d: D) => string;
  /** Spans with the same row key share a line and may be merged when zoomed out. */
  row: (d: D) => string;
  /** Extra classes and data attributes, set once when the node is created. */
  init?: (g: Selection<SVGGElement, Band<D>, SVGGElement, unknown>) => void;
  y: (d: D) => number;
  h: number;
  /** The label, or labels from longest to shortest: the first that fits whole is drawn. */
  label: (d: D) => string | readonly string[];
  title: (d: D) => string;
  /** Put the label above the band (for thin rules) instead of inside it. */
  labelAbove?: boolean;
  /** A fill that CSS cannot name (a pattern with a per-instance id). */
  fill?: (d: D) => string | null;
}

/** Below this many pixels per step, a row of bands is one path. */
export const LOD_PX = 2;

/**
 * Merges spans of the same row whose gap is under `gap` steps. `items` must be
 * sorted by start.
 */
export function mergeClose<D extends Span>(
  items: readonly D[],
  row: (d: D) => string,
  gap: number,
): Merged<D>[] {
  const out: Merged<D>[] = [];
  const last = new Map<string, Merged<D>>();
  for (const d of items) {
    const k = row(d);
    const prev = last.get(k);
    if (prev && d.start - prev.end < gap) {
      prev.end = Math.max(prev.end, d.end);
      prev.count++;
    } else {
      const m = { ...d, count: 1 };
      last.set(k, m);
      out.push(m);
    }
  }
  return out;
}

/** One datum per row, carrying the outline of all its (merged) spans as a path. */
function lodRows<D extends Span>(f: Frame, spec: BandSpec<D>, bands: Merged<D>[]): Band<D>[] {
  const rows = new Map<string, Band<D>>();
  for (const b of bands) {
    const k = spec.row(b);
    const [x0, x1] = spanPx(f, b.start, b.end);
    const part = `M${x0.toFixed(1)},${spec.y(b)}h${Math.max(1, x1 - x0).toFixed(1)}v${spec.h}H${x0.toFixed(1)}Z`;
    const row = rows.get(k);
    if (row) {
      row.lod += part;
      row.count += b.count;
      row.end = b.end;
    } else rows.set(k, { ...b, lod: part });
  }
  return [...rows.values()];
}

export function drawBands<D extends Span>(layer: Layer, f: Frame, spec: BandSpec<D>): void {
  const visible = spec.data.filter((d) => inView(f, d.start, d.end));
  const ppx = f.scale.pxPerStep;
  // Under LOD_PX pixels per step, merge what is less than three pixels apart.
  const merged = mergeClose(visible, spec.row, ppx < LOD_PX ? 3 / ppx : 0);
  const bands: Band<D>[] = ppx < LOD_PX ? lodRows(f, spec, merged) : merged;
  const fontPx = f.layout.sizes.font;
  const key = (d: Band<D>) =>
    d.lod !== undefined
      ? `lod:${spec.row(d)}`
      : d.count > 1
        ? `${spec.key(d)}+${d.end}`
        : spec.key(d);
  layer
    .selectAll<SVGGElement, Band<D>>(`g.${spec.cls}`)
    .data(bands, key)
    .join((enter) => {
      const g = enter.append('g').attr('class', spec.cls).attr('data-testid', spec.testid);
      spec.init?.(g);
      g.classed('is-lod', (d) => d.lod !== undefined);
      g.append((d) =>
        document.createElementNS(
          'http://www.w3.org/2000/svg',
          d.lod !== undefined ? 'path' : 'rect',
        ),
      )
        .attr('class', 'tl-band-shape')
        .attr('fill', (d) => spec.fill?.(d) ?? null);
      g.append('text').attr('class', 'tl-band-label');
      g.append('title').text((d) =>
        d.count > 1
          ? `${d.count} spans, steps ${d.start}–${d.end - 1}: zoom in to tell them apart`
          : spec.title(d),
      );
      return g;
    })
    .each(function (d) {
      const shape = this.children[0];
      const text = this.children[1];
      if (!shape || !text) return;
      if (d.lod !== undefined) {
        shape.setAttribute('d', d.lod);
        return;
      }
      const [x0, x1] = spanPx(f, d.start, d.end);
      const y = spec.y(d);
      // A pixel of air at each end, so that a lock released and retaken in
      // consecutive steps reads as two spans, not one.
      const inset = x1 - x0 > 6 ? 1 : 0;
      shape.setAttribute('x', String(x0 + inset));
      shape.setAttribute('width', String(Math.max(1, x1 - x0 - 2 * inset)));
      shape.setAttribute('y', String(y));
      shape.setAttribute('height', String(spec.h));
      // Labels start at the visible left edge so a long span stays named while panned.
      const lx = Math.max(x0, f.layout.plotX0) + 4;
      const chars = charsIn(f, x1 - lx - 4);
      const alts = ([] as string[]).concat(spec.label(d));
      const t =
        chars < 3 ? '' : (alts.find((a) => a.length <= chars) ?? fitText(alts.at(-1) ?? '', chars));
      text.setAttribute('x', String(lx));
      text.setAttribute('y', String(spec.labelAbove ? y - 2 : y + spec.h / 2 + fontPx * 0.35));
      if (text.textContent !== t) text.textContent = t;
    });
}
