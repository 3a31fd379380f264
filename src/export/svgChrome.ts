/**
 * The frame around the exported picture's plot: SVG defs, the step axis and
 * the thread gutter, drawn as SVG text with the live timeline's layout
 * (drawChrome.ts and drawOverlay.ts draw the same parts with D3).
 */
import { scaleLinear } from 'd3-scale';
import { wrap } from '../timeline/drawChrome';
import type { Frame } from '../timeline/frame';
import { PALETTE, SANS, el, esc, text } from './svgKit';

/** Markers for the arrows, the plot's clip and the hatch of locks held for read, under the frame's ids. */
export function drawDefsSvg(f: Frame): string {
  const l = f.layout;
  const size = l.sizes.font * 0.8;
  const marker = (id: string, fill: string) =>
    el(
      'marker',
      {
        id,
        viewBox: '0 0 10 10',
        refX: 8,
        refY: 5,
        markerUnits: 'userSpaceOnUse',
        markerWidth: size,
        markerHeight: size,
        orient: 'auto',
      },
      el('path', { d: 'M0,0L10,5L0,10Z', fill }),
    );
  return el('defs', {}, [
    el(
      'clipPath',
      { id: f.ids.clip },
      el('rect', { x: l.plotX0, y: 0, width: l.plotX1 - l.plotX0, height: l.height }),
    ),
    el(
      'pattern',
      {
        id: f.ids.hatch,
        patternUnits: 'userSpaceOnUse',
        width: 6,
        height: 6,
        patternTransform: 'rotate(45)',
      },
      [
        el('rect', { width: 6, height: 6, fill: PALETTE.bg }),
        el('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: PALETTE.hatch, 'stroke-width': 1.5 }),
      ],
    ),
    marker(f.ids.arrowCause, PALETTE.violation),
    marker(f.ids.arrowRacing, PALETTE.racing),
  ]);
}

/** Step numbers along the top, only where a whole step falls inside the window. */
export function drawAxisSvg(f: Frame): string[] {
  const [a, b] = f.win;
  const sc = scaleLinear()
    .domain([a - 0.5, b - 0.5])
    .range([f.scale.stepToPx(a), f.scale.stepToPx(b)]);
  const n = f.model.trace.steps.length;
  const y = f.layout.sizes.axisH - 1;
  const minX = f.layout.plotX0 + f.layout.sizes.charW;
  return sc
    .ticks(Math.max(2, Math.floor((f.layout.plotX1 - f.layout.plotX0) / 70)))
    .filter((v) => Number.isInteger(v) && v >= 0 && v < n && sc(v) >= minX)
    .map((v) =>
      el('g', {}, [
        el('line', { x1: sc(v), x2: sc(v), y1: y - 4, y2: y, stroke: PALETTE.rule }),
        text({ x: sc(v), y: y - 7, 'text-anchor': 'middle', fill: PALETTE.muted }, String(v)),
      ]),
    );
}

/** The left column: each thread's name, and its role wrapped to the lane's height. */
export function drawGutterSvg(f: Frame): string[] {
  const l = f.layout;
  const s = l.sizes;
  const roleChars = Math.floor((l.plotX0 - 16) / (s.font * 0.55));
  return [
    el('rect', { width: l.plotX0, height: l.height, fill: PALETTE.bg }),
    text({ x: l.plotX0 - 8, y: s.axisH - 8, 'text-anchor': 'end', fill: PALETTE.muted }, 'step'),
    ...l.lanes.map((lane) => {
      const th = f.model.trace.threads[lane.thread];
      const lines = wrap(
        th?.role ?? '',
        roleChars,
        Math.max(1, Math.floor((lane.height - s.nameFont - 2 * s.pad) / (s.font + 3))),
      );
      return el('g', { 'data-thread': lane.thread, transform: `translate(10,${lane.y + s.pad})` }, [
        text(
          {
            y: s.nameFont,
            'font-family': SANS,
            'font-size': s.nameFont,
            'font-weight': 700,
            fill: PALETTE.fg,
          },
          th?.name ?? `thread ${lane.thread}`,
        ),
        el(
          'text',
          { 'font-family': SANS, fill: PALETTE.muted },
          lines.map(
            (line, i) =>
              `<tspan x="0" y="${s.nameFont + (i + 1) * (s.font + 3) + 2}">${esc(line)}</tspan>`,
          ),
        ),
      ]);
    }),
    el('line', {
      x1: l.plotX0 - 0.5,
      x2: l.plotX0 - 0.5,
      y1: 0,
      y2: l.height,
      stroke: PALETTE.rule,
    }),
  ];
}
