import type { CheckKind, ScenarioInstance } from './model';
import { Machine } from './machine';
import { finalConditions } from './checks';
import { outcomeKey } from './stateKey';
import { StateStore } from './stateStore';
import { Growable } from './growable';

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

/**
 * Searches the schedules with at most `bound` preemptions for a violation.
 *
 * Depth-first, the running thread first, so that schedules with fewer
 * preemptions are found first. A (state, last thread) pair is expanded again
 * only when reached with fewer preemptions used than before. States are
 * interned in a StateStore (exact, no string keys) and stepped into one
 * buffer per depth: the search allocates nothing per step.
 */
export function exploreBounded(
  instance: ScenarioInstance,
  bound: number,
  options: BoundedOptions = {},
): BoundedResult {
  const m = new Machine(instance);
  const budget = options.budget ?? 2_000_000;
  const threads = m.threadCount;
  const path: number[] = [];
  const finals = new Set<string>();
  const s0 = m.initial();
  for (let t = 0; t < threads; t++) m.settleInPlace(s0, t, path);
  const store = new StateStore(s0);
  /**
   * Per (state id, last thread + 1): 1 + the fewest preemptions with which
   * the pair was reached, 0 when it was not. The pairs are `seen`'s entries.
   */
  const best = new Growable(Int32Array, 1 << 12);
  let seen = 0;
  // Buffers per depth: a child state and the runnable threads of a state.
  const states: Int32Array[] = [];
  const runnables: Int32Array[] = [];

  const visit = (s: Int32Array, last: number, used: number, depth: number): void => {
    const runnable = (runnables[depth] ??= new Int32Array(threads));
    const n = m.runnableInto(s, runnable);
    if (n === 0) {
      finals.add(outcomeKey(m, s));
      const kinds = [...new Set(finalConditions(m, s).map((c) => c.kind))];
      if (options.kind ? kinds.includes(options.kind) : kinds.length > 0)
        throw new Found(path.slice(), kinds);
      return;
    }
    const added = store.add(s);
    const pair = (added < 0 ? ~added : added) * (threads + 1) + last + 1;
    best.ensure(pair + 1);
    const before = (best.a[pair] as number) - 1;
    if (before >= 0 && before <= used) return;
    if (before < 0) {
      if (seen >= budget) throw new Stop();
      if ((seen & 0xfff) === 0 && options.shouldStop?.()) throw new Stop();
      seen++;
    }
    best.a[pair] = used + 1;
    let lastRuns = false;
    for (let i = 0; i < n; i++) if (runnable[i] === last) lastRuns = true;
    const child = (states[depth] ??= new Int32Array(s.length));
    // The running thread first: schedules with fewer preemptions are found first.
    for (let i = lastRuns ? -1 : 0; i < n; i++) {
      const t = i < 0 ? last : (runnable[i] as number);
      if (i >= 0 && lastRuns && t === last) continue;
      const cost = lastRuns && t !== last ? 1 : 0;
      if (used + cost > bound) continue;
      const mark = path.length;
      path.push(t);
      child.set(s);
      m.stepInPlace(child, t);
      m.settleInPlace(child, t, path);
      visit(child, t, used + cost, depth + 1);
      path.length = mark;
    }
  };

  const result = (complete: boolean, ce: Found | null): BoundedResult => ({
    bound,
    complete,
    states: seen,
    outcomes: finals.size,
    counterexample: ce ? ce.schedule : null,
    kinds: ce ? ce.kinds : [],
  });
  try {
    visit(s0, -1, 0, 0);
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
