import type { CheckKind, ScenarioInstance } from './model';
import { Machine } from './machine';
import { finalConditions } from './checks';
import { ScenarioError } from './errors';
import { stateKey } from './stateKey';
import { StateStore, outcomeVector } from './stateStore';
import type { ExploreOptions, ExploreResult, Outcome } from './exploreTypes';

export type {
  ExploreOptions,
  ExploreProgress,
  ExploreResult,
  Outcome,
  StopReason,
} from './exploreTypes';
export { exploreStateGraph, DEFAULT_BUDGET, DEFAULT_MAX_BYTES } from './exploreGraph';

class Stop extends Error {}

/**
 * The reference: runs every maximal schedule one by one (depth-first, no
 * memory of states), with the same eager thread-local steps as the graph
 * search so that both count the same executions. Exponential; for small
 * scenarios and for testing the state-graph search against.
 */
export function enumerateExecutions(
  inst: ScenarioInstance,
  options: ExploreOptions = {},
): ExploreResult {
  const m = new Machine(inst);
  const budget = options.budget ?? 1_000_000;
  const outcomes = new Map<string, Outcome>();
  const byKind: Partial<Record<CheckKind, number>> = {};
  const path: number[] = [];
  let executions = 0;
  let violating = 0;
  let counterexample: number[] | null = null;
  let complete = true;

  let s0 = m.initial();
  for (let t = 0; t < m.threadCount; t++) s0 = m.settle(s0, t, path);
  // Outcome keys as the graph search makes them, so that the two can be compared.
  const keys = new StateStore(outcomeVector(m, s0, true));
  const vec = new Int32Array(m.shape.memSize + m.threadCount);

  const onPath = new Set<string>();
  // One state buffer per depth, as the graph search steps: a copy per step made this
  // reference spend most of its time allocating (53 s for dirty-bit-loss's 587,224 runs).
  const bufs: Int32Array[] = [];
  const walk = (s: Int32Array, d: number): void => {
    const runnable = m.runnable(s);
    if (runnable.length === 0) {
      if (executions >= budget || ((executions & 0xfff) === 0 && options.shouldStop?.()))
        throw new Stop();
      executions++;
      const kinds = new Set(finalConditions(m, s).map((c) => c.kind));
      const okey = keys.keyOf(outcomeVector(m, s, false, vec));
      if (!outcomes.has(okey))
        outcomes.set(okey, {
          key: okey,
          violations: [...kinds],
          witness: path.slice(),
          executions: 0,
          // The buffer is reused by the next run at this depth: keep a copy.
          state: s.slice(),
        });
      const o = outcomes.get(okey) as Outcome;
      o.executions = (o.executions ?? 0) + 1;
      if (kinds.size > 0) {
        violating++;
        for (const k of kinds) byKind[k] = (byKind[k] ?? 0) + 1;
        if (!counterexample || path.length < counterexample.length) counterexample = path.slice();
      }
      return;
    }
    // Only a long path can be a loop; keying every state would slow the reference down.
    const key = path.length > 1000 ? stateKey(s) : '';
    if (key && onPath.has(key))
      throw new ScenarioError(
        `livelock: schedule ${path.join('.')} returns to a state already on its path (a loop that makes no progress)`,
      );
    if (key) onPath.add(key);
    for (const t of runnable) {
      const mark = path.length;
      path.push(t);
      const next = (bufs[d] ??= new Int32Array(s.length));
      next.set(s);
      m.stepInPlace(next, t);
      m.settleInPlace(next, t, path);
      walk(next, d + 1);
      path.length = mark;
    }
    if (key) onPath.delete(key);
  };
  try {
    walk(s0, 0);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    complete = false;
  }
  const all = [...outcomes.values()];
  const outcomesByKind: Partial<Record<CheckKind, number>> = {};
  for (const o of all)
    for (const k of o.violations) outcomesByKind[k] = (outcomesByKind[k] ?? 0) + 1;
  // Violating final states first, as the graph search lists them.
  const listed = [
    ...all.filter((o) => o.violations.length > 0),
    ...all.filter((o) => o.violations.length === 0),
  ];
  // The executions it ran are counts it made, complete or not.
  return {
    executions,
    states: 0,
    distinctOutcomes: outcomes.size,
    violatingOutcomes: listed.filter((o) => o.violations.length > 0).length,
    outcomesByKind,
    violatingExecutions: violating,
    violationsByKind: byKind,
    complete,
    stopReason: complete ? null : 'states',
    bytes: 0,
    counterexample,
    reduction: 'none',
    method: 'enumeration',
    lockRules: [],
    outcomes: listed.slice(0, options.maxOutcomes ?? Infinity),
    steps: m.quietSteps,
  };
}
