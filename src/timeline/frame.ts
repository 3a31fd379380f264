/**
 * What every draw function gets for one frame, and small helpers they share.
 * A frame is cheap to build: the model and layout are reused, only the scale
 * and cursor change between zoom events.
 */
import type { BaseType, Selection } from 'd3-selection';
import type { Layout } from './layout';
import type { TimelineModel } from './spans';
import type { TimeScale } from './timeScale';

/** Element ids inside the SVG, unique per timeline so that two timelines on a page do not clash. */
export interface Ids {
  clip: string;
  hatch: string;
  arrowCause: string;
  arrowRacing: string;
}

export interface Frame {
  model: TimelineModel;
  layout: Layout;
  scale: TimeScale;
  cursor: number;
  ids: Ids;
  /** The visible step window [a, b], fractional. */
  win: [number, number];
  /** The visible step slots [first, last + 1). */
  slots: [number, number];
}

export type Layer = Selection<SVGGElement, unknown, null, undefined>;

/**
 * The pixel extent of the span [start, end), clamped a little outside the
 * plot: at high zoom a span can be millions of pixels wide, which some
 * browsers draw badly, and labels should start at the visible left edge.
 */
export function spanPx(f: Frame, start: number, end: number): [number, number] {
  const lo = f.layout.plotX0 - 4;
  const hi = f.layout.plotX1 + 4;
  const x0 = Math.max(lo, f.scale.stepToPx(start));
  const x1 = Math.min(hi, f.scale.stepToPx(end));
  return [x0, Math.max(x0, x1)];
}

/** Whether [start, end) overlaps the visible window. */
export function inView(f: Frame, start: number, end: number): boolean {
  return end > f.win[0] && start < f.win[1];
}

/**
 * Sets an element's text only when it changes: rewriting textContent on
 * hundreds of labels every zoom frame costs more than comparing strings.
 */
export function setText<E extends BaseType & Node, D>(
  sel: Selection<E, D, BaseType, unknown>,
  text: (d: D) => string,
): void {
  sel.each(function (d) {
    const t = text(d);
    if (this.textContent !== t) this.textContent = t;
  });
}

/** Characters of the label font that fit in `px`. */
export function charsIn(f: Frame, px: number): number {
  return Math.floor(px / f.layout.sizes.charW);
}
