import type { CheckKind, Schedule, ScenarioInstance } from './model';
import type { StepEvent } from './events';
import { Machine } from './machine';
import { dataConditions, deadlockCondition, type Condition } from './checks';
import { findHazards, type Hazard } from './hazards';
import { RunawayError } from './errors';
import { lockRuleViolations } from './lockdep';
import { SPTE } from './spte';

export interface Violation {
  kind: CheckKind;
  /** The step from which the condition held until the end of the run. */
  step: number;
  message: string;
  /** Earlier steps that caused it: for a stale read, the read and the op that acted on it. */
  causes: number[];
  /** Other threads' writes inside the stale window. */
  racing: number[];
  gfn?: number;
  pfn?: number;
  cycle?: string[];
  /** The steps that tell how it happened, in order, each with its part in the story. */
  trail: { step: number; role: TrailRole }[];
}

export type TrailRole =
  | 'lock taken'
  | 'writable TLB entry cached'
  | 'MMU-writable cleared'
  | 'stale read'
  | 'cmpxchg succeeds on a stale value'
  | 'plain store over a newer value'
  | 'racing write'
  | 'violation';

export interface RunResult {
  /** The schedule run, completed to the end if the caller asked for it. */
  schedule: number[];
  events: StepEvent[];
  /** states[i] is the state before step i; states[events.length] is the final state. */
  states: Int32Array[];
  violations: Violation[];
  hazards: Hazard[];
  /** True when every thread finished or none could run. */
  final: boolean;
}

export interface RunOptions {
  /** After the schedule, keep running the lowest-numbered runnable thread until the end. */
  complete?: boolean;
  /** Step budget; a longer run throws RunawayError. */
  maxSteps?: number;
}

export const DEFAULT_MAX_STEPS = 20_000;

/**
 * Replays a schedule. The same instance and schedule always produce the same
 * trace. Throws ScheduleError when the schedule picks a thread that cannot
 * run, naming the step, the thread and what it waits for.
 *
 * @example
 * const r = runSchedule(instance, instance.canonical, { complete: true });
 * r.violations; // e.g. [{ kind: 'lost-dirty-log', step: 51, gfn: 2, ... }]
 */
export function runSchedule(
  instance: ScenarioInstance,
  schedule: Schedule,
  options: RunOptions = {},
): RunResult {
  const m = new Machine(instance);
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  let s = m.initial();
  const states: Int32Array[] = [s];
  const events: StepEvent[] = [];
  const ran: number[] = [];
  const since = new Map<string, number>();

  const take = (t: number) => {
    if (events.length >= maxSteps)
      throw new RunawayError(
        `the run exceeded ${maxSteps} steps: a program loops without making progress`,
      );
    const { state, event } = m.step(s, t, events.length);
    s = state;
    events.push(event);
    states.push(s);
    ran.push(t);
    const now = new Set(dataConditions(m, s).map((c) => c.key));
    for (const key of since.keys()) if (!now.has(key)) since.delete(key);
    for (const key of now) if (!since.has(key)) since.set(key, event.step);
  };

  for (const t of schedule) take(t);
  if (options.complete) {
    for (;;) {
      const next = m.runnable(s)[0];
      if (next === undefined) break;
      take(next);
    }
  }
  const final = m.allDone(s) || m.runnable(s).length === 0;
  const hazards = findHazards(events);
  const violations = final ? explain(m, s, since, hazards, events) : [];
  if (final) violations.push(...lockRules(m, states, events));
  return { schedule: ran, events, states, violations, hazards, final };
}

