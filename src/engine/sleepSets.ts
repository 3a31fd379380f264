import type { ScenarioInstance } from './model';
import { Machine } from './machine';
import { finalConditions } from './checks';
import { ScenarioError } from './errors';
import { StubbornSets } from './por';
import { StateStore, outcomeVector } from './stateStore';
import { Growable } from './growable';
import { DEFAULT_BUDGET } from './exploreGraph';

/** What a sleep-set search finds: the final states, and what it cost. No execution counts. */
export interface SleepResult {
  complete: boolean;
  states: number;
  /** Steps taken (transitions explored), re-explorations included. */
  steps: number;
  /** States expanded a second time because they were first reached with a larger sleep set. */
  reexpanded: number;
  /** Final-state keys (as ExploreResult.outcomes[].key) with their violation kinds, sorted. */
  outcomes: Map<string, string>;
  violatingOutcomes: number;
}

/**
 * Stubborn sets plus sleep sets (Godefroid 1996), with the state store: an
 * evaluation of the stronger reduction, opt-in. A thread is asleep at a state
 * when a sibling branch already explored its next step and the step taken
 * since commutes with it; asleep threads are not stepped again. With states
 * cached, a state first expanded with sleep set Z and reached again with Z'
 * is expanded again for the threads in Z \\ Z' (its stored set becomes Z ∩ Z'),
 * which keeps every final state reachable.
 *
 * What it does not give: execution counts. Which transitions are explored
 * depends on the order the search meets states, so the explored graph is not
 * a function of the state and its path counts mean nothing; the default
 * search (exploreStateGraph) keeps por.choose state-local for exactly that
 * reason (and so that a parallel search equals the serial one).
 */
export function exploreWithSleepSets(
  inst: ScenarioInstance,
  options: { budget?: number } = {},
): SleepResult {
  const m = new Machine(inst);
  const budget = options.budget ?? DEFAULT_BUDGET;
  const por = new StubbornSets(m);
  const T = m.threadCount;
  if (T > 31) throw new ScenarioError('sleep sets: at most 31 threads');
  const s0 = m.initial();
  for (let t = 0; t < T; t++) m.settleInPlace(s0, t);
  const store = new StateStore(s0);
  const outStore = new StateStore(outcomeVector(m, s0, true));
  const outVec = new Int32Array(m.shape.memSize + T);
  const outcomes = new Map<string, string>();
  /** Per state: its sleep set (bit t = thread t asleep); -1 while it is on the search path. */
  const slept = new Growable(Int32Array);
  const bufs: Int32Array[] = [s0];
  const runAt: Int32Array[] = [];
  const chosenAt: Int32Array[] = [];
  let steps = 0;
  let reexpanded = 0;
  let violating = 0;

  class Stop extends Error {}

  /**
   * Steps every chosen thread not asleep in `z` that an earlier expansion with
   * sleep set `had` skipped (`had` = -1: the first expansion, all of them).
   */
  const expand = (d: number, z: number, had: number) => {
    const s = bufs[d] as Int32Array;
    const run = (runAt[d] ??= new Int32Array(T));
    const chosen = (chosenAt[d] ??= new Int32Array(T));
    const n = por.chooseInto(s, run, m.runnableInto(s, run), chosen);
    const next = (bufs[d + 1] ??= new Int32Array(s0.length));
    // Threads whose subtrees from s are covered: asleep on arrival, or explored already
    // (by this loop, or by the earlier expansion: chosen and not asleep then).
    let covered = z;
    for (let j = 0; j < n; j++)
      if (!(had & (1 << (chosen[j] as number)))) covered |= 1 << (chosen[j] as number);
    for (let j = 0; j < n; j++) {
      const t = chosen[j] as number;
      if (covered & (1 << t)) continue;
      let zc = 0;
      for (let u = 0; u < T; u++)
        if (covered & (1 << u) && u !== t && por.independentNow(s, u, t)) zc |= 1 << u;
      next.set(s);
      m.stepInPlace(next, t);
      m.settleInPlace(next, t);
      steps++;
      visit(d + 1, zc);
      covered |= 1 << t;
    }
  };

  const visit = (d: number, z: number): void => {
    const s = bufs[d] as Int32Array;
    const added = store.add(s);
    if (added < 0) {
      const id = ~added;
      const had = slept.a[id] as number;
      if (had === -1)
        throw new ScenarioError('livelock: a schedule returns to a state already on its path');
      // Reached with fewer threads asleep: explore the ones it slept through before.
      const missing = had & ~z;
      if (missing === 0) return;
      reexpanded++;
      slept.a[id] = -1;
      expand(d, z, had);
      slept.a[id] = had & z;
      return;
    }
    const id = added;
    if (id >= budget) throw new Stop();
    slept.ensure(id + 1);
    slept.a[id] = -1;
    if (m.runnable(s).length === 0) {
      if (outStore.add(outcomeVector(m, s, false, outVec)) >= 0) {
        const kinds = [...new Set(finalConditions(m, s).map((c) => c.kind))].sort().join(',');
        outcomes.set(outStore.keyOf(outVec), kinds);
        if (kinds) violating++;
      }
    } else expand(d, z, -1);
    slept.a[id] = z;
  };

  let complete = true;
  try {
    visit(0, 0);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    complete = false;
  }
  return {
    complete,
    states: Math.min(store.size, budget),
    steps,
    reexpanded,
    outcomes,
    violatingOutcomes: violating,
  };
}
