/**
 * Small literal traces for the timeline's unit tests: a list of steps becomes
 * a complete TraceData, so each test states only what it is about.
 */
import type {
  BlockReason,
  OpKind,
  StepEvent,
  SyncEvent,
  TraceData,
  TracePreemption,
  Violation,
} from '../engine';

export interface StepSpec {
  t: number;
  kind?: OpKind;
  text?: string;
  fn?: string;
  sync?: SyncEvent;
  outcome?: string;
}

/** A thread that cannot run over the status indices [from, to]. */
export interface BlockSpec {
  t: number;
  from: number;
  to: number;
  block: BlockReason;
}

/**
 * A trace from a list of steps: each step gets its own op in its thread's
 * program, every thread is runnable unless `blocked` says otherwise, and a
 * thread is done after its last step when `final` is set.
 */
export function mkTrace(
  names: string[],
  specs: StepSpec[],
  opts: {
    blocked?: BlockSpec[];
    violations?: Violation[];
    final?: boolean;
    preemptions?: TracePreemption[];
  } = {},
): TraceData {
  const threads = names.map((name) => ({
    name,
    role: `${name}'s role`,
    ops: [] as TraceData['threads'][number]['ops'],
    regs: [],
  }));
  const steps: StepEvent[] = specs.map((s, i) => {
    const th = threads[s.t];
    if (!th) throw new Error(`step ${i}: no thread ${s.t}`);
    const pc = th.ops.length;
    th.ops.push({
      kind: s.kind ?? 'nop',
      text: s.text ?? `op${i};`,
      fn: s.fn ?? 'fn',
      file: 'f.c',
    });
    const ev: StepEvent = { step: i, thread: s.t, pc, next: pc + 1, accesses: [], regs: [] };
    if (s.sync) ev.sync = s.sync;
    if (s.outcome) ev.outcome = s.outcome;
    return ev;
  });
  const lastStep = names.map((_, t) => specs.map((s) => s.t).lastIndexOf(t));
  const status = Array.from({ length: specs.length + 1 }, (_, i) =>
    names.map((_, t) => {
      const b = opts.blocked?.find((x) => x.t === t && x.from <= i && i <= x.to);
      const done = opts.final === true && i > (lastStep[t] ?? -1);
      if (b)
        return {
          pc: 0,
          runnable: false,
          done: false,
          reason: `${names[t]} cannot run: ${b.block.kind}`,
          block: b.block,
        };
      return done
        ? { pc: 0, runnable: false, done: true, block: { kind: 'done' as const } }
        : { pc: 0, runnable: true, done: false };
    }),
  );
  return {
    scenario: 's',
    variant: 'v',
    kernel: '6.12',
    declaredOrder: [],
    schedule: specs.map((s) => s.t).join('.'),
    threads,
    locks: [{ name: 'mmu_lock', type: 'rwlock' }],
    srcu: [],
    locations: [],
    initial: [],
    steps,
    status,
    final: opts.final ?? false,
    violations: opts.violations ?? [],
    preemptions: opts.preemptions ?? [],
    chapters: [],
    machine: { gfnNames: [], pfns: 0, slots: [], vcpus: 0, indirect: false, vars: [] },
  };
}

export const acq = (lock: string, mode: 'read' | 'write' | 'excl' = 'write'): SyncEvent => ({
  kind: 'acquire',
  lock,
  mode,
});
export const rel = (lock: string, mode: 'read' | 'write' | 'excl' = 'write'): SyncEvent => ({
  kind: 'release',
  lock,
  mode,
});
