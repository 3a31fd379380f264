import type { CheckKind, Schedule, ScenarioInstance } from './model';
import { Machine } from './machine';
import { finalConditions } from './checks';

/**
 * A preemption: at `step` the schedule switches from `from` to `to` although
 * `from` could still have run. Switches away from a thread that has finished
 * or is blocked are free and are not preemptions (CHESS's definition).
 */
export interface Preemption {
  /** The 0-based index, in the schedule, of the first step `to` takes. */
  step: number;
  from: number;
  to: number;
}

/** The preemptions of a schedule, replayed on `m` (the schedule must be valid). */
export function preemptionsOf(m: Machine, schedule: Schedule): Preemption[] {
  const out: Preemption[] = [];
  let s = m.initial();
  let last = -1;
  schedule.forEach((t, i) => {
    if (last >= 0 && t !== last && m.blocked(s, last) === null)
      out.push({ step: i, from: last, to: t });
    s = m.stepQuiet(s, t);
    last = t;
  });
  return out;
}

/** A run of one thread: `count` steps, or until it blocks or finishes (Infinity). */
interface Segment {
  thread: number;
  count: number;
}

function segmentsOf(schedule: Schedule): Segment[] {
  const out: Segment[] = [];
  for (const t of schedule) {
    const lastSeg = out[out.length - 1];
    if (lastSeg && lastSeg.thread === t) lastSeg.count++;
    else out.push({ thread: t, count: 1 });
  }
  return out;
}

export interface Realized {
  schedule: number[];
  /** Kinds the final state violates (data checks and deadlock), empty when none. */
  kinds: CheckKind[];
}

/**
 * Replays segments as a preference: each runs its thread for its count, or
 * less if the thread blocks or finishes first (then the next segment takes
 * over). After the last segment the run completes without preempting: the
 * thread that ran last goes on while it can, then the lowest-numbered
 * runnable thread, until every thread is done or none can run.
 */
function realize(m: Machine, segments: readonly Segment[], maxSteps: number): Realized | null {
  let s = m.initial();
  const ran: number[] = [];
  const take = (t: number): boolean => {
    if (ran.length >= maxSteps) return false;
    s = m.stepQuiet(s, t);
    ran.push(t);
    return true;
  };
  let last = -1;
  for (const seg of segments) {
    for (let i = 0; i < seg.count && m.blocked(s, seg.thread) === null; i++) {
      if (!take(seg.thread)) return null;
      last = seg.thread;
    }
  }
  for (;;) {
    const next = last >= 0 && m.blocked(s, last) === null ? last : m.runnable(s)[0];
    if (next === undefined) break;
    if (!take(next)) return null;
    last = next;
  }
  return { schedule: ran, kinds: [...new Set(finalConditions(m, s).map((c) => c.kind))] };
}

export interface Minimized {
  /** The minimised schedule, complete: it ends where every thread is done or none can run. */
  schedule: number[];
  /** Its preemptions, each load-bearing: removing any one loses the violation. */
  preemptions: Preemption[];
  /** Preemptions of the schedule it started from. */
  originalPreemptions: number;
  /** The violation kind kept throughout. */
  kind: CheckKind;
  /** Replays it took. */
  replays: number;
}

/**
 * Removes preemptions from a counterexample while it still ends in a
 * violation of the same kind, one at a time, until none can go (a fixed
 * point). Removing a preemption lets the preempted thread run on until it
 * blocks or finishes; the rest of the schedule is then followed as a
 * preference order (see realize). The result is 1-minimal by construction:
 * the last pass tried removing each remaining preemption and every attempt
 * lost the violation.
 *
 * Returns null when the schedule itself ends in no violation (of `kind`, if given).
 *
 * @example
 * const min = minimizeCounterexample(instance, result.counterexample!);
 * min?.preemptions; // e.g. [{ step: 4, from: 0, to: 1 }, { step: 21, from: 1, to: 0 }]
 */
export function minimizeCounterexample(
  instance: ScenarioInstance,
  schedule: Schedule,
  kind?: CheckKind,
): Minimized | null {
  const m = new Machine(instance);
  const maxSteps = Math.max(1000, schedule.length * 4);
  let replays = 1;
  const start = realize(m, segmentsOf(schedule), maxSteps);
  const target = kind ?? start?.kinds[0];
  if (!start || target === undefined || !start.kinds.includes(target)) return null;
  let current = start.schedule;
  const originalPreemptions = preemptionsOf(m, current).length;
  for (let changed = true; changed;) {
    changed = false;
    const segs = segmentsOf(current);
    const ps = preemptionBoundaries(m, current, segs);
    // Later preemptions first: removing one never changes the steps before it.
    for (let j = ps.length - 1; j >= 0; j--) {
      const at = ps[j] as number;
      const candidate = segs.map((seg, i) => (i === at ? { ...seg, count: Infinity } : seg));
      replays++;
      const r = realize(m, candidate, maxSteps);
      if (r && r.kinds.includes(target) && preemptionsOf(m, r.schedule).length < ps.length) {
        current = r.schedule;
        changed = true;
        break;
      }
    }
  }
  return {
    schedule: current,
    preemptions: preemptionsOf(m, current),
    originalPreemptions,
    kind: target,
    replays,
  };
}

/** Indices of the segments that end in a preemption (their thread could still run). */
function preemptionBoundaries(m: Machine, schedule: Schedule, segs: readonly Segment[]): number[] {
  const at = new Set(preemptionsOf(m, schedule).map((p) => p.step));
  const out: number[] = [];
  let pos = 0;
  segs.forEach((seg, i) => {
    pos += seg.count;
    if (at.has(pos)) out.push(i);
  });
  return out;
}

/**
 * Checks the 1-minimality claim independently of the minimiser: for each
 * preemption of `schedule`, removing it (the preempted thread runs on, the
 * rest is a preference order) must lose the violation of `kind`.
 * Returns the preemptions whose removal keeps the violation (empty: 1-minimal).
 */
export function removablePreemptions(
  instance: ScenarioInstance,
  schedule: Schedule,
  kind: CheckKind,
): Preemption[] {
  const m = new Machine(instance);
  const segs = segmentsOf(schedule);
  const all = preemptionsOf(m, schedule);
  const bounds = preemptionBoundaries(m, schedule, segs);
  const out: Preemption[] = [];
  bounds.forEach((at, j) => {
    const candidate = segs.map((seg, i) => (i === at ? { ...seg, count: Infinity } : seg));
    const r = realize(m, candidate, Math.max(1000, schedule.length * 4));
    if (r && r.kinds.includes(kind)) out.push(all[j] as Preemption);
  });
  return out;
}
