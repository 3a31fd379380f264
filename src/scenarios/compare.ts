/**
 * Two builds of one scenario (variants, or kernels) run under the same
 * interleaving of the story's rows, aligned row by row: the core of
 * `compare` in the CLI and of the app's side-by-side view. Pure: instances
 * in, traces and figures out; every figure comes from running the engine.
 *
 * A row is a stretch of A's schedule: one narration chapter while A follows
 * its canonical story, then (after a fork) one run of a single thread. B replays the same
 * rows, in the same order, with the same threads. Where B's own story has
 * the same rows (same threads in the same order: buggy and pinned, or one
 * variant on two kernels), B runs its own story, so each row ends where that
 * variant's author ended it. Otherwise each of B's thread runs stops where
 * A's did: at the op with the same label (or the same function and line),
 * reached as many times as A reached it, or when the thread blocks or ends.
 */
import {
  Machine,
  formatSchedule,
  runSchedule,
  traceRun,
  type Chapter,
  type ScenarioInstance,
  type TraceData,
} from '../engine';
import { stepSignature } from './compareSignature';
import { alignRows, type CompareLine, type CompareRow } from './compareLines';

export { alignRows, cursorsAt, type CompareLine, type CompareRow } from './compareLines';

/** One thread's run inside a row: A ran `thread` for `steps` steps and stopped before `stop`. */
interface Segment {
  thread: number;
  steps: number;
  /** The op A's thread stopped before (null: it finished), and how often it arrived there. */
  stop: string | null;
  arrivals: number;
}

export interface Divergence {
  line: number;
  reason: 'op' | 'effect' | 'padding';
  /** In words, e.g. "A runs … ; B runs …". */
  detail: string;
}

export interface OnlyLoss {
  side: 'a' | 'b';
  kind: string;
  message: string;
  /** 0-based step index on that side. */
  step: number;
  /** The aligned line of that step. */
  line: number;
}

export interface Comparison {
  a: TraceData;
  b: TraceData;
  /**
   * `story`: A runs its whole narrated story; `schedule`: A's own schedule, in
   * the story's rows up to where it leaves the story, then cut at thread switches.
   */
  rowsFrom: 'story' | 'schedule';
  /** How B's steps were chosen per row: its own story (same rows), or A's stopping points. */
  bFollows: 'own-story' | 'stops';
  rows: CompareRow[];
  lines: CompareLine[];
  divergence: Divergence | null;
  /** The first violation kind only A (resp. B) has, at its step. */
  onlyA: OnlyLoss | null;
  onlyB: OnlyLoss | null;
}

/** Per-thread-run cap while following A's stops, so a spinning thread cannot hang B. */
const SEGMENT_CAP = 5_000;

type Op = ScenarioInstance['threads'][number]['program'][number];

function opKey(op: Op | undefined): string | null {
  if (!op) return null;
  return op.label ?? `${op.fn}\u0000${op.text}`;
}

function opMatches(op: Op | undefined, key: string): boolean {
  if (!op) return false;
  return op.label === key || (op.alias ?? []).includes(key) || `${op.fn}\u0000${op.text}` === key;
}

/**
 * A's rows as [start, end) ranges with their texts: the story's chapters for
 * the first `storyUpTo` steps (those the schedule shares with the story),
 * then one row per thread run.
 */
function rowRanges(
  schedule: readonly number[],
  chapters: readonly Chapter[],
  storyUpTo: number,
): { text: string | null; start: number; end: number }[] {
  const cuts = new Map<number, string | null>();
  for (const c of chapters) if (c.start < storyUpTo) cuts.set(c.start, c.text);
  if (!cuts.has(0)) cuts.set(0, null);
  for (let i = storyUpTo; i < schedule.length; i++)
    if (i === storyUpTo || schedule[i] !== schedule[i - 1]) cuts.set(i, null);
  const starts = [...cuts.keys()].filter((s) => s < schedule.length).sort((x, y) => x - y);
  return starts.map((start, i) => ({
    text: cuts.get(start) ?? null,
    start,
    end: starts[i + 1] ?? schedule.length,
  }));
}

/** Splits [start, end) of A's run into thread runs, each with where its thread stopped. */
function segmentsOf(
  inst: ScenarioInstance,
  schedule: readonly number[],
  start: number,
  end: number,
  pcs: readonly (readonly number[])[],
): Segment[] {
  const out: Segment[] = [];
  for (let i = start; i < end;) {
    const t = schedule[i] as number;
    let j = i;
    let arrivals = 0;
    const program = inst.threads[t]?.program ?? [];
    const stopPc = (k: number) => pcs[k]?.[t] ?? program.length;
    while (j < end && schedule[j] === t) j++;
    const stop = opKey(program[stopPc(j)]);
    if (stop !== null)
      for (let k = i + 1; k <= j; k++) if (opMatches(program[stopPc(k)], stop)) arrivals++;
    out.push({ thread: t, steps: j - i, stop, arrivals });
    i = j;
  }
  return out;
}

/** The threads of each row, in order: two stories tell the same rows when these are equal. */
function rowPattern(schedule: readonly number[], chapters: readonly Chapter[]): string {
  return rowRanges(schedule, chapters, schedule.length)
    .map((r) => formatSchedule(schedule.slice(r.start, r.end)).replace(/\*\d+/g, ''))
    .join('|');
}

