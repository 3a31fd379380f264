/**
 * The timeline controller: plain DOM and d3, no React (after xyflow's
 * XYPanZoom). `createTimeline` builds the SVG once; `update` pushes new
 * props; zooming and panning re-render only what changed, once per animation
 * frame. Everything drawn comes from the trace through `spans.ts`; nothing
 * here knows what an op means.
 */
import { pointer, select } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent } from 'd3-zoom';
import type { TraceData } from '../engine';
import { drawDefs, drawLanes } from './drawChrome';
import { drawMarks } from './drawMarks';
import { drawFlags } from './drawFlags';
import { drawPreemptions } from './drawPreemptions';
import { drawArrows, drawAxis, drawCursor } from './drawOverlay';
import { drawSpans } from './drawSpans';
import type { Frame, Ids, Layer } from './frame';
import { computeLayout, type Layout } from './layout';
import { buildModel, type TimelineModel } from './spans';
import { IDENTITY, TimeScale, type XTransform } from './timeScale';
import './timeline.css';

export interface TimelineProps {
  trace: TraceData;
  /** Steps executed: 0 is the initial state, `trace.steps.length` the end. */
  cursor: number;
  /** Large type and a colour-blind-safe, high-contrast palette for talks. */
  talk: boolean;
  /** Width in px; when absent the node's width is read (once per update, never per frame). */
  width?: number;
  /** Talk mode: the height to fill; the drawing scales (type included) to fit it. */
  fitHeight?: number;
}

/** The visible part of the step axis. */
export interface Viewport {
  start: number;
  end: number;
}

export interface TimelineOptions {
  node: HTMLElement;
  /** Called with the cursor that puts a clicked step just behind it (step + 1). */
  onStepClick: (cursor: number) => void;
  /** Called when the user (or cursor following) moves the view, not on `setViewport`. */
  onViewportChange?: (viewport: Viewport) => void;
}

export interface TimelineController {
  update(props: TimelineProps): void;
  setViewport(viewport: Viewport): void;
  destroy(): void;
}

/** At the deepest zoom a step is this wide, enough for a long label. */
const MAX_PX_PER_STEP = 360;

let instances = 0;

