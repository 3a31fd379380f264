import type { LockDef, OpKind, ScenarioInstance } from './model';
import type { BlockReason, StepEvent } from './events';
import type { Chapter } from './plan';
import { Machine, describeBlock } from './machine';
import { runSchedule, type RunOptions, type Violation } from './run';
import { formatSchedule } from './schedule';
import { declaredOrder, lockInfo, type KernelVersion, type LockInfo } from './lockTable';
import { finalConditions } from './checks';
import { preemptionsOf, removablePreemptions } from './preemptions';

/**
 * Everything a viewer needs to replay a run, as plain JSON: the programs,
 * the memory's names, the initial memory, every step's event, and before
 * every step which threads could run (and why not). A viewer reconstructs
 * the memory at any step by applying the recorded writes; it never runs
 * an op.
 */
export interface TraceData {
  scenario: string;
  variant: string;
  /** The kernel version the programs and lock rules follow. */
  kernel: KernelVersion;
  /** locking.rst's acquisition order for that kernel, as [outer, inner] edges. */
  declaredOrder: [string, string][];
  /** The schedule run, in text form. */
  schedule: string;
  threads: TraceThread[];
  /** The scenario's locks, each with its reference entry (type, arch, what it protects). */
  locks: (LockDef & { info?: LockInfo })[];
  srcu: string[];
  /** Memory layout: name, array and index of each flat memory index. */
  locations: TraceLocation[];
  /** Memory before the first step. */
  initial: number[];
  steps: StepEvent[];
  /** status[i][t]: thread t before step i (status has steps.length + 1 entries). */
  status: ThreadStatus[][];
  /** Every thread finished, or none could run. */
  final: boolean;
  violations: Violation[];
  /** The run's preemptions (switches away from a thread that could still run). */
  preemptions: TracePreemption[];
  /** Narration of the canonical schedule, when this run follows it. */
  chapters: Chapter[];
  machine: {
    gfnNames: string[];
    pfns: number;
    slots: { name: string; gfn: number }[];
    vcpus: number;
    indirect: boolean;
    /** Scenario-specific shared variables (e.g. mn_active_invalidate_count). */
    vars: string[];
    /** Entries per vCPU dirty ring; absent without KVM_CAP_DIRTY_LOG_RING. */
    dirtyRingSize?: number;
    /** D-bit dirty logging (PML). */
    pml?: boolean;
  };
}

export interface TracePreemption {
  /** 0-based index of the first step `to` runs; `from` is preempted just before it. */
  step: number;
  from: number;
  to: number;
  /**
   * Removing this preemption (letting `from` run on) loses the run's
   * final-state violation; null when the run ends in none, or is too long
   * and switch-heavy to check every preemption by replay.
   */
  required: boolean | null;
}

/**
 * Each check replays the whole run, so the checks cost about preemptions ×
 * steps engine steps; past this many (a fraction of a second) a long,
 * switch-heavy run is drawn without the verdicts rather than slowly.
 */
const CHECK_STEPS = 200_000;

function tracePreemptions(
  inst: ScenarioInstance,
  m: Machine,
  schedule: readonly number[],
  last: Int32Array | undefined,
  final: boolean,
): TracePreemption[] {
  const all = preemptionsOf(m, schedule);
  // Only a complete run has a final state whose violation a removal could lose.
  const kind = final && last ? finalConditions(m, last)[0]?.kind : undefined;
  if (kind === undefined || all.length * schedule.length > CHECK_STEPS)
    return all.map((p) => ({ ...p, required: null }));
  const removable = new Set(removablePreemptions(inst, schedule, kind).map((p) => p.step));
  return all.map((p) => ({ ...p, required: !removable.has(p.step) }));
}

export interface TraceThread {
  name: string;
  role: string;
  vcpu?: number;
  ops: { kind: OpKind; text: string; fn: string; file: string; note?: string; label?: string }[];
  /** Register names, in the order of `TraceStep.regs` values. */
  regs: string[];
}

export interface TraceLocation {
  name: string;
  array: string;
  index: number;
  ghost: boolean;
}

export interface ThreadStatus {
  pc: number;
  runnable: boolean;
  done: boolean;
  /** Why it cannot run, in one line. */
  reason?: string;
  block?: BlockReason;
}

/** Runs `schedule` and packages the run for a viewer. Throws as runSchedule does. */
export function traceRun(
  inst: ScenarioInstance,
  schedule: readonly number[],
  options: RunOptions = {},
): TraceData {
  const r = runSchedule(inst, schedule, options);
  const m = new Machine(inst);
  const status = r.states.map((s) =>
    m.threads.map((_, t): ThreadStatus => {
      const block = m.blocked(s, t);
      const st: ThreadStatus = { pc: m.pc(s, t), runnable: block === null, done: m.done(s, t) };
      if (block) {
        st.block = block;
        if (block.kind !== 'done') st.reason = describeBlock(m, t, block);
      }
      return st;
    }),
  );
  const follows =
    r.schedule.length <= inst.canonical.length &&
    r.schedule.every((t, i) => inst.canonical[i] === t);
  return {
    scenario: inst.scenario,
    variant: inst.variant,
    kernel: inst.kernel ?? '6.12',
    declaredOrder: declaredOrder(inst.kernel ?? '6.12'),
    schedule: formatSchedule(r.schedule),
    threads: inst.threads.map((th, t) => ({
      name: th.name,
      role: th.role,
      ...(th.vcpu !== undefined && { vcpu: th.vcpu }),
      ops: th.program.map((op) => ({
        kind: op.k,
        text: op.text,
        fn: op.fn,
        file: op.file,
        ...(op.note !== undefined && { note: op.note }),
        ...(op.label !== undefined && { label: op.label }),
      })),
      regs: m.threads[t]?.regs ?? [],
    })),
    locks: inst.machine.locks.map((l) => {
      const info = lockInfo(l.name, inst.kernel ?? '6.12');
      return info ? { ...l, info } : l;
    }),
    srcu: inst.machine.srcu,
    locations: Array.from({ length: m.layout.size }, (_, i) => {
      const { array, index } = m.layout.locate(i);
      return { name: m.layout.name(i), array, index, ghost: m.layout.isGhost(i) };
    }),
    initial: Array.from(r.states[0]?.subarray(0, m.shape.memSize) ?? []),
    steps: r.events,
    status,
    final: r.final,
    violations: r.violations,
    preemptions: tracePreemptions(inst, m, r.schedule, r.states[r.states.length - 1], r.final),
    chapters: follows ? inst.chapters : [],
    machine: {
      gfnNames: inst.machine.gfnNames,
      pfns: inst.machine.pfns,
      slots: inst.machine.slots.map((s) => ({ name: s.name, gfn: s.gfn })),
      vcpus: inst.machine.vcpus,
      indirect: inst.machine.indirect,
      vars: Object.keys(inst.machine.vars ?? {}),
      ...(inst.machine.dirtyRing && { dirtyRingSize: inst.machine.dirtyRing.size }),
      ...(inst.machine.pml && { pml: true }),
    },
  };
}
