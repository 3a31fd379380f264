import type { ScenarioInstance } from './model';
import { Machine } from './machine';
import { finalConditions } from './checks';
import { ScenarioError } from './errors';
import { StubbornSets } from './por';
import { LockGraph } from './lockGraph';
import { StateStore, outcomeVector } from './stateStore';
import { Growable } from './growable';
import { SteppedState } from './steppedState';
import { GraphRecords, NONE, OPEN } from './graphRecords';
import { graphResult, type Best } from './graphResult';
import { KINDS, type ExploreOptions, type ExploreResult, type StopReason } from './exploreTypes';

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
 * known about a state in GraphRecords, by id: no per-state objects or
 * strings. The search steps one state buffer into a successor and back
 * (SteppedState: an undo log, and the store's hash and encoding updated
 * only for the ints a step changed). A stopped search (budget, memory,
 * cancel) keeps what it found: the final states reached, a witness for each
 * (the path that discovered it, from the parent pointers), and its shortest
 * counterexample. graphResult.ts turns the searched graph into the result.
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
  const now = options.now ?? (() => performance.now());
  let lastReport = now();

  const prefix: number[] = [];
  const s0 = m.initial();
  for (let t = 0; t < T; t++) m.settleInPlace(s0, t, prefix);

  const store = new StateStore(s0);
  const outStore = new StateStore(outcomeVector(m, s0, true));
  const outVec = new Int32Array(m.shape.memSize + T);
  const rec = new GraphRecords(K);
  // Per outcome (by id in outStore).
  const outNode: number[] = [];
  const outKinds: number[] = [];
  const outcomesByKind = new Float64Array(K);
  let violatingOutcomes = 0;
  /** Outcome vectors, row by row, for the outcome map (only when asked: they cost memory). */
  let outRows = options.keepOutcomes ? new Growable(Int32Array) : null;
  const bytesHeld = () => store.bytes + outStore.bytes + rec.bytes + (outRows?.bytes ?? 0);

  /** The state being visited: stepped forward into a child and back (an undo log, no copies). */
  const cur = new SteppedState(m, store, s0);
  const s = cur.s;
  const path: number[] = [];
  /** Children of the state at each depth, before they go to `edges` (contiguous per state). */
  const kidsAt: Int32Array[] = [];
  /** Runnable and chosen threads at each depth (the loop over them outlives the recursion). */
  const runAt: Int32Array[] = [];
  const chosenAt: Int32Array[] = [];
  let best: Best = { len: NONE, path: [], node: -1 };
  const candidate = (id: number) => {
    const v = rec.minViol(id);
    if (v !== NONE && path.length + v < best.len)
      best = { len: path.length + v, path: path.slice(), node: id };
  };

  const finalState = (id: number) => {
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
    rec.hot[4 * id] = 1;
    rec.hot[4 * id + 1] = mask ? 1 : 0;
    if (mask) {
      const r = rec.rowOf(id);
      const byKind = rec.byKind.a;
      for (let i = 0; i < K; i++) byKind[r + i] = mask & (1 << i) ? 1 : 0;
    }
    rec.hot32[8 * id + 4] = mask ? 0 : NONE;
    rec.hot32[8 * id + 6] = o;
    if (mask && options.stopAtFirstViolation) throw new Stop('first-violation');
  };

  const visit = (d: number, from: number, choice: number): number => {
    const added = store.addMarked(s, cur.nz, cur.hash);
    if (added < 0) {
      const id = ~added;
      if (rec.minViol(id) === OPEN)
        throw new ScenarioError(
          `livelock: schedule ${path.join('.')} returns to a state already on its path (a loop that makes no progress)`,
        );
      candidate(id);
      return id;
    }
    const id = added;
    if (id >= budget) throw new Stop('states');
    if (id >= rec.capacity) rec.ensure(id + 1);
    rec.parent.a[id] = from;
    rec.parentChoice.a[id] = choice;
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
    if (nRun === 0) finalState(id);
    else {
      rec.hot32[8 * id + 4] = OPEN;
      rec.hot32[8 * id + 6] = -1;
      const kids = (kidsAt[d] ??= new Int32Array(T));
      let nk = 0;
      const chosen = (chosenAt[d] ??= new Int32Array(T));
      const nChosen = por ? por.chooseInto(s, runnable, nRun, chosen) : nRun;
      const ts = por ? chosen : runnable;
      const hash = cur.hash;
      let execs = 0;
      let viol = 0;
      let minViol = NONE;
      let minChoice = 0;
      for (let j = 0; j < nChosen; j++) {
        const t = ts[j] as number;
        const at = cur.step(t);
        path.push(t);
        const c = visit(d + 1, id, t);
        path.pop();
        cur.undo(at, hash);
        kids[nk++] = c;
        // The child's record: one cache line (the arrays may have grown during the visit).
        const hot = rec.hot;
        execs += hot[4 * c] as number;
        const vc = hot[4 * c + 1] as number;
        // A child with no violating schedule has every per-kind count 0.
        if (vc !== 0) {
          viol += vc;
          const r = rec.rowOf(id);
          const rc = rec.kindCounts(c) as number;
          const byKind = rec.byKind.a;
          for (let i = 0; i < K; i++)
            byKind[r + i] = (byKind[r + i] as number) + (byKind[rc + i] as number);
        }
        const v = rec.hot32[8 * c + 4] as number;
        if (v !== NONE && v + 1 < minViol) {
          minViol = v + 1;
          minChoice = t;
        }
      }
      const hot = rec.hot;
      hot[4 * id] = execs;
      hot[4 * id + 1] = viol;
      rec.hot32[8 * id + 4] = minViol;
      rec.hot32[8 * id + 7] = minChoice;
      rec.edgeStart.a[id] = rec.edges.length;
      rec.edgeCount.a[id] = nk;
      for (let j = 0; j < nk; j++) rec.edges.push(kids[j] as number);
    }
    rec.order.push(id);
    candidate(id);
    return id;
  };

  let stopReason: StopReason | null = null;
  try {
    visit(0, -1, -1);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    stopReason = e.reason;
  } finally {
    cur.detach();
  }
  const steps = m.quietSteps;
  const states = Math.min(store.size, budget);
  options.onProgress?.({
    phase: 'building-report',
    states,
    outcomes: outNode.length,
    violatingOutcomes,
    bytes: bytesHeld(),
    ...(stopReason && { stopReason }),
  });
  return graphResult(
    { m, s0, prefix, store, outStore, outVec, rec, best, stopReason, states },
    { outNode, outKinds, outcomesByKind, violatingOutcomes, outRows },
    {
      reduction: por ? 'por+hash' : 'none',
      lockRules: lockGraph.result(),
      bytes: bytesHeld(),
      steps,
    },
    options,
  );
}
