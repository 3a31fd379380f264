import type { CheckKind, ScenarioInstance } from './model';
import { Machine } from './machine';
import { finalConditions } from './checks';
import { ScenarioError } from './errors';
import { StubbornSets } from './por';
import { LockGraph } from './lockGraph';
import { StateStore, outcomeVector } from './stateStore';
import { Growable } from './growable';
import { SteppedState } from './steppedState';
import { KINDS, type ExploreOptions, type ExploreResult, type StopReason } from './exploreTypes';
import { choicesTo as choicesOf, replayChoices, witnessesFrom } from './outcomeTable';

/** The default bound on the bytes the search holds: 2 million states fit well inside it. */
export const DEFAULT_MAX_BYTES = 1_000_000_000;
export const DEFAULT_BUDGET = 2_000_000;
/** The most the outcome table's rows may take (`keepOutcomes`); beyond it no table is returned. */
export const MAX_OUTCOME_ROWS_BYTES = 128_000_000;

class Stop extends Error {
  constructor(readonly reason: StopReason) {
    super(reason);
  }
}

const NONE = 0x7fffffff;

/**
 * Covers every interleaving by a depth-first search of the state graph:
 * each state is expanded once, and the number of complete schedules through
 * it is counted (the sum over its successors). At every state every thread
 * that can run is tried (or, with `por`, a stubborn set of them), with one
 * exception: steps that touch no shared state (register arithmetic, branches
 * on registers) are taken eagerly, because they commute with everything;
 * `executions` therefore counts interleavings of the steps that touch
 * shared state — and, under the reduction, only paths of the reduced graph.
 *
 * States live in a StateStore (compact encodings, dense ids) and everything
 * known about a state in typed arrays indexed by its id: no per-state
 * objects or strings. A stopped search (budget, memory, cancel) keeps what
 * it found: the final states reached, a witness for each (the path that
 * discovered it, from the parent pointers), and its shortest counterexample.
 *
 * A program whose loop can return to a state on the current path without
 * another thread's help would have infinitely many schedules; that is
 * reported as a ScenarioError naming the schedule that revisits the state.
 */