export function createTimeline(options: TimelineOptions): TimelineController {
  const uid = `tl${++instances}`;
  const ids: Ids = {
    clip: `${uid}-clip`,
    hatch: `${uid}-hatch`,
    arrowCause: `${uid}-arrow-cause`,
    arrowRacing: `${uid}-arrow-racing`,
  };
  const svg = select(options.node)
    .append('svg')
    .attr('class', 'tl-root')
    .attr('data-testid', 'timeline')
    .attr('role', 'group')
    .attr('aria-label', 'timeline of the run: one lane per thread');
  const defs = svg.append('defs');
  const bg = svg.append('g').attr('class', 'tl-lanes');
  const plot = svg.append('g').attr('class', 'tl-plot').attr('clip-path', `url(#${ids.clip})`);
  const layer = (cls: string): Layer => plot.append('g').attr('class', cls);
  // Paint order: spans under marks, the veil over everything that can be future,
  // then the story (arrows, flags) and the cursor on top.
  const layers = {
    fn: layer('tl-fns'),
    locks: layer('tl-locks'),
    srcu: layer('tl-srcus'),
    waits: layer('tl-waits'),
    marks: layer('tl-marks'),
    veil: layer('tl-veil'),
    preemptions: layer('tl-preemptions'),
    arrows: layer('tl-arrows'),
    flags: layer('tl-flags'),
    axis: layer('tl-axis'),
    cursor: layer('tl-cursor').attr('data-testid', 'cursor'),
  };
  layers.veil.append('rect');
  layers.cursor.append('line');
  layers.cursor.append('path').attr('class', 'tl-cursor-handle');
  const gutter: Layer = svg.append('g').attr('class', 'tl-gutter');

  let model: TimelineModel | null = null;
  let layout: Layout | null = null;
  let base: TimeScale | null = null;
  let transform: XTransform = IDENTITY;
  let cursor = 0;
  let talk = false;
  let maxK = 1;
  let width = -1;
  let fitHeight: number | undefined;
  let frame = 0;
  // Set while the controller moves the view itself, so that setViewport does not echo.
  let silent = false;

  const zoomer = zoom<SVGSVGElement, unknown>().on(
    'zoom',
    (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
      // y is ignored: lanes never scroll vertically, whatever d3-zoom tracks.
      transform = { k: event.transform.k, x: event.transform.x };
      if (!silent && base && options.onViewportChange) {
        const [start, end] = base.withTransform(transform).visibleWindow();
        options.onViewportChange({ start, end });
      }
      schedule();
    },
  );
  // Double-click would zoom, and a speaker double-clicks steps by accident.
  svg.call(zoomer).on('dblclick.zoom', null);
  svg.on('click', (event: MouseEvent) => {
    const node = svg.node();
    if (!model || !layout || !base || !node) return;
    const [x] = pointer(event, node);
    if (x < layout.plotX0 || x > layout.plotX1) return;
    // A mark or flag names its step; elsewhere (a span, empty lane, the axis) x does.
    const target = event.target instanceof Element ? event.target.closest('[data-step]') : null;
    const named = target?.getAttribute('data-step');
    const step = named ? Number(named) : Math.floor(base.withTransform(transform).pxToStep(x));
    if (step >= 0 && step < model.trace.steps.length) options.onStepClick(step + 1);
  });

  function applyTransform(t: XTransform, emit: boolean): void {
    silent = !emit;
    svg.call(zoomer.transform, zoomIdentity.translate(t.x, 0).scale(t.k));
    silent = false;
  }

  function schedule(): void {
    if (!frame) frame = requestAnimationFrame(render);
  }

  function render(): void {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    if (!model || !layout || !base) return;
    const scale = base.withTransform(transform);
    const f: Frame = {
      model,
      layout,
      scale,
      cursor,
      ids,
      win: scale.visibleWindow(),
      slots: scale.visibleSteps(),
    };
    drawSpans(layers, f);
    drawMarks(layers.marks, f);
    drawCursor(layers.cursor, layers.veil, f);
    drawPreemptions(layers.preemptions, f);
    drawArrows(layers.arrows, f);
    drawFlags(layers.flags, f);
    drawAxis(layers.axis, f);
  }

  function clearData(): void {
    for (const l of [layers.fn, layers.locks, layers.srcu, layers.waits, layers.marks]) {
      l.selectAll('*').remove();
    }
    layers.preemptions.selectAll('*').remove();
    layers.arrows.selectAll('*').remove();
    layers.flags.selectAll('*').remove();
  }

  return {
    update(props) {
      const fresh = !model || props.trace !== model.trace;
      const w = Math.round(props.width ?? options.node.clientWidth);
      const relayout =
        fresh || !layout || props.talk !== talk || w !== width || props.fitHeight !== fitHeight;
      const shown = !fresh && base ? base.withTransform(transform).visibleWindow() : null;
      if (fresh) model = buildModel(props.trace);
      if (!model) return;
      if (relayout) {
        // Node sizes are set when nodes are created, so a new size starts from scratch.
        clearData();
        talk = props.talk;
        width = w;
        fitHeight = props.fitHeight;
        layout = computeLayout(model, width, talk, fitHeight);
        svg
          // Type follows the layout's sizes, which talk mode scales to the screen.
          .style('--tl-font', `${layout.sizes.font}px`)
          .style('--tl-name-font', `${layout.sizes.nameFont}px`)
          .attr('width', layout.width)
          .attr('height', layout.height)
          .attr('viewBox', `0 0 ${layout.width} ${layout.height}`)
          .classed('tl-talk', talk);
        drawDefs(defs, ids, layout);
        drawLanes(bg, gutter, model, layout);
        base = new TimeScale([0, Math.max(1, model.extent)], [layout.plotX0, layout.plotX1]);
        const max = props.talk ? MAX_PX_PER_STEP * 1.5 : MAX_PX_PER_STEP;
        maxK = Math.max(1, base.k * (max / base.pxPerStep));
        const box: [[number, number], [number, number]] = [
          [layout.plotX0, 0],
          [layout.plotX1, layout.height],
        ];
        zoomer.extent(box).translateExtent(box).scaleExtent([1, maxK]);
        applyTransform(shown ? base.transformFor(shown[0], shown[1], maxK) : IDENTITY, false);
      }
      const asked = Number.isFinite(props.cursor) ? Math.round(props.cursor) : 0;
      const next = Math.max(0, Math.min(asked, model.trace.steps.length));
      if ((next !== cursor || fresh) && base) {
        cursor = next;
        const scale = base.withTransform(transform);
        const pan = scale.panToInclude(cursor, Math.max(24, 2 * scale.pxPerStep), 0.35);
        if (pan) applyTransform(pan, true);
      }
      render();
    },
    setViewport(viewport) {
      if (!base) return;
      applyTransform(base.transformFor(viewport.start, viewport.end, maxK), false);
      render();
    },
    destroy() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      svg.on('.zoom', null).on('click', null);
      svg.remove();
      model = null;
    },
  };
}
