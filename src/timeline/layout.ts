/**
 * Vertical geometry of the timeline: one lane per thread, each with rows for
 * the function runs, the held locks, the marks (a thread that cannot run has
 * no marks, so its waits share the mark row) and the SRCU sections. Computed
 * from sizes alone, never measured from the DOM, so rendering does no layout
 * reads.
 */
import type { TraceData } from '../engine';
import { laneRows, type TimelineModel } from './spans';
import { fitText } from './labels';

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
  gutter: 280,
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

/**
 * Text (and the gutter that holds it) stays within these factors; lanes and
 * marks scale further both ways, so that many CPUs still fit a 720-line
 * projector with labels a room can read.
 */
const TEXT_MIN = 0.7;
const TEXT_MAX = 1.3;

/**
 * Sizes scaled by k: talk mode scales the drawing to the screen's free
 * height. Type and the gutter stay between TEXT_MIN and TEXT_MAX, so that a
 * tall screen buys taller marks and bands instead of a gutter that eats the
 * plot, and a short one squeezes the marks before the words.
 */
export function scaleSizes(s: Sizes, k: number): Sizes {
  const t = Math.max(TEXT_MIN, Math.min(k, TEXT_MAX));
  return {
    font: s.font * t,
    nameFont: s.nameFont * t,
    charW: s.charW * t,
    gutter: s.gutter * t,
    axisH: s.axisH * t,
    flagH: s.flagH * t,
    fnH: s.fnH * t,
    bandH: s.bandH * k,
    markH: s.markH * k,
    pad: s.pad * k,
  };
}

/** Characters of a thread's role that fit one line of the gutter. */
export function roleChars(s: Sizes): number {
  return Math.floor((s.gutter - 16) / (s.font * 0.55));
}

type Roles = Pick<TraceData, 'threads'>;

/**
 * In talk mode a lane is tall enough for its thread's whole role under the
 * name: a projected label must not end in an ellipsis. (The normal view keeps
 * lanes compact and cuts the role; its tooltip has the rest.)
 */
function roleHeight(trace: Roles, s: Sizes, talk: boolean): number {
  if (!talk) return 0;
  const lines = Math.max(0, ...trace.threads.map((th) => wrap(th.role, roleChars(s), 99).length));
  return 2 * s.pad + s.nameFont + lines * (s.font + 3) + 4;
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

export function laneHeight(
  model: Pick<TimelineModel, 'lockRows' | 'hasSrcu'>,
  s: Sizes,
  min = 0,
): number {
  const srcu = model.hasSrcu ? s.bandH + 2 : 0;
  return Math.max(
    min,
    s.pad + s.fnH + model.lockRows.length * (s.bandH + 2) + s.markH + srcu + s.pad,
  );
}

type Rows = Pick<TimelineModel, 'lockRows' | 'hasSrcu'>;

function heightWith(trace: Roles, rows: Rows, s: Sizes, talk: boolean): number {
  const lh = laneHeight(rows, s, roleHeight(trace, s, talk));
  return s.axisH + s.flagH + trace.threads.length * lh + 4;
}

/** Talk mode fills this much height, within limits that keep type readable and lanes whole. */
const FIT_MIN = 0.45;
const FIT_MAX = 2.2;

/** The sizes to draw with: talk mode with a height to fill scales them to fit it. */
function sizesToFit(trace: Roles, rows: Rows, talk: boolean, fitHeight?: number): Sizes {
  const s = sizesFor(talk);
  if (!talk || !fitHeight) return s;
  // The height grows monotonically with k but not linearly (text stops at TEXT_MAX): bisect.
  let lo = FIT_MIN;
  let hi = FIT_MAX;
  if (heightWith(trace, rows, scaleSizes(s, hi), talk) <= fitHeight) return scaleSizes(s, hi);
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2;
    if (heightWith(trace, rows, scaleSizes(s, mid), talk) <= fitHeight) lo = mid;
    else hi = mid;
  }
  return scaleSizes(s, lo);
}

/** The height the timeline needs; the React wrapper reserves it before the first draw. */
export function timelineHeight(model: TimelineModel, talk: boolean, fitHeight?: number): number {
  const s = sizesToFit(model.trace, model, talk, fitHeight);
  return heightWith(model.trace, model, s, talk);
}

/**
 * The same height straight from a trace, without building the model: the
 * React wrapper reserves the space before the controller has drawn.
 */
export function traceTimelineHeight(trace: TraceData, talk: boolean, fitHeight?: number): number {
  const rows = laneRows(trace);
  return heightWith(trace, rows, sizesToFit(trace, rows, talk, fitHeight), talk);
}

export function computeLayout(
  model: TimelineModel,
  width: number,
  talk: boolean,
  fitHeight?: number,
): Layout {
  const s = sizesToFit(model.trace, model, talk, fitHeight);
  const lh = laneHeight(model, s, roleHeight(model.trace, s, talk));
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
    height: lanesY + model.trace.threads.length * lh + 4,
    plotX0: s.gutter,
    plotX1: w - 8,
    lanesY,
    lanes,
  };
}

/** Greedy word wrap into at most `maxLines` lines of `width` characters. */
export function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let cur = '';
  const words = text.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const next = cur ? `${cur} ${w}` : w;
    if (next.length <= width || !cur) {
      cur = next;
      continue;
    }
    if (lines.length === maxLines - 1) {
      lines.push(fitText(`${cur} ${words.slice(i).join(' ')}`, width));
      return lines;
    }
    lines.push(cur);
    cur = w;
  }
  if (cur) lines.push(fitText(cur, width));
  return lines.slice(0, maxLines);
}
