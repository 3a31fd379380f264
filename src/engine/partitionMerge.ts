import type { CheckKind, ScenarioInstance } from './model';
import { Machine } from './machine';
import { ScenarioError } from './errors';
import { LockGraph, type LockObservation } from './lockGraph';
import { StateStore, outcomeVector } from './stateStore';
import { KINDS, type ExploreResult, type StopReason } from './exploreTypes';
import type { PartitionSummary } from './partitionWorker';
import { choicesTo as choicesOf, replayChoices, witnessesFrom } from './outcomeTable';

const NONE = 0x7fffffff;

export interface MergeOptions {
  por: boolean;
  stopReason: StopReason | null;
  budget: number;
  maxOutcomes?: number;
  /** Keep every final state compactly (the outcome map's table), as exploreGraph.ts does. */
  keepOutcomes?: boolean;
  /** The worker that owns the initial state. */
  rootOwner: number;
}

/**
 * Joins the workers' parts into one graph and runs exploreGraph.ts's
 * bookkeeping over it, without stepping: a depth-first search in the same
 * order as the serial one (successors in stubborn-set order), so discovery
 * order, parent pointers (witnesses), post-order, outcome order, the
 * livelock check and the lock rules' first and last sightings all come out
 * as the serial search's. Counts and the shortest counterexample depend on
 * the graph only, and are summed in the same order, so they are equal to
 * the last bit. A stopped search's graph has unresolved edges (-1): they
 * are left out, and the figures that need the whole graph are null.
 */
