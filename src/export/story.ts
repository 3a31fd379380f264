/**
 * The run as locking.rst tells a race: the state at the beginning, rows of
 * what each CPU executed, and what went wrong. Pure: a trace in, plain data
 * out; rst.ts and text.ts only lay it out.
 */
import { formatSpte } from '../engine/spte';
import type { TraceData } from '../engine';

export interface StoryRow {
  /** The thread whose column holds the code (one thread per row). */
  thread: number;
  /** First step of the row and one past its last. */
  start: number;
  end: number;
  /** The narration that starts here, if any. */
  narration?: string;
  /** Pseudo-C, one entry per executed step, comments kept. */
  lines: string[];
}

export interface Story {
  title: string;
  columns: string[];
  initial: string[];
  rows: StoryRow[];
  /** One paragraph per violation, e.g. `lost-dirty-log at step 67: ...`. */
  outcome: string[];
}

/** The marker locking.rst writes under the step where the race bites. */
export const OOPS = 'OOPS!!!';

/** Op text as one line per source line, without trailing blanks; tabs would break a grid table. */
function codeLines(text: string): string[] {
  return text
    .replace(/\t/g, '    ')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
}

/**
 * Rows: maximal runs of one thread, also cut where a narration chapter
 * starts so that each chapter's text heads its own row. A run is never
 * merged across another thread's step, so reading the rows top to bottom
 * is the schedule's order.
 */
export function storyRows(trace: TraceData): StoryRow[] {
  const chapters = new Map(trace.chapters.map((c) => [c.start, c.text]));
  const violations = new Set(trace.violations.map((v) => v.step));
  const rows: StoryRow[] = [];
  let cur: StoryRow | undefined;
  for (const ev of trace.steps) {
    const narration = chapters.get(ev.step);
    if (!cur || cur.thread !== ev.thread || narration !== undefined) {
      cur = { thread: ev.thread, start: ev.step, end: ev.step, lines: [] };
      if (narration !== undefined) cur.narration = narration;
      rows.push(cur);
    }
    const op = trace.threads[ev.thread]?.ops[ev.pc];
    cur.lines.push(...codeLines(op?.text ?? `pc ${ev.pc}`));
    if (violations.has(ev.step)) cur.lines.push(`    ${OOPS}`);
    cur.end = ev.step + 1;
  }
  return rows;
}

/** The state before the first step, in the words locking.rst uses ("gfn1 is mapped to pfn1 on host"). */
export function initialState(trace: TraceData): string[] {
  const at = (array: string, index: number): number | undefined => {
    const i = trace.locations.findIndex((l) => l.array === array && l.index === index);
    return i < 0 ? undefined : trace.initial[i];
  };
  const gfn = (g: number) => trace.machine.gfnNames[g] ?? `gfn${g}`;
  const out: string[] = [];
  for (const l of trace.locations) {
    if (l.array === 'gpte') out.push(`${l.name} = ${gfn(at('gpte', l.index) ?? 0)}`);
  }
  trace.machine.gfnNames.forEach((name, g) => {
    const pfn = at('hostmap', g) ?? 0;
    out.push(pfn ? `${name} is mapped to pfn${pfn} on host` : `${name} is not resident`);
  });
  trace.machine.slots.forEach((s, i) => {
    out.push(`spte[${s.name}] = ${formatSpte(at('spte', i) ?? 0)}`);
  });
  if (at('dirty_logging', 0)) out.push('dirty logging is on');
  for (const v of trace.machine.vars) out.push(`${v} = ${at(v, 0) ?? 0}`);
  return out;
}

export function outcomeLines(trace: TraceData): string[] {
  if (trace.violations.length === 0) {
    return [trace.final ? 'No violation: every thread finished.' : 'No violation so far.'];
  }
  return trace.violations.map((v) => `${v.kind} at step ${v.step}: ${v.message}`);
}

export function buildStory(trace: TraceData): Story {
  return {
    title: `${trace.scenario} / ${trace.variant} (kernel ${trace.kernel}), schedule ${trace.schedule}`,
    columns: trace.threads.map((t, i) => `CPU ${i} (${t.name}):`),
    initial: initialState(trace),
    rows: storyRows(trace),
    outcome: outcomeLines(trace),
  };
}

/** Greedy word wrap to `width` columns; a word longer than the width is cut. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (w.length > width) {
      if (cur) lines.push(cur);
      cur = '';
      lines.push(w.slice(0, width));
      w = w.slice(width);
    }
    if (!w) continue;
    if (!cur) cur = w;
    else if (cur.length + 1 + w.length <= width) cur += ` ${w}`;
    else {
      lines.push(cur);
      cur = w;
    }
  }
  if (cur) lines.push(cur);
  return lines;
}

/**
 * A code line broken to `width` columns at spaces where possible, with the
 * continuation indented two more than the line, as a C programmer would.
 */
export function wrapCode(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = ' '.repeat(Math.min(line.length - line.trimStart().length + 2, width >> 1));
  const out: string[] = [];
  let rest = line;
  let first = true;
  while (rest.length > 0) {
    const room = first ? width : width - indent.length;
    const text = first ? rest : rest.trimStart();
    if (text.length <= room) {
      out.push(first ? text : indent + text);
      break;
    }
    const cut = breakAt(text, room);
    out.push((first ? '' : indent) + text.slice(0, cut).trimEnd());
    rest = text.slice(cut);
    first = false;
  }
  return out;
}

/**
 * Where to break `text` to fit `room` columns: the last space, else just
 * after the last `(` or `,` (a call's arguments), else a hard cut.
 */
function breakAt(text: string, room: number): number {
  const lead = text.length - text.trimStart().length;
  const space = text.lastIndexOf(' ', room);
  if (space > lead) return space;
  for (let i = room - 1; i > lead; i--) if ('(,'.includes(text[i] ?? '')) return i + 1;
  return room;
}
