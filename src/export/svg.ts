/**
 * The timeline as a standalone SVG for slides: a pure function of the
 * trace, so the CLI writes the same picture as the app without a browser.
 * It reuses the live timeline's model (spans.ts), layout (talk sizes),
 * scale, flag placement and arrow geometry; only the drawing is its own,
 * as text instead of D3 joins. No script, no event attributes, no external
 * references: colours and fonts are attributes, fonts are generic families.
 */
import type { TraceData } from '../engine';
import { buildModel } from '../timeline/spans';
import { computeLayout } from '../timeline/layout';
import { TimeScale } from '../timeline/timeScale';
import { placeFlags } from '../timeline/drawFlags';
import { arrowPath, markTop } from '../timeline/geometry';
import type { Frame } from '../timeline/frame';
import { drawBandsSvg, drawMarksSvg } from './svgBands';
import { drawAxisSvg, drawDefsSvg, drawGutterSvg } from './svgChrome';
import { MONO, PALETTE, SANS, el, esc, text, title } from './svgKit';

export interface SvgOptions {
  /** Width in px; 1920 by default (a 1080p slide), 1280 for a 720p one. */
  width?: number;
  /** The steps shown, [start, end) in step slots; the whole run by default. */
  window?: readonly [number, number];
  /** Steps done (the app's cursor): later steps are veiled, later violations hidden. End by default. */
  cursor?: number;
}

const HEADER = 44;
const IDS = {
  clip: 'ls-clip',
  hatch: 'ls-hatch',
  arrowCause: 'ls-arrow-cause',
  arrowRacing: 'ls-arrow-racing',
};

/** What the picture says in one line: the run and its verdict. */
export function verdict(trace: TraceData, cursor: number): string {
  const shown = trace.violations.filter((v) => v.step < cursor);
  if (shown.length === 0) return cursor >= trace.steps.length ? 'no violation' : `step ${cursor}`;
  return shown.map((v) => `${v.kind} at step ${v.step}`).join(', ');
}

export function frameFor(trace: TraceData, options: SvgOptions = {}): Frame {
  const model = buildModel(trace);
  const layout = computeLayout(model, options.width ?? 1920, true);
  const base = new TimeScale([0, Math.max(1, model.extent)], [layout.plotX0, layout.plotX1]);
  const win = options.window;
  const scale = win ? base.withTransform(base.transformFor(win[0], win[1])) : base;
  const cursor = Math.max(0, Math.min(options.cursor ?? trace.steps.length, trace.steps.length));
  return {
    model,
    layout,
    scale,
    cursor,
    ids: IDS,
    win: scale.visibleWindow(),
    slots: scale.visibleSteps(),
  };
}

function flags(f: Frame): string[] {
  const s = f.layout.sizes;
  return placeFlags(f).map(({ flag: d, x, box: b, y, h, text: fitted }) => {
    const c = PALETTE.violation;
    return el('g', d.violation ? { 'data-violation': d.kind } : {}, [
      el('line', {
        x1: x,
        x2: x,
        y1: y + h / 2,
        y2: d.violation ? f.layout.height : f.layout.lanesY,
        stroke: c,
        'stroke-width': d.violation ? 1.5 : 1,
        'stroke-dasharray': d.violation ? '6 4' : undefined,
      }),
      el('rect', {
        x: b.x0,
        y,
        width: b.x1 - b.x0,
        height: h,
        rx: 4,
        fill: d.violation ? c : PALETTE.bg,
        stroke: d.violation ? undefined : c,
      }),
      text(
        {
          x: b.x0 + 6,
          y: y + h / 2 + s.font * 0.36,
          'font-weight': 700,
          fill: d.violation ? '#ffffff' : c,
        },
        fitted,
      ),
      title(d.title),
    ]);
  });
}

function arrows(f: Frame): string[] {
  const shown = f.model.violations.filter((v) => f.cursor > v.step);
  const s = f.layout.sizes;
  const pad = f.scale.pxPerStep > 8 ? 3 : 2;
  const ring = (step: number, stroke: string, width: number, dash?: string) => {
    const w = Math.max(8, f.scale.pxPerStep) + 2 * pad;
    const m = markTop(f, step);
    return el('rect', {
      x: m.x - w / 2,
      y: m.y - pad,
      width: w,
      height: s.markH + 2 * pad,
      rx: 3,
      fill: 'none',
      stroke,
      'stroke-width': width,
      'stroke-dasharray': dash,
    });
  };
  return shown.flatMap((v) => [
    ...v.arrows.map((a) => {
      const cause = a.style === 'cause';
      return el('path', {
        d: arrowPath(f, a),
        fill: 'none',
        stroke: cause ? PALETTE.violation : PALETTE.racing,
        'stroke-width': cause ? 3.5 : 2.1,
        'stroke-dasharray': cause ? undefined : '4 3',
        'marker-end': `url(#${cause ? IDS.arrowCause : IDS.arrowRacing})`,
        'data-from': a.from,
        'data-to': a.to,
      });
    }),
    ring(v.step, PALETTE.violation, 4.5),
    ...v.arrows.map((a) =>
      a.style === 'cause'
        ? ring(a.from, PALETTE.violation, 3.5)
        : ring(a.from, PALETTE.racing, 2.1, '3 2'),
    ),
  ]);
}

/** The SVG document, as text. */
export function timelineSvg(trace: TraceData, options: SvgOptions = {}): string {
  const f = frameFor(trace, options);
  const l = f.layout;
  const width = l.width;
  const height = l.height + HEADER;
  const n = trace.steps.length;
  const veilX = Math.max(
    f.cursor >= n ? f.scale.stepToPx(f.model.extent) : f.scale.stepToPx(f.cursor),
    l.plotX0,
  );
  const heading = `${trace.scenario} / ${trace.variant} (kernel ${trace.kernel})`;
  const said = verdict(trace, f.cursor);
  const body = [
    el('rect', { width, height: l.height, fill: PALETTE.bg }),
    ...l.lanes.map((lane) =>
      el('rect', {
        x: 0,
        y: lane.y,
        width: l.plotX1,
        height: lane.height,
        fill: lane.thread % 2 ? PALETTE.laneAlt : PALETTE.bg,
      }),
    ),
    ...drawAxisSvg(f),
    el('g', { 'clip-path': `url(#${IDS.clip})` }, [
      ...drawBandsSvg(f, IDS.hatch),
      ...drawMarksSvg(f),
      ...arrows(f),
      veilX < l.plotX1
        ? el('rect', {
            x: veilX,
            y: l.lanesY - l.sizes.flagH,
            width: l.plotX1 + 4 - veilX,
            height: l.height,
            fill: PALETTE.veil,
            'fill-opacity': 0.7,
          })
        : '',
    ]),
    ...flags(f),
    ...drawGutterSvg(f),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${esc(MONO)}" font-size="${l.sizes.font}">`,
    title(`lockstep: ${heading}, ${said}`),
    drawDefsSvg(f),
    el('rect', { width, height, fill: PALETTE.bg }),
    text(
      { x: 10, y: 30, 'font-family': SANS, 'font-size': 22, 'font-weight': 700, fill: PALETTE.fg },
      heading,
    ),
    text(
      {
        x: width - 10,
        y: 30,
        'text-anchor': 'end',
        'font-family': SANS,
        'font-size': 22,
        'font-weight': 700,
        fill: said.startsWith('no') || said.startsWith('step') ? PALETTE.fg : PALETTE.violation,
      },
      said,
    ),
    el('g', { transform: `translate(0,${HEADER})` }, body),
    '</svg>',
  ].join('\n');
}
