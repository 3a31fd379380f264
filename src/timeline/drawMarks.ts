/**
 * The step marks. Only the visible slots are in the DOM; marks are keyed by
 * step so that panning moves existing nodes instead of recreating them.
 * Below MIN_MARK_PX pixels per step individual marks are meaningless (and a
 * 10,000-step trace would put 10,000 nodes in the DOM), so each lane shows
 * merged runs of activity instead.
 */
import { fitText, type MarkCategory } from './labels';
import { charsIn, setText, type Frame, type Layer } from './frame';
import { stepTitle, type Mark } from './spans';

export const MIN_MARK_PX = 3;

/** Shape by category, so that kinds differ by form as well as colour. */
export function shapePath(cat: MarkCategory, w: number, h: number): string {
  const p = Math.min(6, w / 3);
  const r = Math.min(h / 2, w / 2);
  switch (cat) {
    case 'atomic': // hexagon: one indivisible read-modify-write
      return `M0,${h / 2}L${p},0H${w - p}L${w},${h / 2}L${w - p},${h}H${p}Z`;
    case 'sync':
    case 'guest': // pill (a circle when the slot is narrow)
      return (
        `M${r},0H${w - r}A${r},${r} 0 0 1 ${w},${r}V${h - r}A${r},${r} 0 0 1 ${w - r},${h}` +
        `H${r}A${r},${r} 0 0 1 0,${h - r}V${r}A${r},${r} 0 0 1 ${r},0Z`
      );
    case 'host': // chevron: work done outside KVM
      return `M0,0H${w - p}L${w},${h / 2}L${w - p},${h}H0L${p},${h / 2}Z`;
    case 'control': {
      // a low bar: local work that touches no shared state
      const y = h * 0.3;
      return `M0,${y}H${w}V${h - y}H0Z`;
    }
    default:
      return `M0,0H${w}V${h}H0Z`;
  }
}

export function drawMarks(layer: Layer, f: Frame): void {
  const ppx = f.scale.pxPerStep;
  if (ppx < MIN_MARK_PX) {
    layer.selectAll('g.tl-mark').remove();
    drawRuns(layer, f);
    return;
  }
  layer.selectAll('path.tl-agg').remove();
  const { markH: h } = f.layout.sizes;
  const gap = ppx > 8 ? 2 : ppx * 0.2;
  const w = Math.max(1, ppx - gap);
  const chars = charsIn(f, w - 8);
  // Fewer characters than this say nothing ("if…"); the tooltip has the text.
  const labels = chars >= 6;
  const paths = new Map<MarkCategory, string>();
  const path = (c: MarkCategory) => {
    let d = paths.get(c);
    if (d === undefined) paths.set(c, (d = shapePath(c, w, h)));
    return d;
  };
  const laneY = f.layout.lanes.map((l) => l.markY);
  const trace = f.model.trace;

  const sel = layer
    .selectAll<SVGGElement, Mark>('g.tl-mark')
    .data(f.model.marks.slice(f.slots[0], f.slots[1]), (d) => d.step)
    .join((enter) => {
      const g = enter
        .append('g')
        .attr('class', (d) => `tl-mark cat-${d.category}`)
        .attr('data-testid', 'step-mark')
        .attr('data-step', (d) => d.step)
        .attr('data-thread', (d) => d.thread)
        .attr('data-kind', (d) => d.kind);
      g.append('path');
      g.append('text')
        .attr('class', 'tl-mark-label')
        .attr('x', 4)
        .attr('y', h / 2);
      g.append('title').text((d) => stepTitle(trace, d.step));
      return g;
    });
  sel
    .attr(
      'transform',
      (d) => `translate(${f.scale.stepToPx(d.step) + gap / 2},${laneY[d.thread] ?? 0})`,
    )
    .classed('is-future', (d) => d.step >= f.cursor);
  sel.select('path').attr('d', (d) => path(d.category));
  setText(sel.select<SVGTextElement>('text'), (d) => (labels ? fitText(d.label, chars) : ''));
}

interface Run {
  thread: number;
  start: number;
  end: number;
}

/** Per lane, the visible steps merged wherever the gaps are under two pixels. */
export function activityRuns(marks: readonly Mark[], from: number, to: number, ppx: number): Run[] {
  const gap = Math.max(1, Math.ceil(2 / ppx));
  const open = new Map<number, Run>();
  const out: Run[] = [];
  for (let i = from; i < to; i++) {
    const m = marks[i];
    if (!m) continue;
    const cur = open.get(m.thread);
    if (cur && i - cur.end < gap) cur.end = i + 1;
    else {
      const run = { thread: m.thread, start: i, end: i + 1 };
      open.set(m.thread, run);
      out.push(run);
    }
  }
  return out;
}

function drawRuns(layer: Layer, f: Frame): void {
  const runs = activityRuns(f.model.marks, f.slots[0], f.slots[1], f.scale.pxPerStep);
  const { markH: h } = f.layout.sizes;
  // One path per lane: at this zoom a run is a few pixels wide, and a node per
  // run would cost more in style and layout than the picture is worth.
  const paths = f.layout.lanes.map(() => '');
  for (const r of runs) {
    const x0 = f.scale.stepToPx(r.start);
    const w = Math.max(1, f.scale.stepToPx(r.end) - x0);
    const y = (f.layout.lanes[r.thread]?.markY ?? 0) + h * 0.15;
    paths[r.thread] += `M${x0.toFixed(1)},${y}h${w.toFixed(1)}v${h * 0.7}h${(-w).toFixed(1)}Z`;
  }
  layer
    .selectAll<SVGPathElement, string>('path.tl-agg')
    .data(paths)
    .join('path')
    .attr('class', 'tl-agg')
    .attr('d', (d) => d || null);
}
