import type { Machine } from './machine';
import type { Growable } from './growable';
import type { GraphRecords } from './graphRecords';
import { NONE } from './graphRecords';
import { type StateStore, outcomeVector } from './stateStore';
import {
  countByKind,
  kindsOf,
  type ExploreOptions,
  type ExploreResult,
  type StopReason,
} from './exploreTypes';
import { choicesTo as choicesOf, replayChoices, witnessesFrom } from './outcomeTable';

/** The shortest way to a violation seen during the search: the path to `node`, and its length. */
export interface Best {
  len: number;
  path: number[];
  node: number;
}

/** The state graph as the search (exploreGraph.ts) left it. */
export interface SearchedGraph {
  m: Machine;
  s0: Int32Array;
  /** Local steps taken before the first choice. */
  prefix: readonly number[];
  store: StateStore;
  outStore: StateStore;
  outVec: Int32Array<ArrayBuffer>;
  rec: GraphRecords;
  best: Best;
  stopReason: StopReason | null;
  states: number;
}

/** The distinct final states, by outcome id (discovery order). */
export interface FinalStates {
  /** The state that first reached each outcome. */
  outNode: readonly number[];
  /** Each outcome's violation kinds, a bit mask over KINDS. */
  outKinds: readonly number[];
  outcomesByKind: Float64Array;
  violatingOutcomes: number;
  /** Outcome vectors row by row, when the outcome table was asked for and fits. */
  outRows: Growable<Int32Array> | null;
}

/** Figures the search itself knows. */
export interface SearchFacts {
  reduction: ExploreResult['reduction'];
  lockRules: ExploreResult['lockRules'];
  bytes: number;
  /** Engine steps the search took (before any replay here). */
  steps: number;
}

/**
 * The result of a state-graph search, from its graph: schedules per outcome
 * (paths from the root, pushed down in topological order), the shortest
 * counterexample (from the root when the search is complete, else the
 * shortest path to a violation it saw), and the listed outcomes with their
 * witnesses, violating ones first. Every figure covers the whole graph
 * searched, not the listed outcomes.
 */
export function graphResult(
  g: SearchedGraph,
  f: FinalStates,
  facts: SearchFacts,
  options: ExploreOptions,
): ExploreResult {
  const { m, s0, prefix, store, outStore, outVec, rec, best, stopReason } = g;
  const { outNode, outKinds } = f;
  const complete = stopReason === null;

  const replay = (choices: readonly number[]) => replayChoices(m, s0, prefix, choices);
  const start = complete ? { len: rec.minViol(0), path: [], node: 0 } : best;
  let counterexample: number[] | null = null;
  if (start.node >= 0 && start.len !== NONE) {
    const { state } = replay(start.path);
    const choices = start.path.slice();
    for (let n = start.node; n >= 0 && rec.minViol(n) > 0;) {
      const t = rec.minChoice(n);
      choices.push(t);
      m.stepInPlace(state, t);
      m.settleInPlace(state, t);
      n = store.find(state);
    }
    counterexample = replay(choices).schedule;
  }

  const rootRow = rec.kindCounts(0);
  // Violating final states first (each group in discovery order), as many as asked for.
  const ids = outNode.map((_, o) => o);
  const listed = [...ids.filter((o) => outKinds[o]), ...ids.filter((o) => !outKinds[o])].slice(
    0,
    options.maxOutcomes ?? Infinity,
  );
  // A pass over every state and edge: only when an outcome's count is shown.
  const perOutcome =
    complete && (listed.length > 0 || f.outRows)
      ? schedulesPerOutcome(rec, store.size, outNode.length)
      : null;
  const parent = rec.parent.a;
  const parentChoice = rec.parentChoice.a;
  return {
    executions: complete ? (rec.hot[0] as number) : null,
    states: g.states,
    distinctOutcomes: outNode.length,
    violatingOutcomes: f.violatingOutcomes,
    outcomesByKind: countByKind((i) => f.outcomesByKind[i] as number),
    violatingExecutions: complete ? (rec.hot[1] as number) : null,
    violationsByKind: complete
      ? countByKind((i) => (rootRow === null ? 0 : (rec.byKind.a[rootRow + i] as number)))
      : {},
    complete,
    stopReason,
    counterexample,
    reduction: facts.reduction,
    method: 'state-graph',
    lockRules: facts.lockRules,
    steps: facts.steps,
    bytes: facts.bytes,
    ...(f.outRows && {
      outcomeTable: {
        count: outNode.length,
        width: outVec.length,
        vectors: f.outRows.a.slice(0, f.outRows.length),
        masks: Uint8Array.from(outKinds),
        executions: perOutcome,
        witness: witnessesFrom(m, s0, prefix, parent, parentChoice, outNode),
      },
    }),
    outcomes: listed.map((o) => {
      const { schedule, state } = replay(choicesOf(parent, parentChoice, outNode[o] as number));
      return {
        key: outStore.keyOf(outcomeVector(m, state, false, outVec)),
        violations: kindsOf(outKinds[o] as number),
        witness: schedule,
        executions: perOutcome ? (perOutcome[o] as number) : null,
        state,
      };
    }),
  };
}

/**
 * Complete schedules ending in each outcome: paths from the root, pushed down
 * in reverse post-order (a topological order: parents before children).
 */
function schedulesPerOutcome(rec: GraphRecords, states: number, outcomes: number): Float64Array {
  const perOutcome = new Float64Array(outcomes);
  const paths = new Float64Array(states);
  paths[0] = 1;
  const { order, edges, edgeStart, edgeCount } = rec;
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order.a[i] as number;
    const p = paths[n] as number;
    const e0 = edgeStart.a[n] as number;
    for (let j = 0; j < (edgeCount.a[n] as number); j++) {
      const c = edges.a[e0 + j] as number;
      paths[c] = (paths[c] as number) + p;
    }
    const o = rec.outcome(n);
    if (o >= 0) perOutcome[o] = (perOutcome[o] as number) + p;
  }
  return perOutcome;
}
