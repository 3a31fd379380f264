/**
 * The state-graph search as it was before the compact store (string keys, a
 * Node object per state), kept only so that tests can check the new search
 * computes the same figures on every built-in. Not for use outside tests.
 */
import type { CheckKind, ScenarioInstance } from './model';
import { Machine } from './machine';
import { finalConditions } from './checks';
import { ScenarioError } from './errors';
import { stateKey, outcomeKey } from './stateKey';
import { LockGraph, type LockRuleFinding } from './lockGraph';
import { KINDS, type ExploreOptions } from './exploreTypes';
import { LegacyStubbornSets } from './exploreLegacyPor';

/** The options it had then (the same meaning as today's); progress had fewer fields. */
type LegacyOptions = Pick<
  ExploreOptions,
  'budget' | 'now' | 'shouldStop' | 'por' | 'stopAtFirstViolation'
> & { onProgress?: (p: ExploreProgress) => void };

interface ExploreProgress {
  states: number;
  /** Distinct final states found so far, and how many of them violate a check. */
  outcomes: number;
  violatingOutcomes: number;
}

interface ExploreResult {
  /** Complete interleavings (maximal schedules) covered. */
  executions: number;
  /** Distinct machine states visited. */
  states: number;
  /** Distinct final states (memory, ghost state and which threads finished). */
  distinctOutcomes: number;
  violatingExecutions: number;
  violationsByKind: Partial<Record<CheckKind, number>>;
  /** True when every interleaving was covered within the budget. */
  complete: boolean;
  /** A shortest schedule that ends in a violation, or null. */
  counterexample: number[] | null;
  /**
   * `none`: no reduction, every interleaving covered (one by one, or
   * counted through the state graph, which expands each state once).
   * `por+hash`: the state graph, exploring only a stubborn set of threads at
   * each state (see por.ts). Both take thread-local steps eagerly.
   */
  reduction: 'none' | 'por+hash';
  method: 'state-graph' | 'enumeration';
  /** Engine steps executed by the search. */
  steps: number;
  /** Each distinct final state: its key, the violations it has, and a schedule reaching it. */
  outcomes: Outcome[];
  /** Lock rules broken anywhere in the explored runs (lockdep-style; graph search only). */
  lockRules: LockRuleFinding[];
}

interface Outcome {
  /** The final state's identity (memory and finished threads), compared as a string. */
  key: string;
  violations: CheckKind[];
  /** A complete schedule that ends in this state. */
  witness: number[];
  /** Complete schedules (of the search that ran) ending in this state; 0 when incomplete. */
  executions: number;
}

interface Node {
  /** Maximal schedules from this state, and how many of them end in a violation. */
  execs: number;
  viol: number;
  byKind: number[];
  /** Steps to the nearest violating final state, and the thread to run first. */
  minViol: number;
  minChoice: number;
  /** Successors, by index in the post-order list (for counting paths to each outcome). */
  children: number[];
  /** For a final state: the index of its outcome; otherwise -1. */
  outcome: number;
}

const ON_STACK: Node = {
  execs: -1,
  viol: 0,
  byKind: [],
  minViol: Infinity,
  minChoice: -1,
  children: [],
  outcome: -1,
};

class Stop extends Error {}

/**
 * Covers every interleaving by a depth-first search of the state graph:
 * each state is expanded once, and the number of complete schedules through
 * it is counted (the sum over its successors). At every state every thread
 * that can run is tried, with one exception: steps that touch no shared
 * state (register arithmetic, branches on registers) are taken eagerly,
 * because they commute with everything; `executions` therefore counts
 * interleavings of the steps that touch shared state.
 *
 * A program whose loop can return to a state on the current path without
 * another thread's help would have infinitely many schedules; that is
 * reported as a ScenarioError naming the schedule that revisits the state.
 */
