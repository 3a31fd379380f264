/**
 * Bands along the lanes: kernel-function runs, held locks, waits, SRCU
 * read-side sections and grace periods. One generic band drawer culls to the
 * visible window and updates attributes directly, because this runs on every
 * zoom frame.
 */
import type { Selection } from 'd3-selection';
import { fitText } from './labels';
import { charsIn, inView, spanPx, type Frame, type Layer } from './frame';
import type { FnRun, GracePeriod, LockSpan, SrcuSection, WaitSpan } from './spans';

interface Span {
  thread: number;
  start: number;
  end: number;
}

interface BandSpec<D extends Span> {
  cls: string;
  testid: string;
  data: readonly D[];
  key: (d: D) => string;
  /** Extra classes and data attributes, set once when the node is created. */
  init?: (g: Selection<SVGGElement, D, SVGGElement, unknown>) => void;
  y: (d: D) => number;
  h: number;
  label: (d: D) => string;
  title: (d: D) => string;
  /** A fill that CSS cannot name (a pattern with a per-instance id). */
  fill?: (d: D) => string | null;
}

function drawBands<D extends Span>(layer: Layer, f: Frame, spec: BandSpec<D>): void {
  const visible = spec.data.filter((d) => inView(f, d.start, d.end));
  const fontPx = f.layout.sizes.font;
  layer
    .selectAll<SVGGElement, D>(`g.${spec.cls}`)
    .data(visible, spec.key)
    .join((enter) => {
      const g = enter.append('g').attr('class', spec.cls).attr('data-testid', spec.testid);
      spec.init?.(g);
      g.append('rect').attr('fill', (d) => spec.fill?.(d) ?? null);
      g.append('text').attr('class', 'tl-band-label');
      g.append('title').text(spec.title);
      return g;
    })
    .each(function (d) {
      const [x0, x1] = spanPx(f, d.start, d.end);
      const y = spec.y(d);
      const rect = this.children[0];
      const text = this.children[1];
      if (!rect || !text) return;
      rect.setAttribute('x', String(x0));
      rect.setAttribute('width', String(Math.max(1, x1 - x0)));
      rect.setAttribute('y', String(y));
      rect.setAttribute('height', String(spec.h));
      // Labels start at the visible left edge so a long span stays named while panned.
      const lx = Math.max(x0, f.layout.plotX0) + 4;
      const chars = charsIn(f, x1 - lx - 4);
      const t = chars >= 3 ? fitText(spec.label(d), chars) : '';
      text.setAttribute('x', String(lx));
      text.setAttribute('y', String(y + spec.h / 2 + fontPx * 0.35));
      if (text.textContent !== t) text.textContent = t;
    });
}

const names = (f: Frame, ts: readonly number[]) =>
  ts.map((t) => f.model.trace.threads[t]?.name ?? `thread ${t}`).join(', ');
const who = (f: Frame, t: number) => f.model.trace.threads[t]?.name ?? `thread ${t}`;
const steps = (d: Span & { open: boolean }) =>
  d.open ? `from step ${d.start} to the end` : `steps ${d.start}–${d.end - 1}`;

export function drawSpans(layers: Record<'fn' | 'locks' | 'waits' | 'srcu', Layer>, f: Frame) {
  const s = f.layout.sizes;
  const lane = (t: number) => f.layout.lanes[t];
  const lockIndex = new Map(f.model.lockRows.map((l, i) => [l, i]));
  // Function runs too short to name would only add nodes: skip them.
  const minFn = 3 * s.charW + 8;
  const fns = f.model.runs.filter(
    (r) =>
      inView(f, r.start, r.end) &&
      f.scale.stepToPx(r.end) - f.scale.stepToPx(r.start) >= minFn,
  );
  drawBands<FnRun>(layers.fn, f, {
    cls: 'tl-fn',
    testid: 'fn-run',
    data: fns,
    key: (d) => `${d.start}`,
    y: (d) => (lane(d.thread)?.fnY ?? 0) + s.fnH - 3,
    h: 2,
    label: (d) => d.fn,
    title: (d) => `${who(f, d.thread)} in ${d.fn}, steps ${d.start}–${d.end - 1}`,
  });
  drawBands<LockSpan>(layers.locks, f, {
    cls: 'tl-lock',
    testid: 'lock-span',
    data: f.model.locks,
    key: (d) => `${d.thread}:${d.lock}:${d.start}`,
    init: (g) =>
      g
        .attr('data-lock', (d) => d.lock)
        .attr('data-mode', (d) => d.mode)
        .attr('data-thread', (d) => d.thread)
        .classed('mode-read', (d) => d.mode === 'read')
        .classed('mode-write', (d) => d.mode === 'write')
        .classed('mode-excl', (d) => d.mode === 'excl')
        .attr('data-row', (d) => (lockIndex.get(d.lock) ?? 0) % 3),
    y: (d) => lane(d.thread)?.lockY.get(d.lock) ?? 0,
    h: s.bandH,
    label: (d) => (d.mode === 'excl' ? d.lock : `${d.lock} (${d.mode})`),
    title: (d) => `${who(f, d.thread)} holds ${d.lock} (${d.mode}), ${steps(d)}`,
    fill: (d) => (d.mode === 'read' ? `url(#${f.ids.hatch})` : null),
  });
  drawBands<WaitSpan>(layers.waits, f, {
    cls: 'tl-wait',
    testid: 'wait-span',
    data: f.model.waits,
    key: (d) => `${d.thread}:${d.start}`,
    init: (g) => g.attr('data-thread', (d) => d.thread).attr('data-block', (d) => d.kind),
    y: (d) => (lane(d.thread)?.markY ?? 0) + 3,
    h: s.markH - 6,
    label: (d) => `waits: ${d.label}`,
    title: (d) => `${who(f, d.thread)} cannot run, ${steps(d)}: ${d.reason}`,
  });
  const { sections, grace } = f.model;
  drawBands<SrcuSection>(layers.srcu, f, {
    cls: 'tl-srcu',
    testid: 'srcu-section',
    data: sections,
    key: (d) => `${d.thread}:${d.domain}:${d.start}`,
    init: (g) => g.attr('data-domain', (d) => d.domain),
    y: (d) => lane(d.thread)?.srcuY ?? 0,
    h: s.bandH,
    label: (d) => `srcu read (${d.domain})`,
    title: (d) => `${who(f, d.thread)} in an SRCU read-side section of ${d.domain}, ${steps(d)}`,
  });
  drawBands<GracePeriod>(layers.srcu, f, {
    cls: 'tl-gp',
    testid: 'grace-period',
    data: grace,
    key: (d) => `${d.thread}:${d.domain}:${d.start}`,
    init: (g) => g.attr('data-domain', (d) => d.domain),
    y: (d) => lane(d.thread)?.srcuY ?? 0,
    h: s.bandH,
    label: (d) =>
      `synchronize_srcu(${d.domain})${d.readers.length ? `: waits for ${names(f, d.readers)}` : ''}`,
    title: (d) =>
      `${who(f, d.thread)}: grace period of ${d.domain}, ${steps(d)}; readers: ${names(f, d.readers) || 'none'}`,
  });
}
