/**
 * The span layers of the exported picture (function runs, locks, waits,
 * SRCU) and the marks, drawn as SVG text from the same model and geometry
 * as the live timeline (src/timeline). Only what is in the frame's window
 * is written.
 */
import { fitText } from '../timeline/labels';
import { charsIn, inView, spanPx, type Frame } from '../timeline/frame';
import { shapePath } from '../timeline/geometry';
import { activityRuns, MIN_MARK_PX } from '../timeline/drawMarks';
import { stepTitle } from '../timeline/spans';
import type { Span } from '../timeline/bands';
import { CATEGORY_FILL, CATEGORY_INK, PALETTE, el, num, text, title, type Attrs } from './svgKit';

interface Band {
  span: Span;
  y: number;
  h: number;
  label: string;
  tip: string;
  shape: Attrs;
  ink: Attrs;
  above?: boolean;
}

function band(f: Frame, b: Band): string {
  const [x0, x1] = spanPx(f, b.span.start, b.span.end);
  const inset = x1 - x0 > 6 ? 1 : 0;
  const lx = Math.max(x0, f.layout.plotX0) + 4;
  const chars = charsIn(f, x1 - lx - 4);
  const label = chars >= 3 ? fitText(b.label, chars) : '';
  const font = f.layout.sizes.font;
  const ty = b.above ? b.y - 2 : b.y + b.h / 2 + font * 0.35;
  return el('g', {}, [
    el('rect', {
      x: x0 + inset,
      y: b.y,
      width: Math.max(1, x1 - x0 - 2 * inset),
      height: b.h,
      ...b.shape,
    }),
    label ? text({ x: lx, y: ty, ...b.ink }, label) : '',
    title(b.tip),
  ]);
}

export function drawBandsSvg(f: Frame, hatchId: string): string[] {
  const s = f.layout.sizes;
  const m = f.model;
  const lane = (t: number) => f.layout.lanes[t];
  const who = (t: number) => m.trace.threads[t]?.name ?? `thread ${t}`;
  const out: string[] = [];
  const minFn = 3 * s.charW + 8;
  for (const r of m.runs) {
    if (!inView(f, r.start, r.end) || f.scale.stepToPx(r.end) - f.scale.stepToPx(r.start) < minFn)
      continue;
    const y = (lane(r.thread)?.fnY ?? 0) + s.fnH - 3;
    const tip = `${who(r.thread)} in ${r.fn}`;
    const ink = { fill: PALETTE.muted };
    out.push(
      band(f, {
        span: r,
        y,
        h: 2,
        label: r.fn,
        tip,
        shape: { fill: PALETTE.rule },
        ink,
        above: true,
      }),
    );
  }
  const lockIndex = new Map(m.lockRows.map((l, i) => [l, i]));
  for (const l of m.locks) {
    if (!inView(f, l.start, l.end)) continue;
    const colour = PALETTE.locks[(lockIndex.get(l.lock) ?? 0) % PALETTE.locks.length] ?? '#000';
    const read = l.mode === 'read';
    out.push(
      band(f, {
        span: l,
        y: lane(l.thread)?.lockY.get(l.lock) ?? 0,
        h: s.bandH,
        label: l.mode === 'excl' ? l.lock : `${l.lock} (${l.mode})`,
        tip: `${who(l.thread)} holds ${l.lock} (${l.mode})`,
        shape: { fill: read ? `url(#${hatchId})` : colour, stroke: colour, 'stroke-width': 1.5 },
        ink: read
          ? {
              fill: PALETTE.fg,
              'font-weight': 700,
              stroke: PALETTE.bg,
              'stroke-width': 3,
              'paint-order': 'stroke',
            }
          : { fill: '#ffffff', 'font-weight': 700 },
      }),
    );
  }
  for (const w of m.waits) {
    if (!inView(f, w.start, w.end)) continue;
    out.push(
      band(f, {
        span: w,
        y: (lane(w.thread)?.markY ?? 0) + 3,
        h: s.markH - 6,
        label: w.label,
        tip: `${who(w.thread)} cannot run: ${w.reason}`,
        shape: {
          fill: PALETTE.waitBg,
          stroke: PALETTE.wait,
          'stroke-width': 2.5,
          'stroke-dasharray': '5 3',
        },
        ink: { fill: PALETTE.wait, 'font-style': 'italic' },
      }),
    );
  }
  for (const sec of m.sections) {
    if (!inView(f, sec.start, sec.end)) continue;
    out.push(
      band(f, {
        span: sec,
        y: lane(sec.thread)?.srcuY ?? 0,
        h: s.bandH,
        label: `srcu read (${sec.domain})`,
        tip: `${who(sec.thread)} in an SRCU read-side section of ${sec.domain}`,
        shape: { fill: PALETTE.srcu, 'fill-opacity': 0.35, stroke: PALETTE.srcu },
        ink: { fill: PALETTE.fg },
      }),
    );
  }
  for (const gp of m.grace) {
    if (!inView(f, gp.start, gp.end)) continue;
    out.push(
      band(f, {
        span: gp,
        y: lane(gp.thread)?.srcuY ?? 0,
        h: s.bandH,
        label: `synchronize_srcu(${gp.domain})`,
        tip: `${who(gp.thread)}: grace period of ${gp.domain}`,
        shape: { fill: 'none', stroke: PALETTE.gp, 'stroke-width': 2.5, 'stroke-dasharray': '2 2' },
        ink: { fill: PALETTE.fg },
      }),
    );
  }
  return out;
}

/** One shape per visible step, or merged runs of activity when steps are under 3 px wide. */
export function drawMarksSvg(f: Frame): string[] {
  const ppx = f.scale.pxPerStep;
  const h = f.layout.sizes.markH;
  if (ppx < MIN_MARK_PX) {
    return activityRuns(f.model.marks, f.slots[0], f.slots[1], ppx).map((r) => {
      const x0 = f.scale.stepToPx(r.start);
      const w = Math.max(1, f.scale.stepToPx(r.end) - x0);
      const y = (f.layout.lanes[r.thread]?.markY ?? 0) + h * 0.15;
      return el('rect', { x: x0, y, width: w, height: h * 0.7, fill: '#64748b' });
    });
  }
  const gap = ppx > 8 ? 2 : ppx * 0.2;
  const w = Math.max(1, ppx - gap);
  const chars = charsIn(f, w - 8);
  return f.model.marks.slice(f.slots[0], f.slots[1]).map((mk) => {
    const x = f.scale.stepToPx(mk.step) + gap / 2;
    const y = f.layout.lanes[mk.thread]?.markY ?? 0;
    const outlined = mk.category === 'read' || mk.category === 'guest';
    const colour = CATEGORY_FILL[mk.category];
    const label = chars >= 6 ? fitText(mk.label, chars) : '';
    return el(
      'g',
      {
        transform: `translate(${num(x)},${num(y)})`,
        opacity: mk.step >= f.cursor ? 0.35 : undefined,
      },
      [
        el('path', {
          d: shapePath(mk.category, w, h),
          fill: outlined ? PALETTE.bg : colour,
          stroke: outlined ? colour : undefined,
          'stroke-width': outlined ? 3 : undefined,
        }),
        label
          ? text(
              {
                x: 4,
                y: h / 2 + f.layout.sizes.font * 0.35,
                fill: outlined ? PALETTE.fg : CATEGORY_INK[mk.category],
              },
              label,
            )
          : '',
        title(stepTitle(f.model.trace, mk.step)),
      ],
    );
  });
}
