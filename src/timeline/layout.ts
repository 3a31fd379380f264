/**
 * Vertical geometry of the timeline: one lane per thread, each with rows for
 * the function runs, the held locks, the marks (a thread that cannot run has
 * no marks, so its waits share the mark row) and the SRCU sections. Computed
 * from sizes alone, never measured from the DOM, so rendering does no layout
 * reads.
 */
import type { TraceData } from '../engine';
import { laneRows, type TimelineModel } from './spans';

export interface Sizes {
  /** Font size of labels, in px. */
  font: number;
  /** Font size of thread names. */
  nameFont: number;
  /** Width of one monospace character of `font`, for fitting labels without measuring. */
  charW: number;
  gutter: number;
  axisH: number;
  /** Two rows of flags (violations and the causes' parts in the story). */
  flagH: number;
  fnH: number;
  bandH: number;
  markH: number;
  pad: number;
}

const NORMAL: Sizes = {
  font: 11,
  nameFont: 13,
  charW: 6.7,
  gutter: 168,
  axisH: 22,
  flagH: 44,
  fnH: 15,
  bandH: 15,
  markH: 22,
  pad: 6,
};

// Talk mode: readable from the back of a room.
const TALK: Sizes = {
  font: 16,
  nameFont: 20,
  charW: 9.7,
  gutter: 230,
  axisH: 30,
  flagH: 62,
  fnH: 22,
  bandH: 21,
  markH: 32,
  pad: 8,
};

export function sizesFor(talk: boolean): Sizes {
  return talk ? TALK : NORMAL;
}

export interface Lane {
  thread: number;
  y: number;
  height: number;
  fnY: number;
  /** Top of the band of each lock, by lock name. */
  lockY: Map<string, number>;
  markY: number;
  srcuY: number;
}

export interface Layout {
  sizes: Sizes;
  width: number;
  height: number;
  /** Left and right edge of the plot, in px. */
  plotX0: number;
  plotX1: number;
  /** Top of the first lane. */
  lanesY: number;
  lanes: Lane[];
}

export function laneHeight(model: Pick<TimelineModel, 'lockRows' | 'hasSrcu'>, s: Sizes): number {
  const srcu = model.hasSrcu ? s.bandH + 2 : 0;
  return s.pad + s.fnH + model.lockRows.length * (s.bandH + 2) + s.markH + srcu + s.pad;
}

/** The height the timeline needs; the React wrapper reserves it before the first draw. */
export function timelineHeight(model: TimelineModel, talk: boolean): number {
  const s = sizesFor(talk);
  return s.axisH + s.flagH + model.trace.threads.length * laneHeight(model, s) + 4;
}

/**
 * The same height straight from a trace, without building the model: the
 * React wrapper reserves the space before the controller has drawn.
 */
export function traceTimelineHeight(trace: TraceData, talk: boolean): number {
  const s = sizesFor(talk);
  return s.axisH + s.flagH + trace.threads.length * laneHeight(laneRows(trace), s) + 4;
}

export function computeLayout(model: TimelineModel, width: number, talk: boolean): Layout {
  const s = sizesFor(talk);
  const lh = laneHeight(model, s);
  const lanesY = s.axisH + s.flagH;
  const lanes = model.trace.threads.map((_, t): Lane => {
    const y = lanesY + t * lh;
    const fnY = y + s.pad;
    const lockY = new Map<string, number>();
    model.lockRows.forEach((l, i) => lockY.set(l, fnY + s.fnH + i * (s.bandH + 2)));
    const markY = fnY + s.fnH + model.lockRows.length * (s.bandH + 2);
    return { thread: t, y, height: lh, fnY, lockY, markY, srcuY: markY + s.markH + 2 };
  });
  // Leave the plot at least 100px even in a narrow container.
  const w = Math.max(width, s.gutter + 100);
  return {
    sizes: s,
    width: w,
    height: timelineHeight(model, talk),
    plotX0: s.gutter,
    plotX1: w - 8,
    lanesY,
    lanes,
  };
}
