import { ScenarioError } from './errors';
import type { LockGraph, LockObservation } from './lockGraph';
import { KINDS } from './exploreTypes';

/** No violation below this state (minViol). */
export const NONE = 0x7fffffff;

/** The joined graph of a partitioned search, in global ids (partitionJoin.ts). */
export interface JoinedGraph {
  /** States, and the initial state's id. */
  n: number;
  root: number;
  /** Per state: first edge and edge count (edges in stubborn-set order). */
  edgeStart: Int32Array;
  edgeCount: Uint16Array;
  /** Per edge: the thread stepped, and the state reached (-1: not resolved, a stopped search). */
  choice: Uint8Array;
  target: Int32Array;
  /** Per state: violation mask over KINDS, global outcome id (-1: not final). */
  mask: Uint8Array;
  outcomeOf: Int32Array;
  /** Distinct outcomes over all workers. */
  outcomes: number;
  /** Per state: a run of lock observation ids (into `obsList`) from `obsStart`. */
  obsStart: Int32Array;
  obsCount: Uint8Array;
  obs: Int32Array;
  obsList: LockObservation[];
}

/** What depends on the serial search's order, and the counts over the graph. */
export interface Walk {
  parent: Int32Array;
  parentChoice: Int16Array;
  /** States in post-order (children first) and how many were reached. */
  order: Int32Array;
  reached: number;
  /** Outcomes in discovery order: the state that found each, and its violation mask. */
  outNode: number[];
  outKinds: number[];
  /** Outcome id -> discovery index. */
  outIndex: Int32Array;
  /** Complete schedules (and violating ones, by kind) below the root. */
  executions: number;
  violating: number;
  byKind: Float64Array;
  minViol: Int32Array;
  minChoice: Int16Array;
  /** A per-state Float64Array the counts are done with (schedulesPerOutcome reuses its pages). */
  scratch: Float64Array;
}

/**
 * exploreGraph.ts's depth-first search replayed over the joined graph: no
 * stepping, no hashing, just int arrays. Entering states in the serial
 * order fixes what depends on it: parent pointers (witnesses), outcome
 * order, lock observations applied in the serial order (so the same first
 * and last sightings), and the livelock message. The counts come after, in
 * one pass over the post-order: the serial search adds each child's counts
 * to its parent once per edge, in edge order, whether the child was new or
 * finished already, so summing each state's edges in edge order, children
 * first, gives the same floating-point sums to the last bit.
 */
export function walkSerialOrder(g: JoinedGraph, lockGraph: LockGraph): Walk {
  const { n: N, edgeStart, edgeCount, choice, target, outcomeOf } = g;
  const status = new Uint8Array(N); // 0 unseen, 1 on the path, 2 finished
  const parent = new Int32Array(N).fill(-1);
  const parentChoice = new Int16Array(N).fill(-1);
  const order = new Int32Array(N);
  let reached = 0;
  const outNode: number[] = [];
  const outKinds: number[] = [];
  const outIndex = new Int32Array(g.outcomes).fill(-1);
  // An observation is applied unless nothing changed since it last was (then it changes nothing).
  const obsVersion = new Int32Array(g.obsList.length).fill(-1);
  let version = 0;

  const enter = (id: number, from: number, t: number): boolean => {
    status[id] = 1;
    parent[id] = from;
    parentChoice[id] = t;
    const a = g.obsStart[id] as number;
    for (let j = a, end = a + (g.obsCount[id] as number); j < end; j++) {
      const o = g.obs[j] as number;
      if (obsVersion[o] === version) continue;
      if (lockGraph.apply(g.obsList[o] as LockObservation)) version++;
      obsVersion[o] = version;
    }
    const o = outcomeOf[id] as number;
    if (o < 0) return true;
    if ((outIndex[o] as number) < 0) {
      outIndex[o] = outNode.length;
      outNode.push(id);
      outKinds.push(g.mask[id] as number);
    }
    status[id] = 2;
    order[reached++] = id;
    return false;
  };

  if (N > 0 && enter(g.root, -1, -1)) {
    // As deep as the longest path, not as many as the states: small, and no fresh pages.
    const stack = [g.root];
    const slot = [0];
    let top = 0;
    while (top >= 0) {
      const id = stack[top] as number;
      const j = slot[top] as number;
      if (j < (edgeCount[id] as number)) {
        slot[top] = j + 1;
        const e = (edgeStart[id] as number) + j;
        const c = target[e] as number;
        if (c < 0 || status[c] === 2) continue;
        if (status[c] === 1) {
          const path: number[] = [];
          for (let i = 1; i <= top; i++) path.push(parentChoice[stack[i] as number] as number);
          path.push(choice[e] as number);
          throw new ScenarioError(
            `livelock: schedule ${path.join('.')} returns to a state already on its path (a loop that makes no progress)`,
          );
        }
        if (enter(c, id, choice[e] as number)) {
          stack[++top] = c;
          slot[top] = 0;
        }
        continue;
      }
      status[id] = 2;
      order[reached++] = id;
      top--;
    }
  }
  return {
    parent,
    parentChoice,
    order,
    reached,
    outNode,
    outKinds,
    outIndex,
    ...counts(g, order, reached),
  };
}