/** Lockdep-style rules over the whole run, for the scenarios that ask for them. */
function lockRules(m: Machine, states: readonly Int32Array[], events: StepEvent[]): Violation[] {
  const s = states[states.length - 1] ?? m.initial();
  const checks = m.instance.checks;
  if (!checks.some((c) => c === 'lock-order' || c === 'srcu-rule' || c === 'sleep-in-atomic'))
    return [];
  const attempts: { thread: number; lock: string; blockedSince: number }[] = [];
  for (let t = 0; t < m.threadCount; t++) {
    const b = m.blocked(s, t);
    if (b?.kind !== 'lock') continue;
    // The state index from which it waited for this lock without a break: the
    // step that made it wait (a message says "blocked since step N").
    let since = states.length - 1;
    while (since > 0) {
      const before = states[since - 1];
      const w = before ? m.blocked(before, t) : null;
      if (w?.kind !== 'lock' || w.lock !== b.lock) break;
      since--;
    }
    attempts.push({ thread: t, lock: b.lock, blockedSince: since });
  }
  return lockRuleViolations(m.instance, events, attempts)
    .filter((v) => checks.includes(v.kind))
    .map((v) => ({
      kind: v.kind,
      step: v.step,
      message: v.message,
      causes: v.causes,
      racing: [],
      trail: [...new Set([...v.causes, v.step])]
        .sort((a, b) => a - b)
        .map((step) => ({ step, role: step === v.step ? 'violation' : 'lock taken' })),
    }));
}

/**
 * How a stale writable TLB entry came to be used: the walk that cached it,
 * and the update that cleared MMU-writable (and so should have flushed).
 */
function tlbStory(
  m: Machine,
  events: readonly StepEvent[],
  upTo: number,
): { step: number; role: TrailRole }[] {
  let fill = -1;
  let cleared = -1;
  for (const ev of events) {
    if (ev.step >= upTo) break;
    for (const a of ev.accesses) {
      const { array } = m.layout.locate(a.loc);
      if (array === 'tlb' && a.kind === 'write' && a.value !== 0) fill = ev.step;
      if (
        array === 'spte' &&
        a.kind !== 'read' &&
        a.old & SPTE.MMU_WRITABLE &&
        !(a.value & SPTE.MMU_WRITABLE)
      )
        cleared = ev.step;
    }
  }
  const out: { step: number; role: TrailRole }[] = [];
  if (fill >= 0) out.push({ step: fill, role: 'writable TLB entry cached' });
  if (cleared >= 0) out.push({ step: cleared, role: 'MMU-writable cleared' });
  return out;
}

function explain(
  m: Machine,
  s: Int32Array,
  since: Map<string, number>,
  hazards: Hazard[],
  events: readonly StepEvent[],
): Violation[] {
  const length = events.length;
  const conditions: Condition[] = dataConditions(m, s);
  const dl = deadlockCondition(m, s);
  if (dl) conditions.push(dl);
  const spteLocs = new Set<number>();
  const slots = m.instance.machine.slots.length;
  for (let i = 0; i < slots; i++) spteLocs.add(m.layout.index('spte', i));
  return conditions.map((c) => {
    const step =
      c.kind === 'deadlock' ? Math.max(0, length - 1) : Math.max(0, since.get(c.key) ?? 0);
    const relevant = hazards.filter((h) => spteLocs.has(h.loc) && h.at <= step);
    const extra = c.kind === 'stale-tlb-write' ? tlbStory(m, events, step) : [];
    const causes = [
      ...new Set([...relevant.flatMap((h) => [h.read, h.at]), ...extra.map((e) => e.step)]),
    ].sort((a, b) => a - b);
    const racing = [...new Set(relevant.flatMap((h) => h.writers))].sort((a, b) => a - b);
    const roles = new Map<number, TrailRole>();
    for (const h of relevant) {
      roles.set(h.read, 'stale read');
      roles.set(
        h.at,
        h.kind === 'aba' ? 'cmpxchg succeeds on a stale value' : 'plain store over a newer value',
      );
      for (const w of h.writers) if (!roles.has(w)) roles.set(w, 'racing write');
    }
    for (const e of extra) roles.set(e.step, e.role);
    if (!roles.has(step)) roles.set(step, 'violation');
    const trail = [...roles].sort((a, b) => a[0] - b[0]).map(([st, role]) => ({ step: st, role }));
    const v: Violation = { kind: c.kind, step, message: c.message, causes, racing, trail };
    if (c.gfn !== undefined) v.gfn = c.gfn;
    if (c.pfn !== undefined) v.pfn = c.pfn;
    if (c.cycle !== undefined) v.cycle = c.cycle;
    return v;
  });
}
