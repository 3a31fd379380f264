import type { CheckKind, Schedule } from './model';
import type { Machine } from './machine';
import { dataConditions, deadlockCondition } from './checks';
import { DEFAULT_MAX_STEPS, runSchedule } from './run';

const LOCK_RULES: readonly CheckKind[] = ['lock-order', 'srcu-rule', 'sleep-in-atomic'];

/**
 * Where a replay of `schedule` (completed as `runSchedule(..., { complete:
 * true })` completes it) should land: the cursor just after the step from
 * which its first violation (of `kind`, if given) holds; 0 when it ends in
 * none. The same figure as `min(v.step) + 1` over runSchedule's violations,
 * without what only a reader of the trace needs: no events, no hazards, no
 * stories, and the conditions evaluated only backwards from the end for as
 * long as the final state's still hold (a violation usually appears a few
 * steps before the end). A report lists up to 1000 outcomes, each with this
 * figure: replaying each with runSchedule took most of `explore`'s time.
 *
 * Lock rules are judged over the whole run's events (lockdep), so an
 * instance that checks them is replayed in full.
 *
 * @example
 * firstViolationStep(new Machine(inst), outcome.witness); // e.g. 66
 */
export function firstViolationStep(m: Machine, schedule: Schedule, kind?: CheckKind): number {
  return new ViolationSteps(m).of(schedule, kind);
}

/**
 * firstViolationStep for many schedules on one machine: a schedule shares
 * its replay with the previous one up to where they part (a report's
 * outcomes come from one depth-first search, so neighbours share long
 * prefixes), and every state is stepped in place into a buffer per depth.
 */
export class ViolationSteps {
  /** states[i]: the state before step i of `ran` (valid up to ran.length). */
  private readonly states: Int32Array[];
  /** The last schedule replayed, completed. */
  private ran: number[] = [];
  private readonly lockRules: boolean;

  constructor(private readonly m: Machine) {
    this.states = [m.initial()];
    this.lockRules = m.instance.checks.some((c) => LOCK_RULES.includes(c));
  }

  of(schedule: Schedule, kind?: CheckKind): number {
    const m = this.m;
    if (this.lockRules) return slow(m, schedule, kind);
    const length = this.replay(schedule);
    if (length < 0) return slow(m, schedule, kind);
    const states = this.states;
    const s = states[length] as Int32Array;
    const dl = deadlockCondition(m, s);
    let first = dl && (kind === undefined || kind === 'deadlock') ? Math.max(0, length - 1) : -1;
    // Data conditions of the final state, each with the step from which it held to the end.
    const holding = new Set(
      dataConditions(m, s)
        .filter((c) => kind === undefined || c.kind === kind)
        .map((c) => c.key),
    );
    let j = length - 1;
    // states[j] is the state after step j - 1: while a key holds there, it held from before step j.
    while (holding.size > 0 && j > 0) {
      const now = new Set(dataConditions(m, states[j] as Int32Array).map((c) => c.key));
      for (const key of holding)
        if (!now.has(key)) {
          holding.delete(key);
          first = first < 0 ? j : Math.min(first, j);
        }
      j--;
    }
    if (holding.size > 0) first = first < 0 ? Math.max(0, j) : Math.min(first, Math.max(0, j));
    return first < 0 ? 0 : first + 1;
  }

  /**
   * Replays `schedule` and completes it (the lowest-numbered runnable
   * thread until none can run); returns the number of steps, or -1 when a
   * step is impossible or the run is too long (the full replay says why).
   */
  private replay(schedule: Schedule): number {
    const { m, states, ran } = this;
    let at = 0;
    while (at < schedule.length && at < ran.length && ran[at] === schedule[at]) at++;
    ran.length = at;
    const take = (t: number): boolean => {
      const s = states[ran.length] as Int32Array;
      if (ran.length >= DEFAULT_MAX_STEPS || !m.canRun(s, t)) return false;
      const next = (states[ran.length + 1] ??= new Int32Array(s.length));
      next.set(s);
      m.stepInPlace(next, t);
      ran.push(t);
      return true;
    };
    for (let i = at; i < schedule.length; i++) {
      if (!take(schedule[i] as number)) {
        ran.length = 0;
        return -1;
      }
    }
    for (let t = firstRunnable(m, states[ran.length] as Int32Array); t >= 0;) {
      if (!take(t)) {
        ran.length = 0;
        return -1;
      }
      t = firstRunnable(m, states[ran.length] as Int32Array);
    }
    return ran.length;
  }
}

function firstRunnable(m: Machine, s: Int32Array): number {
  for (let t = 0; t < m.threadCount; t++) if (m.canRun(s, t)) return t;
  return -1;
}

/** The full replay: its violations' first step, as the trace shows it. */
function slow(m: Machine, schedule: Schedule, kind?: CheckKind): number {
  const vs = runSchedule(m.instance, schedule, { complete: true }).violations.filter(
    (v) => kind === undefined || v.kind === kind,
  );
  return vs.length === 0 ? 0 : Math.min(...vs.map((v) => v.step)) + 1;
}