/** Executions, violating ones by kind, and distance to a violation, children before parents. */
function counts(g: JoinedGraph, order: Int32Array, reached: number) {
  const K = KINDS.length;
  const { edgeStart, edgeCount, choice, target, mask } = g;
  const execs = new Float64Array(g.n);
  const viol = new Float64Array(g.n);
  // Per-kind rows only for states with a violating path below them (most have none).
  const kindRow = new Int32Array(g.n).fill(-1);
  let byKind = new Float64Array(64 * K);
  let rows = 0;
  const rowOf = (id: number): number => {
    if ((kindRow[id] as number) < 0) {
      if ((rows + 1) * K > byKind.length) {
        const b = new Float64Array(byKind.length * 2);
        b.set(byKind);
        byKind = b;
      }
      kindRow[id] = rows++;
    }
    return (kindRow[id] as number) * K;
  };
  const minViol = new Int32Array(g.n).fill(NONE);
  const minChoice = new Int16Array(g.n);
  for (let i = 0; i < reached; i++) {
    const id = order[i] as number;
    if ((g.outcomeOf[id] as number) >= 0) {
      const mk = mask[id] as number;
      execs[id] = 1;
      if (mk === 0) continue;
      viol[id] = 1;
      minViol[id] = 0;
      const r = rowOf(id);
      for (let k = 0; k < K; k++) byKind[r + k] = mk & (1 << k) ? 1 : 0;
      continue;
    }
    let ex = 0;
    let vi = 0;
    let best = NONE;
    let bestChoice = 0;
    const e0 = edgeStart[id] as number;
    for (let e = e0, end = e0 + (edgeCount[id] as number); e < end; e++) {
      const c = target[e] as number;
      if (c < 0) continue;
      ex += execs[c] as number;
      const vc = viol[c] as number;
      if (vc !== 0) {
        vi += vc;
        const r = rowOf(id);
        const rc = (kindRow[c] as number) * K;
        for (let k = 0; k < K; k++)
          byKind[r + k] = (byKind[r + k] as number) + (byKind[rc + k] as number);
      }
      const v = minViol[c] as number;
      if (v !== NONE && v + 1 < best) {
        best = v + 1;
        bestChoice = choice[e] as number;
      }
    }
    execs[id] = ex;
    viol[id] = vi;
    minViol[id] = best;
    minChoice[id] = bestChoice;
  }
  const rr = g.n > 0 ? (kindRow[g.root] as number) : -1;
  const root = g.n > 0 ? g.root : 0;
  return {
    executions: execs[root] ?? 0,
    violating: viol[root] ?? 0,
    byKind: rr < 0 ? new Float64Array(K) : byKind.slice(rr * K, rr * K + K),
    minViol,
    minChoice,
    scratch: execs,
  };
}

/**
 * Complete schedules ending in each outcome (by discovery index): paths from
 * the root, pushed down in reverse post-order (parents before children).
 */
export function schedulesPerOutcome(g: JoinedGraph, w: Walk): Float64Array {
  const per = new Float64Array(w.outNode.length);
  const paths = w.scratch.fill(0);
  if (g.n === 0) return per;
  paths[g.root] = 1;
  for (let i = w.reached - 1; i >= 0; i--) {
    const n = w.order[i] as number;
    const p = paths[n] as number;
    const e0 = g.edgeStart[n] as number;
    for (let e = e0, end = e0 + (g.edgeCount[n] as number); e < end; e++) {
      const c = g.target[e] as number;
      paths[c] = (paths[c] as number) + p;
    }
    const o = g.outcomeOf[n] as number;
    if (o >= 0) {
      const x = w.outIndex[o] as number;
      per[x] = (per[x] as number) + p;
    }
  }
  return per;
}