/** B's steps for A's rows, following A's stopping points. */
function followStops(inst: ScenarioInstance, rows: readonly Segment[][]): number[][] {
  const m = new Machine(inst);
  let s = m.initial();
  let n = 0;
  return rows.map((segments) => {
    const out: number[] = [];
    for (const seg of segments) {
      const program = inst.threads[seg.thread]?.program;
      if (!program) continue;
      let arrived = 0;
      for (let k = 0; k < SEGMENT_CAP; k++) {
        if (m.done(s, seg.thread) || m.blocked(s, seg.thread) !== null) break;
        s = m.step(s, seg.thread, n++).state;
        out.push(seg.thread);
        if (seg.stop !== null && opMatches(program[m.pc(s, seg.thread)], seg.stop))
          if (++arrived >= seg.arrivals) break;
      }
    }
    return out;
  });
}

/** The first aligned line where the two runs differ, and how. */
function firstDivergence(a: TraceData, b: TraceData, lines: CompareLine[]): Divergence | null {
  for (const [i, l] of lines.entries()) {
    if (l.a === null || l.b === null) {
      const side = l.a === null ? 'A' : 'B';
      const other = l.a === null ? stepSignature(b, l.b ?? 0) : stepSignature(a, l.a ?? 0);
      return {
        line: i,
        reason: 'padding',
        detail: `${side} has no step here: its row ends while ${side === 'A' ? 'B' : 'A'} runs ${other.op}`,
      };
    }
    const x = stepSignature(a, l.a);
    const y = stepSignature(b, l.b);
    if (x.op !== y.op) return { line: i, reason: 'op', detail: `A runs ${x.op} — B runs ${y.op}` };
    if (x.effect !== y.effect)
      return {
        line: i,
        reason: 'effect',
        detail: `${x.op} — A: ${x.effect || 'changes nothing shared'} — B: ${y.effect || 'changes nothing shared'}`,
      };
  }
  return null;
}

function onlyLoss(
  side: 'a' | 'b',
  mine: TraceData,
  other: TraceData,
  lines: CompareLine[],
): OnlyLoss | null {
  const theirs = new Set(other.violations.map((v) => v.kind));
  const v = mine.violations.filter((x) => !theirs.has(x.kind)).sort((x, y) => x.step - y.step)[0];
  if (!v) return null;
  const line = lines.findIndex((l) => l[side] === v.step);
  return { side, kind: v.kind, message: v.message, step: v.step, line };
}

/**
 * Runs A's `schedule` (completed: after it, the lowest-numbered runnable
 * thread runs until none can), cuts it into rows, runs B under the same rows
 * (then completed the same way; B's extra steps form a last row) and aligns
 * the two runs row by row.
 *
 * @example
 * const c = compareInstances(instantiate('aba', 'buggy'), instantiate('aba', 'pinned'));
 * c.onlyA?.kind; // 'lost-dirty-log'
 */
export function compareInstances(
  instA: ScenarioInstance,
  instB: ScenarioInstance,
  schedule: readonly number[] = instA.canonical,
): Comparison {
  const ranA = runSchedule(instA, schedule, { complete: true });
  const sa = ranA.schedule;
  // A fork keeps the story's rows up to the step where it leaves the story.
  let shared = 0;
  while (shared < sa.length && sa[shared] === instA.canonical[shared]) shared++;
  const story =
    instA.chapters.length > 0 && shared === sa.length && shared === instA.canonical.length;
  const mA = new Machine(instA);
  const pcs = ranA.states.map((st) => instA.threads.map((_, t) => mA.pc(st, t)));
  const ranges = rowRanges(sa, instA.chapters, instA.chapters.length > 0 ? shared : 0);
  const ownStory =
    story &&
    instB.chapters.length > 0 &&
    rowPattern(sa, instA.chapters) === rowPattern(instB.canonical, instB.chapters);
  const bRows: number[][] = ownStory
    ? rowRanges(instB.canonical, instB.chapters, instB.canonical.length).map((r) =>
        instB.canonical.slice(r.start, r.end),
      )
    : followStops(
        instB,
        ranges.map((r) => segmentsOf(instA, sa, r.start, r.end, pcs)),
      );
  const followed = bRows.flat();
  const ranB = runSchedule(instB, followed, { complete: true });
  const tail = ranB.schedule.slice(followed.length);
  const a = traceRun(instA, sa);
  const b = traceRun(instB, ranB.schedule);
  const rows: CompareRow[] = [];
  let bStart = 0;
  ranges.forEach((r, i) => {
    const len = bRows[i]?.length ?? 0;
    rows.push({ text: r.text, a: [r.start, r.end], b: [bStart, bStart + len] });
    bStart += len;
  });
  if (tail.length > 0)
    rows.push({
      text: 'B only: its threads left unfinished by the rows run to the end, lowest-numbered first.',
      a: [sa.length, sa.length],
      b: [bStart, bStart + tail.length],
    });
  const lines = alignRows(rows);
  return {
    a,
    b,
    rowsFrom: story ? 'story' : 'schedule',
    bFollows: ownStory ? 'own-story' : 'stops',
    rows,
    lines,
    divergence: firstDivergence(a, b, lines),
    onlyA: onlyLoss('a', a, b, lines),
    onlyB: onlyLoss('b', b, a, lines),
  };
}