export function exploreStateGraphLegacy(
  inst: ScenarioInstance,
  options: LegacyOptions = {},
): ExploreResult {
  const m = new Machine(inst);
  const budget = options.budget ?? 2_000_000;
  const por = options.por === false ? null : new LegacyStubbornSets(m);
  const lockGraph = new LockGraph(m);
  const memo = new Map<string, Node>();
  const outcomes = new Map<string, { index: number; kinds: CheckKind[]; choices: number[] }>();
  const path: number[] = [];
  let complete = true;
  /** Nodes in post-order: children before parents; a node's index is its position here. */
  const order: Node[] = [];
  const index = new Map<Node, number>();
  const now = options.now ?? (() => performance.now());
  let lastReport = now();
  let violatingOutcomes = 0;

  const visit = (s: Int32Array): Node => {
    const key = stateKey(s);
    const known = memo.get(key);
    if (known === ON_STACK)
      throw new ScenarioError(
        `livelock: schedule ${path.join('.')} returns to a state already on its path (a loop that makes no progress)`,
      );
    if (known) return known;
    if (memo.size >= budget) throw new Stop();
    if ((memo.size & 0xff) === 0) {
      if (now() - lastReport >= 100) {
        lastReport = now();
        options.onProgress?.({ states: memo.size, outcomes: outcomes.size, violatingOutcomes });
      }
      if (options.shouldStop?.()) throw new Stop();
    }
    memo.set(key, ON_STACK);
    const runnable = m.runnable(s);
    for (let t = 0; t < m.threadCount; t++) lockGraph.observe(s, t);
    let node: Node;
    if (runnable.length === 0) {
      const kinds = new Set(finalConditions(m, s).map((c) => c.kind));
      const okey = outcomeKey(m, s);
      let o = outcomes.get(okey);
      if (!o) {
        o = { index: outcomes.size, kinds: [...kinds], choices: path.slice() };
        outcomes.set(okey, o);
        if (kinds.size > 0) violatingOutcomes++;
      }
      const v = kinds.size > 0;
      node = {
        execs: 1,
        viol: v ? 1 : 0,
        byKind: KINDS.map((k) => (kinds.has(k) ? 1 : 0)),
        minViol: v ? 0 : Infinity,
        minChoice: -1,
        children: [],
        outcome: o.index,
      };
      if (v && options.stopAtFirstViolation) throw new Stop();
    } else {
      node = {
        execs: 0,
        viol: 0,
        byKind: KINDS.map(() => 0),
        minViol: Infinity,
        minChoice: -1,
        children: [],
        outcome: -1,
      };
      for (const t of por ? por.choose(s, runnable) : runnable) {
        path.push(t);
        const child = visit(m.settle(m.stepQuiet(s, t), t));
        path.pop();
        node.children.push(index.get(child) ?? -1);
        node.execs += child.execs;
        node.viol += child.viol;
        child.byKind.forEach((n, i) => (node.byKind[i] = (node.byKind[i] ?? 0) + n));
        if (child.minViol + 1 < node.minViol) {
          node.minViol = child.minViol + 1;
          node.minChoice = t;
        }
      }
    }
    memo.set(key, node);
    index.set(node, order.length);
    order.push(node);
    return node;
  };

  const prefix: number[] = [];
  let s0 = m.initial();
  for (let t = 0; t < m.threadCount; t++) s0 = m.settle(s0, t, prefix);
  let root: Node | undefined;
  try {
    root = visit(s0);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    complete = false;
  }
  // Complete schedules ending in each outcome: paths from the root, pushed down in
  // reverse post-order (a topological order: parents before children).
  const paths = new Float64Array(order.length);
  const perOutcome = new Float64Array(outcomes.size);
  if (root) {
    paths[order.length - 1] = 1;
    for (let i = order.length - 1; i >= 0; i--) {
      const n = order[i] as Node;
      const p = paths[i] ?? 0;
      for (const c of n.children) paths[c] = (paths[c] ?? 0) + p;
      if (n.outcome >= 0) perOutcome[n.outcome] = (perOutcome[n.outcome] ?? 0) + p;
    }
  }
  const byKind: Partial<Record<CheckKind, number>> = {};
  KINDS.forEach((k, i) => {
    const n = root?.byKind[i] ?? 0;
    if (n) byKind[k] = n;
  });
  let counterexample: number[] | null = null;
  if (root && root.minViol < Infinity) {
    counterexample = prefix.slice();
    let s = s0;
    let n: Node | undefined = root;
    while (n && n.minChoice >= 0) {
      counterexample.push(n.minChoice);
      s = m.settle(m.stepQuiet(s, n.minChoice), n.minChoice, counterexample);
      n = memo.get(stateKey(s));
    }
  }
  /** The full schedule of a path of choices: the eager local steps put back in. */
  const schedule = (choices: readonly number[]): number[] => {
    const out = prefix.slice();
    let st = s0;
    for (const t of choices) {
      out.push(t);
      st = m.settle(m.stepQuiet(st, t), t, out);
    }
    return out;
  };
  return {
    executions: root?.execs ?? 0,
    states: memo.size,
    outcomes: [...outcomes].map(([key, o]) => ({
      key,
      violations: o.kinds,
      witness: schedule(o.choices),
      executions: perOutcome[o.index] ?? 0,
    })),
    distinctOutcomes: outcomes.size,
    violatingExecutions: root?.viol ?? 0,
    violationsByKind: byKind,
    complete,
    counterexample,
    reduction: por ? 'por+hash' : 'none',
    method: 'state-graph',
    lockRules: lockGraph.result(),
    steps: m.quietSteps,
  };
}
