/**
 * The run as Chrome trace-event JSON, which ui.perfetto.dev opens: one
 * microsecond per step, a track per thread with its kernel-function runs
 * (parents) and ops (children) as `X` slices and its waits as slices of
 * their own, a track per (thread, lock) with the lock-held spans, the
 * violation and its causes as instants, and each violation's story as one
 * flow through its trail (v2 flows: `bind_id` with `flow_out`/`flow_in`).
 *
 * Constraints from Perfetto's JSON importer (docs/wave2-notes.md §3): no
 * `displayTimeUnit` (it changes how `ts` is read), integer microseconds,
 * ASCII strings only (its tokenizer rejected \u escapes), and X slices on
 * one track must nest, which is why locks get tracks of their own.
 */
import type { TraceData } from '../engine';
import { opLabel } from '../timeline/labels';
import { fnRuns, lockSpans, waitSpans, violationTitle } from '../timeline/spans';
import { shortRole } from '../timeline/violations';

export interface TraceEvent {
  ph: 'M' | 'X' | 'i';
  pid: number;
  tid?: number;
  ts?: number;
  dur?: number;
  name: string;
  cat?: string;
  s?: 't';
  args?: Record<string, string | number>;
  bind_id?: number;
  flow_in?: boolean;
  flow_out?: boolean;
}

export interface PerfettoTrace {
  traceEvents: TraceEvent[];
}

const PID = 1;
/** Lock tracks are numbered after the threads: LOCK_TID + thread * 100 + lock row. */
const LOCK_TID = 1000;

const ASCII: Record<string, string> = {
  '→': '->',
  '←': '<-',
  '–': '-',
  '—': '-',
  '…': '...',
  '≠': '!=',
  '≤': '<=',
  '≥': '>=',
  '×': 'x',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
};

/** Printable ASCII: known symbols spelled out, anything else a `?`. */
export function ascii(s: string): string {
  return s
    .replace(/[^\x20-\x7e]/g, (c) => ASCII[c] ?? (/\s/.test(c) ? ' ' : '?'))
    .replace(/ {2,}/g, ' ');
}

export function traceToPerfetto(trace: TraceData): PerfettoTrace {
  const ev: TraceEvent[] = [];
  const tid = (t: number) => t + 1;
  const name = (t: number) => trace.threads[t]?.name ?? `thread ${t}`;
  ev.push({
    ph: 'M',
    pid: PID,
    name: 'process_name',
    args: { name: ascii(`lockstep: ${trace.scenario}/${trace.variant} (kernel ${trace.kernel})`) },
  });
  trace.threads.forEach((th, t) => {
    ev.push({
      ph: 'M',
      pid: PID,
      tid: tid(t),
      name: 'thread_name',
      args: { name: ascii(th.name) },
    });
  });

  // Which op slice carries which flow: one bind_id per slice, so a step in
  // two violations' stories joins only the first one's flow.
  const bound = new Map<number, { id: number; role: 'out' | 'in' | 'step' }>();
  trace.violations.forEach((v, i) => {
    const steps = [...new Set([...v.trail.map((x) => x.step), v.step])]
      .filter((s) => !bound.has(s) && s < trace.steps.length)
      .sort((a, b) => a - b);
    if (steps.length < 2) return;
    steps.forEach((s, k) => {
      const role = k === 0 ? 'out' : k === steps.length - 1 ? 'in' : 'step';
      bound.set(s, { id: i + 1, role });
    });
  });

  const runs = fnRuns(trace);
  let r = 0;
  for (const step of trace.steps) {
    // A function run starts here: its parent slice goes first so that the ops nest in it.
    while (runs[r] && (runs[r]?.start ?? 0) <= step.step) {
      const run = runs[r++];
      if (run && run.start === step.step) {
        ev.push({
          ph: 'X',
          pid: PID,
          tid: tid(run.thread),
          ts: run.start,
          dur: run.end - run.start,
          name: ascii(run.fn || '(no function)'),
          cat: 'function',
        });
      }
    }
    const op = trace.threads[step.thread]?.ops[step.pc];
    const args: Record<string, string | number> = { step: step.step, pc: step.pc };
    if (op) Object.assign(args, { text: ascii(op.text), fn: ascii(op.fn), file: ascii(op.file) });
    if (step.outcome) args.outcome = ascii(step.outcome);
    const flow = bound.get(step.step);
    ev.push({
      ph: 'X',
      pid: PID,
      tid: tid(step.thread),
      ts: step.step,
      dur: 1,
      name: ascii(op ? opLabel(op.text, 60) : `pc ${step.pc}`),
      cat: op?.kind ?? 'op',
      args,
      ...(flow && {
        bind_id: flow.id,
        ...(flow.role !== 'in' && { flow_out: true }),
        ...(flow.role !== 'out' && { flow_in: true }),
      }),
    });
  }

  for (const w of waitSpans(trace)) {
    ev.push({
      ph: 'X',
      pid: PID,
      tid: tid(w.thread),
      ts: w.start,
      dur: w.end - w.start,
      name: ascii(w.label),
      cat: 'wait',
      args: { reason: ascii(w.reason), open: w.open ? 1 : 0 },
    });
  }

  const lockRow = new Map(trace.locks.map((l, i) => [l.name, i]));
  const lockTracks = new Set<number>();
  for (const l of lockSpans(trace)) {
    if (!lockRow.has(l.lock)) lockRow.set(l.lock, lockRow.size);
    const id = LOCK_TID + l.thread * 100 + (lockRow.get(l.lock) ?? 0);
    if (!lockTracks.has(id)) {
      lockTracks.add(id);
      ev.push({
        ph: 'M',
        pid: PID,
        tid: id,
        name: 'thread_name',
        args: { name: ascii(`${name(l.thread)} holds ${l.lock}`) },
      });
    }
    ev.push({
      ph: 'X',
      pid: PID,
      tid: id,
      ts: l.start,
      dur: l.end - l.start,
      name: ascii(`${l.lock} (${l.mode})`),
      cat: 'lock-held',
      args: { lock: ascii(l.lock), mode: l.mode, open: l.open ? 1 : 0 },
    });
  }

  for (const v of trace.violations) {
    const at = (s: number) => trace.steps[s]?.thread ?? 0;
    for (const t of v.trail.filter((x) => x.role !== 'violation' && x.step !== v.step)) {
      ev.push({
        ph: 'i',
        s: 't',
        pid: PID,
        tid: tid(at(t.step)),
        ts: t.step,
        name: ascii(`cause: ${shortRole(t.role)}`),
        cat: 'cause',
        args: { step: t.step, violation: v.step },
      });
    }
    ev.push({
      ph: 'i',
      s: 't',
      pid: PID,
      tid: tid(at(v.step)),
      ts: v.step,
      name: ascii(`VIOLATION ${violationTitle(v)}`),
      cat: 'violation',
      args: { kind: v.kind, message: ascii(v.message), step: v.step },
    });
  }
  return { traceEvents: ev };
}
