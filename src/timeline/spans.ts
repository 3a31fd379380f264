/**
 * What the timeline draws, derived from a trace: pure functions, no DOM.
 *
 * Positions are in step slots: step i occupies [i, i + 1). A span [start, end)
 * covers the slots start .. end - 1, so a lock taken at step a and released at
 * step r spans [a, r + 1) and includes both the lock and the unlock marks.
 */
import type { LockMode, OpKind, TraceData } from '../engine';
import {
  categoryOf,
  opLabel,
  shortReason,
  stepName,
  vcpuOwner,
  waitLabel,
  type MarkCategory,
} from './labels';
import { violationMarks, type ViolationMark } from './violations';

// The violation markers are part of "what to draw"; they live in their own file for size.
export { violationMarks, violationTitle, type CauseArrow, type ViolationMark } from './violations';

export interface Mark {
  step: number;
  thread: number;
  kind: OpKind;
  category: MarkCategory;
  /** Short op text for the mark. */
  label: string;
}

export interface LockSpan {
  thread: number;
  lock: string;
  mode: LockMode;
  start: number;
  end: number;
  /** Still held at the end of the trace. */
  open: boolean;
}

export interface WaitSpan {
  thread: number;
  start: number;
  end: number;
  open: boolean;
  kind: string;
  /** What is awaited, in a few words. */
  label: string;
  /** The engine's one-line reason at the start of the wait. */
  reason: string;
}

export interface SrcuSection {
  thread: number;
  domain: string;
  start: number;
  end: number;
  open: boolean;
}

export interface GracePeriod extends SrcuSection {
  /** Threads whose read-side sections the grace period waits for. */
  readers: number[];
}

/** A consecutive run of steps of one thread inside one kernel function. */
export interface FnRun {
  thread: number;
  fn: string;
  start: number;
  end: number;
}

/**
 * The end of the step axis. One slot longer than the trace when a thread is
 * still blocked after the last step (a deadlock, or a run stopped early), so
 * that the final wait has somewhere to be drawn.
 */
export function traceExtent(trace: TraceData): number {
  const n = trace.steps.length;
  const last = trace.status[n] ?? [];
  return last.some((s) => !s.runnable && !s.done) ? n + 1 : n;
}

export function deriveMarks(trace: TraceData): Mark[] {
  // Labels are per op, not per step: a loop runs the same op many times.
  const cache = new Map<string, string>();
  return trace.steps.map((ev) => {
    const op = trace.threads[ev.thread]?.ops[ev.pc];
    const key = `${ev.thread}:${ev.pc}`;
    let label = cache.get(key);
    if (label === undefined) {
      label = op ? opLabel(op.text) : `pc ${ev.pc}`;
      cache.set(key, label);
    }
    const kind = op?.kind ?? 'nop';
    return { step: ev.step, thread: ev.thread, kind, category: categoryOf(kind), label };
  });
}

/** The tooltip of a step: op text, kernel function and file, outcome. */
export function stepTitle(trace: TraceData, step: number): string {
  const ev = trace.steps[step];
  if (!ev) return stepName(step);
  const th = trace.threads[ev.thread];
  const op = th?.ops[ev.pc];
  const lines = [`${stepName(step)} · ${th?.name ?? `thread ${ev.thread}`} · ${op?.kind ?? '?'}`];
  if (op) lines.push(op.text, `${op.fn} (${op.file})`);
  if (ev.outcome) lines.push(`→ ${ev.outcome}`);
  if (op?.note) lines.push(op.note);
  return lines.join('\n');
}

/** Lock-held spans per thread and lock; nested acquisitions count as one span. */
export function lockSpans(trace: TraceData): LockSpan[] {
  const end = traceExtent(trace);
  const open = new Map<string, { span: LockSpan; depth: number }>();
  const out: LockSpan[] = [];
  for (const ev of trace.steps) {
    const s = ev.sync;
    if (s?.kind !== 'acquire' && s?.kind !== 'release') continue;
    const key = `${ev.thread}\u0000${s.lock}`;
    const cur = open.get(key);
    if (s.kind === 'acquire') {
      if (cur) cur.depth++;
      else {
        const span = {
          thread: ev.thread,
          lock: s.lock,
          mode: s.mode,
          start: ev.step,
          end,
          open: true,
        };
        open.set(key, { span, depth: 1 });
      }
    } else if (cur && --cur.depth === 0) {
      open.delete(key);
      out.push({ ...cur.span, end: ev.step + 1, open: false });
    }
  }
  out.push(...[...open.values()].map((o) => o.span));
  return out.sort((a, b) => a.start - b.start || a.thread - b.thread);
}

/**
 * Maximal runs of steps during which a thread could not run (and had not
 * finished): status[i][t] describes thread t before step i, i.e. during slot i.
 */