export function exploreStateGraph(
  inst: ScenarioInstance,
  options: ExploreOptions = {},
): ExploreResult {
  const m = new Machine(inst);
  const budget = options.budget ?? DEFAULT_BUDGET;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const por = options.por === false ? null : new StubbornSets(m);
  const lockGraph = new LockGraph(m);
  const K = KINDS.length;
  const T = m.threadCount;
  const memSize = m.shape.memSize;
  const now = options.now ?? (() => performance.now());
  let lastReport = now();

  const prefix: number[] = [];
  const s0 = m.initial();
  for (let t = 0; t < T; t++) m.settleInPlace(s0, t, prefix);

  const store = new StateStore(s0);
  const outStore = new StateStore(outcomeVector(m, s0, true));
  const outVec = new Int32Array(memSize + T);

  // Per state (by id).
  const execs = new Growable(Float64Array);
  const viol = new Growable(Float64Array);
  /**
   * Violating schedules by kind, only for states that have any (most have
   * none): kindRow[id] is 0, or 1 + a row of K counts in byKind.
   */
  const kindRow = new Growable(Int32Array);
  const byKind = new Growable(Float64Array, 64 * K);
  const rowOf = (id: number): number => {
    let r = kindRow.a[id] as number;
    if (r === 0) {
      r = kindRow.a[id] = byKind.length / K + 1;
      byKind.ensure(byKind.length + K);
      byKind.length += K; // new elements are 0
    }
    return (r - 1) * K;
  };
  const minViol = new Growable(Int32Array);
  const minChoice = new Growable(Int16Array);
  const outcomeOf = new Growable(Int32Array);
  const finished = new Growable(Uint8Array);
  const parent = new Growable(Int32Array);
  const parentChoice = new Growable(Int16Array);
  const edgeStart = new Growable(Int32Array);
  const edgeCount = new Growable(Uint16Array);
  const edges = new Growable(Int32Array);
  /** Ids in post-order: children before parents. */
  const order = new Growable(Int32Array);
  // Per outcome (by id in outStore).
  const outNode: number[] = [];
  const outKinds: number[] = [];
  const outcomesByKind = new Float64Array(K);
  let violatingOutcomes = 0;
  /** Outcome vectors, row by row, for the outcome map (only when asked: they cost memory). */
  let outRows = options.keepOutcomes ? new Growable(Int32Array) : null;

  const perState = [
    execs,
    viol,
    kindRow,
    minViol,
    minChoice,
    outcomeOf,
    finished,
    parent,
    parentChoice,
  ];
  const bytesHeld = () =>
    store.bytes +
    outStore.bytes +
    [...perState, byKind, edgeStart, edgeCount, edges, order].reduce((a, g) => a + g.bytes, 0) +
    (outRows?.bytes ?? 0);

  /** The state being visited: stepped forward into a child and back (an undo log, no copies). */
  const cur = new SteppedState(m, store, s0);
  const s = cur.s;
  const path: number[] = [];
  /** Children of the state at each depth, before they go to `edges` (contiguous per state). */
  const kidsAt: Int32Array[] = [];
  /** Runnable and chosen threads at each depth (the loop over them outlives the recursion). */
  const runAt: Int32Array[] = [];
  const chosenAt: Int32Array[] = [];
  let best = { len: NONE, path: [] as number[], node: -1 };
  const candidate = (id: number) => {
    const v = minViol.a[id] as number;
    if (v !== NONE && path.length + v < best.len)
      best = { len: path.length + v, path: path.slice(), node: id };
  };

  const finalState = (id: number, s: Int32Array) => {
    const kinds = new Set(finalConditions(m, s).map((c) => c.kind));
    let mask = 0;
    KINDS.forEach((k, i) => kinds.has(k) && (mask |= 1 << i));
    let o = outStore.add(outcomeVector(m, s, false, outVec));
    if (o >= 0) {
      outNode.push(id);
      outKinds.push(mask);
      // Past its cap the table is dropped, not the search: the map is a view, not the verdict.
      if (outRows && (outRows.length + outVec.length) * 4 > MAX_OUTCOME_ROWS_BYTES) outRows = null;
      if (outRows) {
        outRows.ensure(outRows.length + outVec.length);
        outRows.a.set(outVec, outRows.length);
        outRows.length += outVec.length;
      }
      if (mask) violatingOutcomes++;
      for (let i = 0; i < K; i++)
        if (mask & (1 << i)) outcomesByKind[i] = (outcomesByKind[i] as number) + 1;
    } else o = ~o;
    execs.a[id] = 1;
    viol.a[id] = mask ? 1 : 0;
    if (mask) {
      const r = rowOf(id);
      for (let i = 0; i < K; i++) byKind.a[r + i] = mask & (1 << i) ? 1 : 0;
    }
    minViol.a[id] = mask ? 0 : NONE;
    outcomeOf.a[id] = o;
    if (mask && options.stopAtFirstViolation) throw new Stop('first-violation');
  };

  const visit = (d: number, from: number, choice: number): number => {
    const added = store.addMarked(s, cur.nz, cur.hash);
    if (added < 0) {
      const id = ~added;
      if (!finished.a[id])
        throw new ScenarioError(
          `livelock: schedule ${path.join('.')} returns to a state already on its path (a loop that makes no progress)`,
        );
      candidate(id);
      return id;
    }
    const id = added;
    if (id >= budget) throw new Stop('states');
    if (id >= execs.a.length) {
      for (const g of perState) g.ensure(id + 1);
      edgeStart.ensure(id + 1);
      edgeCount.ensure(id + 1);
    }
    parent.a[id] = from;
    parentChoice.a[id] = choice;
    if ((id & 0xff) === 0) {
      if (options.shouldStop?.()) throw new Stop('cancelled');
      if (bytesHeld() > maxBytes || options.memoryShort?.()) throw new Stop('memory');
      if (now() - lastReport >= 100) {
        lastReport = now();
        options.onProgress?.({
          phase: 'exploring',
          states: id,
          outcomes: outNode.length,
          violatingOutcomes,
          bytes: bytesHeld(),
        });
      }
    }
    const runnable = (runAt[d] ??= new Int32Array(T));
    const nRun = m.runnableInto(s, runnable);
    for (let t = 0; t < T; t++) lockGraph.observe(s, t);
    if (nRun === 0) finalState(id, s);
    else {
      minViol.a[id] = NONE;
      outcomeOf.a[id] = -1;
      const kids = (kidsAt[d] ??= new Int32Array(T));
      let nk = 0;
      const chosen = (chosenAt[d] ??= new Int32Array(T));
      const nChosen = por ? por.chooseInto(s, runnable, nRun, chosen) : nRun;
      const ts = por ? chosen : runnable;
      for (let j = 0; j < nChosen; j++) {
        const t = ts[j] as number;
        const at = cur.step(t);
        path.push(t);
        const c = visit(d + 1, id, t);
        path.pop();
        cur.undo(at);
        kids[nk++] = c;
        execs.a[id] = (execs.a[id] as number) + (execs.a[c] as number);
        const vc = viol.a[c] as number;
        // A child with no violating schedule has every per-kind count 0.
        if (vc !== 0) {
          viol.a[id] = (viol.a[id] as number) + vc;
          const r = rowOf(id);
          const rc = ((kindRow.a[c] as number) - 1) * K;
          for (let i = 0; i < K; i++)
            byKind.a[r + i] = (byKind.a[r + i] as number) + (byKind.a[rc + i] as number);
        }
        const v = minViol.a[c] as number;
        if (v !== NONE && v + 1 < (minViol.a[id] as number)) {
          minViol.a[id] = v + 1;
          minChoice.a[id] = t;
        }
      }
      edgeStart.a[id] = edges.length;
      edgeCount.a[id] = nk;
      for (let j = 0; j < nk; j++) edges.push(kids[j] as number);
    }
    finished.a[id] = 1;
    order.push(id);
    candidate(id);
    return id;
  };

  let stopReason: StopReason | null = null;
  try {
    visit(0, -1, -1);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    stopReason = e.reason;
  }
  const complete = stopReason === null;
  const searchSteps = m.quietSteps;
  const states = Math.min(store.size, budget);
  options.onProgress?.({
    phase: 'building-report',
    states,
    outcomes: outNode.length,
    violatingOutcomes,
    bytes: bytesHeld(),
    ...(stopReason && { stopReason }),
  });

  // Complete schedules ending in each outcome: paths from the root, pushed down in
  // reverse post-order (a topological order: parents before children).
  const perOutcome = new Float64Array(outNode.length);
  if (complete) {
    const paths = new Float64Array(store.size);
    paths[0] = 1;
    for (let i = order.length - 1; i >= 0; i--) {
      const n = order.a[i] as number;
      const p = paths[n] as number;
      const e0 = edgeStart.a[n] as number;
      for (let j = 0; j < (edgeCount.a[n] as number); j++) {
        const c = edges.a[e0 + j] as number;
        paths[c] = (paths[c] as number) + p;
      }
      const o = outcomeOf.a[n] as number;
      if (o >= 0) perOutcome[o] = (perOutcome[o] as number) + p;
    }
  }

  const replay = (choices: readonly number[]) => replayChoices(m, s0, prefix, choices);
  const choicesTo = (id: number) => choicesOf(parent.a, parentChoice.a, id);

  // The shortest counterexample: from the root when the search is complete (the
  // figure over the whole graph), else the shortest path to a violation seen so far.
  const start = complete ? { len: minViol.a[0] as number, path: [], node: 0 } : best;
  let counterexample: number[] | null = null;
  if (start.node >= 0 && start.len !== NONE) {
    const { state } = replay(start.path);
    const choices = start.path.slice();
    for (let n = start.node; n >= 0 && (minViol.a[n] as number) > 0;) {
      const t = minChoice.a[n] as number;
      choices.push(t);
      m.stepInPlace(state, t);
      m.settleInPlace(state, t);
      n = store.find(state);
    }
    counterexample = replay(choices).schedule;
  }

  const kindsOf = (mask: number) => KINDS.filter((_, i) => mask & (1 << i));
  const countByKind = (f: (i: number) => number) => {
    const r: Partial<Record<CheckKind, number>> = {};
    KINDS.forEach((k, i) => f(i) && (r[k] = f(i)));
    return r;
  };
  // Violating final states first (each group in discovery order), as many as asked for.
  const ids = outNode.map((_, o) => o);
  const listed = [...ids.filter((o) => outKinds[o]), ...ids.filter((o) => !outKinds[o])].slice(
    0,
    options.maxOutcomes ?? Infinity,
  );
  return {
    executions: complete ? (execs.a[0] as number) : null,
    states,
    distinctOutcomes: outNode.length,
    violatingOutcomes,
    outcomesByKind: countByKind((i) => outcomesByKind[i] as number),
    violatingExecutions: complete ? (viol.a[0] as number) : null,
    violationsByKind: complete
      ? countByKind((i) =>
          kindRow.a[0] ? (byKind.a[((kindRow.a[0] as number) - 1) * K + i] as number) : 0,
        )
      : {},
    complete,
    stopReason,
    counterexample,
    reduction: por ? 'por+hash' : 'none',
    method: 'state-graph',
    lockRules: lockGraph.result(),
    steps: searchSteps,
    bytes: bytesHeld(),
    ...(outRows && {
      outcomeTable: {
        count: outNode.length,
        width: outVec.length,
        vectors: outRows.a.slice(0, outRows.length),
        masks: Uint8Array.from(outKinds),
        executions: complete ? perOutcome : null,
        witness: witnessesFrom(m, s0, prefix, parent.a, parentChoice.a, outNode),
      },
    }),
    outcomes: listed.map((o) => {
      const { schedule, state } = replay(choicesTo(outNode[o] as number));
      return {
        key: outStore.keyOf(outcomeVector(m, state, false, outVec)),
        violations: kindsOf(outKinds[o] as number),
        witness: schedule,
        executions: complete ? (perOutcome[o] as number) : null,
        state,
      };
    }),
  };
}
