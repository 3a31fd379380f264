/**
 * Bands along the lanes: kernel-function runs, held locks, waits, SRCU
 * read-side sections and grace periods, each described for the generic band
 * drawer in bands.ts.
 */
import { drawBands, type Span } from './bands';
import { inView, type Frame, type Layer } from './frame';
import { stepName, stepRange } from './labels';
import type { FnRun, GracePeriod, LockSpan, SrcuSection, WaitSpan } from './spans';

const names = (f: Frame, ts: readonly number[]) =>
  ts.map((t) => f.model.trace.threads[t]?.name ?? `thread ${t}`).join(', ');
const who = (f: Frame, t: number) => f.model.trace.threads[t]?.name ?? `thread ${t}`;
const steps = (d: Span & { open: boolean }) =>
  d.open ? `from ${stepName(d.start)} to the end` : stepRange(d.start, d.end);

export function drawSpans(layers: Record<'fn' | 'locks' | 'waits' | 'srcu', Layer>, f: Frame) {
  const s = f.layout.sizes;
  const lane = (t: number) => f.layout.lanes[t];
  const lockIndex = new Map(f.model.lockRows.map((l, i) => [l, i]));
  // Function runs too short to name would only add nodes: skip them.
  const minFn = 3 * s.charW + 8;
  const fns = f.model.runs.filter(
    (r) =>
      inView(f, r.start, r.end) && f.scale.stepToPx(r.end) - f.scale.stepToPx(r.start) >= minFn,
  );
  drawBands<FnRun>(layers.fn, f, {
    cls: 'tl-fn',
    testid: 'fn-run',
    data: fns,
    key: (d) => `${d.start}`,
    row: (d) => `${d.thread}`,
    y: (d) => (lane(d.thread)?.fnY ?? 0) + s.fnH - 3,
    h: 2,
    labelAbove: true,
    label: (d) => d.fn,
    title: (d) => `${who(f, d.thread)} in ${d.fn}, ${stepRange(d.start, d.end)}`,
  });
  drawBands<LockSpan>(layers.locks, f, {
    cls: 'tl-lock',
    testid: 'lock-span',
    data: f.model.locks,
    key: (d) => `${d.thread}:${d.lock}:${d.start}`,
    row: (d) => `${d.thread}:${d.lock}:${d.mode}`,
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
    // Solid (write) and hatched (read) say the mode too, so a narrow band drops the words first.
    label: (d) => (d.mode === 'excl' ? d.lock : [`${d.lock} (${d.mode})`, d.lock]),
    title: (d) => {
      const info = f.model.trace.locks.find((l) => l.name === d.lock)?.info;
      const about = info
        ? `\n${d.lock}: ${info.type}, ${info.arch}; protects ${info.protects}`
        : '';
      return `${who(f, d.thread)} holds ${d.lock} (${d.mode}), ${steps(d)}${about}`;
    },
    fill: (d) => (d.mode === 'read' ? `url(#${f.ids.hatch})` : null),
  });
  drawBands<WaitSpan>(layers.waits, f, {
    cls: 'tl-wait',
    testid: 'wait-span',
    data: f.model.waits,
    key: (d) => `${d.thread}:${d.start}`,
    row: (d) => `${d.thread}`,
    init: (g) => g.attr('data-thread', (d) => d.thread).attr('data-block', (d) => d.kind),
    y: (d) => (lane(d.thread)?.markY ?? 0) + 3,
    h: s.markH - 6,
    label: (d) => d.label,
    title: (d) => `${who(f, d.thread)} cannot run, ${steps(d)}: ${d.reason}`,
  });
  const { sections, grace } = f.model;
  drawBands<SrcuSection>(layers.srcu, f, {
    cls: 'tl-srcu',
    testid: 'srcu-section',
    data: sections,
    key: (d) => `${d.thread}:${d.domain}:${d.start}`,
    row: (d) => `${d.thread}:${d.domain}`,
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
    row: (d) => `${d.thread}:${d.domain}`,
    init: (g) => g.attr('data-domain', (d) => d.domain),
    y: (d) => lane(d.thread)?.srcuY ?? 0,
    h: s.bandH,
    label: (d) =>
      `synchronize_srcu(${d.domain})${d.readers.length ? `: waits for ${names(f, d.readers)}` : ''}`,
    title: (d) =>
      `${who(f, d.thread)}: grace period of ${d.domain}, ${steps(d)}; readers: ${names(f, d.readers) || 'none'}`,
  });
}
