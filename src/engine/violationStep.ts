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
  const checks = m.instance.checks;
  if (checks.some((c) => LOCK_RULES.includes(c))) return slow(m, schedule, kind);
  let s = m.initial();
  const states: Int32Array[] = [s];
  for (const t of schedule) {
    // An impossible step: runSchedule throws the ScheduleError that names it.
    if (!m.canRun(s, t)) return slow(m, schedule, kind);
    s = m.stepQuiet(s, t);
    states.push(s);
  }
  for (let next = m.runnable(s)[0]; next !== undefined; next = m.runnable(s)[0]) {
    if (states.length > DEFAULT_MAX_STEPS) return slow(m, schedule, kind);
    s = m.stepQuiet(s, next);
    states.push(s);
  }
  const length = states.length - 1;
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

/** The full replay: its violations' first step, as the trace shows it. */
function slow(m: Machine, schedule: Schedule, kind?: CheckKind): number {
  const vs = runSchedule(m.instance, schedule, { complete: true }).violations.filter(
    (v) => kind === undefined || v.kind === kind,
  );
  return vs.length === 0 ? 0 : Math.min(...vs.map((v) => v.step)) + 1;
}
