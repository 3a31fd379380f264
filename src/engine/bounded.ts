import type { CheckKind, ScenarioInstance } from './model';
import { Machine } from './machine';
import { finalConditions } from './checks';
import { outcomeKey, stateKey } from './stateKey';

/**
 * Preemption-bounded search (CHESS's iterative context bounding): every
 * schedule with at most `bound` preemptions, where a preemption is a switch
 * away from a thread that could still run; switching from a thread that has
 * finished or is blocked is free. No partial-order reduction here: the bound
 * alone keeps the search small, and stubborn sets are not sound under a
 * preemption bound without extra backtracking.
 */
export interface BoundedResult {
  bound: number;
  /** True when every schedule within the bound was covered (the budget was not hit). */
  complete: boolean;
  /** Distinct (state, last thread) pairs visited. */
  states: number;
  /** Distinct final states reached (the same identity as the explorer's outcomes). */
  outcomes: number;
  /** A schedule within the bound ending in a violation (of `kind`, if given), or null. */
  counterexample: number[] | null;
  /** The violation kinds of that schedule's final state. */
  kinds: CheckKind[];
}

export interface BoundedOptions {
  /** Stop after this many distinct (state, last thread) pairs. Default 2,000,000. */
  budget?: number;
  /** Only this kind counts as a violation. */
  kind?: CheckKind;
  shouldStop?: () => boolean;
}

class Found extends Error {
  constructor(
    readonly schedule: number[],
    readonly kinds: CheckKind[],
  ) {
    super('found');
  }
}
class Stop extends Error {}

/** Searches the schedules with at most `bound` preemptions for a violation. */
export function exploreBounded(
  instance: ScenarioInstance,
  bound: number,
  options: BoundedOptions = {},
): BoundedResult {
  const m = new Machine(instance);
  const budget = options.budget ?? 2_000_000;
  /** The fewest preemptions with which each (state, last thread) was reached. */
  const seen = new Map<string, number>();
  const path: number[] = [];
  const finals = new Set<string>();

  const visit = (s: Int32Array, last: number, used: number): void => {
    const runnable = m.runnable(s);
    if (runnable.length === 0) {
      finals.add(outcomeKey(m, s));
      const kinds = [...new Set(finalConditions(m, s).map((c) => c.kind))];
      if (options.kind ? kinds.includes(options.kind) : kinds.length > 0)
        throw new Found(path.slice(), kinds);
      return;
    }
    const key = `${last}|${stateKey(s)}`;
    const before = seen.get(key);
    if (before !== undefined && before <= used) return;
    if (before === undefined && seen.size >= budget) throw new Stop();
    if ((seen.size & 0xfff) === 0 && options.shouldStop?.()) throw new Stop();
    seen.set(key, used);
    const lastRuns = last >= 0 && runnable.includes(last);
    // The running thread first: schedules with fewer preemptions are found first.
    const order = lastRuns ? [last, ...runnable.filter((t) => t !== last)] : runnable;
    for (const t of order) {
      const cost = lastRuns && t !== last ? 1 : 0;
      if (used + cost > bound) continue;
      const mark = path.length;
      path.push(t);
      visit(m.settle(m.stepQuiet(s, t), t, path), t, used + cost);
      path.length = mark;
    }
  };

  const result = (complete: boolean, ce: Found | null): BoundedResult => ({
    bound,
    complete,
    states: seen.size,
    outcomes: finals.size,
    counterexample: ce ? ce.schedule : null,
    kinds: ce ? ce.kinds : [],
  });
  try {
    let s0 = m.initial();
    for (let t = 0; t < m.threadCount; t++) s0 = m.settle(s0, t, path);
    visit(s0, -1, 0);
    return result(true, null);
  } catch (e) {
    if (e instanceof Found) return result(false, e);
    if (e instanceof Stop) return result(false, null);
    throw e;
  }
}

export interface FewestPreemptions {
  /** The smallest bound at which a violation appears, or null if none up to `maxBound`. */
  needed: number | null;
  /** The counterexample found at that bound. */
  counterexample: number[] | null;
  kinds: CheckKind[];
  /** Each bound searched, in order: the one below `needed` was complete and found nothing. */
  searches: BoundedResult[];
}

/**
 * Iterative preemption bounding: bounds 0, 1, 2, … up to `maxBound`. The
 * first bound with a violation is the fewest preemptions any violating
 * schedule needs, because the search at the bound below covered every
 * schedule with fewer and found none (unless it hit its budget: then
 * `needed` is null and the last search says incomplete).
 */
export function fewestPreemptions(
  instance: ScenarioInstance,
  maxBound: number,
  options: BoundedOptions = {},
): FewestPreemptions {
  const searches: BoundedResult[] = [];
  for (let b = 0; b <= maxBound; b++) {
    const r = exploreBounded(instance, b, options);
    searches.push(r);
    if (r.counterexample)
      return { needed: b, counterexample: r.counterexample, kinds: r.kinds, searches };
    if (!r.complete) break;
  }
  return { needed: null, counterexample: null, kinds: [], searches };
}