export function mergePartitions(
  inst: ScenarioInstance,
  parts: readonly PartitionSummary[],
  opt: MergeOptions,
): ExploreResult {
  const m = new Machine(inst);
  const K = KINDS.length;
  const complete = opt.stopReason === null;
  const prefix: number[] = [];
  const s0 = m.initial();
  for (let t = 0; t < m.threadCount; t++) m.settleInPlace(s0, t, prefix);
  const initialSteps = m.quietSteps;

  // Global ids: worker w's local id i is stateOff[w] + i; its edge e is edgeOff[w] + e.
  const stateOff: number[] = [];
  const edgeOff: number[] = [];
  let N = 0;
  let E = 0;
  for (const p of parts) {
    stateOff.push(N);
    edgeOff.push(E);
    N += p.states;
    E += p.choice.length;
  }
  const edgeStart = new Int32Array(N);
  const edgeCount = new Uint16Array(N);
  const mask = new Uint8Array(N);
  const choice = new Uint8Array(E);
  const target = new Int32Array(E).fill(-1);
  const obsStart = new Int32Array(N);
  const obsCount = new Uint8Array(N);
  const outcomeOf = new Int32Array(N);
  const outBase = outcomeVector(m, s0, true);
  const outStore = new StateStore(outBase);
  const obsIds = new Map<string, number>();
  const obsList: LockObservation[] = [];
  const obsAll: number[] = [];
  /** Each global outcome's vector, by global id (only to build the outcome table). */
  const rows: Int32Array[] = [];
  parts.forEach((p, w) => {
    const so = stateOff[w] as number;
    const eo = edgeOff[w] as number;
    for (let i = 0; i < p.states; i++) {
      edgeStart[so + i] = eo + (p.edgeStart[i] as number);
      edgeCount[so + i] = p.edgeCount[i] as number;
      mask[so + i] = p.mask[i] as number;
    }
    choice.set(p.choice, eo);
    for (let j = 0; j < p.incoming.length; j += 3) {
      const src = p.incoming[j] as number;
      const to = so + (p.incoming[j + 2] as number);
      target[(edgeOff[src] as number) + (p.incoming[j + 1] as number)] = to;
    }
    // Outcomes by identity across workers: a local outcome id to a global one.
    const L = outBase.length;
    const global = Array.from({ length: p.outcomes.length / L }, (_, o) => {
      const row = p.outcomes.subarray(o * L, (o + 1) * L);
      const id = outStore.add(row);
      if (id >= 0 && opt.keepOutcomes) rows[id] = row.slice();
      return id < 0 ? ~id : id;
    });
    for (let i = 0; i < p.states; i++) {
      const o = p.outcome[i] as number;
      outcomeOf[so + i] = o < 0 ? -1 : (global[o] as number);
    }
    const ids = p.obsTable.map((key) => {
      let id = obsIds.get(key);
      if (id === undefined) {
        obsIds.set(key, (id = obsList.length));
        obsList.push(JSON.parse(key) as LockObservation);
      }
      return id;
    });
    for (let i = 0; i < p.states; i++) {
      obsStart[so + i] = obsAll.length;
      obsCount[so + i] = p.obsCount[i] as number;
      const a = p.obsStart[i] as number;
      for (let j = 0; j < (p.obsCount[i] as number); j++)
        obsAll.push(ids[p.obs[a + j] as number] as number);
    }
  });
  // The root owner added the initial state first, in the first round.
  const root = stateOff[opt.rootOwner] ?? 0;

  // The serial search's bookkeeping, in its order (see exploreGraph.ts's visit).
  const status = new Uint8Array(N); // 0 unseen, 1 on the path, 2 finished
  const execs = new Float64Array(N);
  const viol = new Float64Array(N);
  const byKind = new Float64Array(N * K);
  const minViol = new Int32Array(N).fill(NONE);
  const minChoice = new Int16Array(N);
  const parent = new Int32Array(N).fill(-1);
  const parentChoice = new Int16Array(N).fill(-1);
  const order = new Int32Array(N);
  let orderLen = 0;
  const outNode: number[] = [];
  const outKinds: number[] = [];
  const outIndex = new Int32Array(outStore.size).fill(-1);
  const outcomesByKind = new Float64Array(K);
  let violatingOutcomes = 0;
  const lockGraph = new LockGraph(m);
  // An observation is applied unless nothing changed since it last was (then it changes nothing).
  const obsVersion = new Int32Array(obsList.length).fill(-1);
  let version = 0;

  const enter = (id: number, from: number, t: number): boolean => {
    status[id] = 1;
    parent[id] = from;
    parentChoice[id] = t;
    for (let j = 0; j < (obsCount[id] as number); j++) {
      const o = obsAll[(obsStart[id] as number) + j] as number;
      if (obsVersion[o] === version) continue;
      if (lockGraph.apply(obsList[o] as LockObservation)) version++;
      obsVersion[o] = version;
    }
    const g = outcomeOf[id] as number;
    if (g < 0) return true;
    const mk = mask[id] as number;
    if ((outIndex[g] as number) < 0) {
      outIndex[g] = outNode.length;
      outNode.push(id);
      outKinds.push(mk);
      if (mk) violatingOutcomes++;
      for (let i = 0; i < K; i++)
        if (mk & (1 << i)) outcomesByKind[i] = (outcomesByKind[i] as number) + 1;
    }
    execs[id] = 1;
    viol[id] = mk ? 1 : 0;
    for (let i = 0; i < K; i++) byKind[id * K + i] = mk & (1 << i) ? 1 : 0;
    minViol[id] = mk ? 0 : NONE;
    status[id] = 2;
    order[orderLen++] = id;
    return false;
  };
  const add = (id: number, c: number, t: number) => {
    execs[id] = (execs[id] as number) + (execs[c] as number);
    viol[id] = (viol[id] as number) + (viol[c] as number);
    // A child with no violating path has no per-kind counts: adding its zeros changes nothing.
    if (viol[c] !== 0)
      for (let i = 0; i < K; i++)
        byKind[id * K + i] = (byKind[id * K + i] as number) + (byKind[c * K + i] as number);
    const v = minViol[c] as number;
    if (v !== NONE && v + 1 < (minViol[id] as number)) {
      minViol[id] = v + 1;
      minChoice[id] = t;
    }
  };

  if (N > 0) {
    const stack: number[] = [];
    const slot: number[] = [];
    const path: number[] = [];
    if (enter(root, -1, -1)) {
      stack.push(root);
      slot.push(0);
    }
    while (stack.length > 0) {
      const top = stack.length - 1;
      const id = stack[top] as number;
      const j = slot[top] as number;
      if (j < (edgeCount[id] as number)) {
        slot[top] = j + 1;
        const e = (edgeStart[id] as number) + j;
        const c = target[e] as number;
        if (c < 0) continue;
        const t = choice[e] as number;
        if (status[c] === 1)
          throw new ScenarioError(
            `livelock: schedule ${[...path, t].join('.')} returns to a state already on its path (a loop that makes no progress)`,
          );
        if (status[c] === 2) add(id, c, t);
        else if (enter(c, id, t)) {
          stack.push(c);
          slot.push(0);
          path.push(t);
        } else add(id, c, t);
        continue;
      }
      status[id] = 2;
      order[orderLen++] = id;
      stack.pop();
      slot.pop();
      if (stack.length > 0) {
        path.pop();
        add(stack[stack.length - 1] as number, id, parentChoice[id] as number);
      }
    }
  }

  const perOutcome = new Float64Array(outNode.length);
  if (complete) {
    const paths = new Float64Array(N);
    paths[root] = 1;
    for (let i = orderLen - 1; i >= 0; i--) {
      const n = order[i] as number;
      const p = paths[n] as number;
      const e0 = edgeStart[n] as number;
      for (let j = 0; j < (edgeCount[n] as number); j++) {
        const c = target[e0 + j] as number;
        paths[c] = (paths[c] as number) + p;
      }
      const g = outcomeOf[n] as number;
      if (g >= 0) {
        const o = outIndex[g] as number;
        perOutcome[o] = (perOutcome[o] as number) + p;
      }
    }
  }

  const replay = (choices: readonly number[]) => replayChoices(m, s0, prefix, choices);
  const choicesTo = (id: number) => choicesOf(parent, parentChoice, id);
  // The shortest counterexample: follow the first successor on a shortest path to a violation.
  let counterexample: number[] | null = null;
  if (N > 0 && minViol[root] !== NONE) {
    const choices: number[] = [];
    for (let n = root; (minViol[n] as number) > 0;) {
      const t = minChoice[n] as number;
      choices.push(t);
      const e0 = edgeStart[n] as number;
      let j = 0;
      while (choice[e0 + j] !== t) j++;
      n = target[e0 + j] as number;
    }
    counterexample = replay(choices).schedule;
  }

  const kindsOf = (mk: number) => KINDS.filter((_, i) => mk & (1 << i));
  const countByKind = (f: (i: number) => number) => {
    const r: Partial<Record<CheckKind, number>> = {};
    KINDS.forEach((k, i) => f(i) && (r[k] = f(i)));
    return r;
  };
  const outVec = new Int32Array(outBase.length);
  const ids = outNode.map((_, o) => o);
  const listed = [...ids.filter((o) => outKinds[o]), ...ids.filter((o) => !outKinds[o])].slice(
    0,
    opt.maxOutcomes ?? Infinity,
  );
  const searchSteps = initialSteps + parts.reduce((a, p) => a + p.steps, 0);
  return {
    executions: complete ? (execs[root] as number) : null,
    states: complete ? N : Math.min(N, opt.budget),
    distinctOutcomes: outNode.length,
    violatingOutcomes,
    outcomesByKind: countByKind((i) => outcomesByKind[i] as number),
    violatingExecutions: complete ? (viol[root] as number) : null,
    violationsByKind: complete ? countByKind((i) => byKind[root * K + i] as number) : {},
    complete,
    stopReason: opt.stopReason,
    counterexample,
    reduction: opt.por ? 'por+hash' : 'none',
    method: 'state-graph',
    lockRules: lockGraph.result(),
    steps: searchSteps,
    bytes: parts.reduce((a, p) => a + p.bytes, 0),
    ...(opt.keepOutcomes && {
      // The serial search's table: rows in discovery order, witnesses from the parent pointers.
      outcomeTable: {
        count: outNode.length,
        width: outBase.length,
        vectors: (() => {
          const v = new Int32Array(outNode.length * outBase.length);
          outNode.forEach((id, o) =>
            v.set(rows[outcomeOf[id] as number] as Int32Array, o * outBase.length),
          );
          return v;
        })(),
        masks: Uint8Array.from(outKinds),
        executions: complete ? perOutcome : null,
        witness: witnessesFrom(m, s0, prefix, parent, parentChoice, outNode),
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