export function waitSpans(trace: TraceData): WaitSpan[] {
  const extent = traceExtent(trace);
  const names = trace.threads.map((t) => t.name);
  const out: WaitSpan[] = [];
  trace.threads.forEach((_, t) => {
    let cur: WaitSpan | null = null;
    for (let i = 0; i < trace.status.length && i < extent; i++) {
      const st = trace.status[i]?.[t];
      const blocked = st !== undefined && !st.runnable && !st.done;
      if (blocked && !cur) {
        cur = {
          thread: t,
          start: i,
          end: i + 1,
          open: false,
          kind: st.block?.kind ?? 'unknown',
          label: waitLabel(st.block, names, (v) => vcpuOwner(trace.threads, v)),
          reason: shortReason(st.reason ?? 'cannot run'),
        };
        out.push(cur);
      } else if (blocked && cur) cur.end = i + 1;
      else cur = null;
    }
    if (cur && cur.end >= extent) cur.open = true;
  });
  return out.sort((a, b) => a.start - b.start || a.thread - b.thread);
}

/** SRCU read-side sections and synchronize_srcu grace periods. */
export function srcuSpans(trace: TraceData): { sections: SrcuSection[]; grace: GracePeriod[] } {
  const end = traceExtent(trace);
  const readers = new Map<string, SrcuSection[]>();
  const waiting = new Map<string, GracePeriod>();
  const sections: SrcuSection[] = [];
  const grace: GracePeriod[] = [];
  for (const ev of trace.steps) {
    const s = ev.sync;
    if (!s || !('domain' in s)) continue;
    const key = `${ev.thread}\u0000${s.domain}`;
    const base = { thread: ev.thread, domain: s.domain, start: ev.step, end, open: true };
    if (s.kind === 'srcu-read-lock') {
      // srcu_read_lock nests; each unlock closes the innermost section.
      const stack = readers.get(key) ?? [];
      stack.push(base);
      readers.set(key, stack);
      sections.push(base);
    } else if (s.kind === 'srcu-read-unlock') {
      const sec = readers.get(key)?.pop();
      if (sec) Object.assign(sec, { end: ev.step + 1, open: false });
    } else if (s.kind === 'gp-start') {
      const gp = { ...base, readers: [...s.readers] };
      waiting.set(key, gp);
      grace.push(gp);
    } else {
      const gp = waiting.get(key);
      if (gp) Object.assign(gp, { end: ev.step + 1, open: false });
      waiting.delete(key);
    }
  }
  return { sections, grace };
}

/** Runs of consecutive steps of the same thread in the same kernel function. */
export function fnRuns(trace: TraceData): FnRun[] {
  const out: FnRun[] = [];
  let cur: FnRun | null = null;
  for (const ev of trace.steps) {
    const fn = trace.threads[ev.thread]?.ops[ev.pc]?.fn ?? '';
    if (cur && cur.thread === ev.thread && cur.fn === fn && cur.end === ev.step) cur.end++;
    else {
      cur = { thread: ev.thread, fn, start: ev.step, end: ev.step + 1 };
      out.push(cur);
    }
  }
  return out;
}

/** Everything the renderer needs, computed once per trace. */
export interface TimelineModel {
  trace: TraceData;
  extent: number;
  marks: Mark[];
  locks: LockSpan[];
  waits: WaitSpan[];
  sections: SrcuSection[];
  grace: GracePeriod[];
  runs: FnRun[];
  violations: ViolationMark[];
  /** Locks that appear in the trace, in declaration order: one band row each. */
  lockRows: string[];
  hasSrcu: boolean;
}

/**
 * The rows each lane needs: a band row per lock the trace takes (declared
 * order first) and an SRCU row if any SRCU event occurs. Shared with the
 * height estimate of the React wrapper, so both agree before the first draw.
 */
export function laneRows(trace: TraceData): { lockRows: string[]; hasSrcu: boolean } {
  const used = new Set<string>();
  let hasSrcu = false;
  for (const ev of trace.steps) {
    const s = ev.sync;
    if (s?.kind === 'acquire' || s?.kind === 'release') used.add(s.lock);
    else if (s && 'domain' in s) hasSrcu = true;
  }
  const declared = trace.locks.map((l) => l.name).filter((l) => used.has(l));
  return { lockRows: [...new Set([...declared, ...used])], hasSrcu };
}

export function buildModel(trace: TraceData): TimelineModel {
  const { sections, grace } = srcuSpans(trace);
  return {
    trace,
    extent: traceExtent(trace),
    marks: deriveMarks(trace),
    locks: lockSpans(trace),
    waits: waitSpans(trace),
    sections,
    grace,
    runs: fnRuns(trace),
    violations: violationMarks(trace),
    ...laneRows(trace),
  };
}
