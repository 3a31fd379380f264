import type { ScenarioInstance } from './model';
import { Machine } from './machine';
import { LockGraph } from './lockGraph';
import { outcomeVector } from './stateStore';
import { countByKind, kindsOf, type ExploreResult, type StopReason } from './exploreTypes';
import type { PartitionSummary } from './partitionWorker';
import { choicesTo as choicesOf, replayChoices, witnessesFrom } from './outcomeTable';
import { joinParts } from './partitionJoin';
import { NONE, schedulesPerOutcome, walkSerialOrder } from './partitionWalk';

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
 * Joins the workers' parts into one graph (partitionJoin.ts) and replays
 * exploreGraph.ts's bookkeeping over it without stepping (partitionWalk.ts),
 * so that discovery order, witnesses, outcome order, the livelock check and
 * the lock rules' sightings come out as the serial search's, and the counts
 * and the shortest counterexample to the last bit. Then the result, built
 * as exploreGraph.ts builds its own. A stopped search's graph has
 * unresolved edges: they are left out, and the figures that need the whole
 * graph are null.
 */
export function mergePartitions(
  inst: ScenarioInstance,
  parts: readonly PartitionSummary[],
  opt: MergeOptions,
): ExploreResult {
  const m = new Machine(inst);
  const complete = opt.stopReason === null;
  const prefix: number[] = [];
  const s0 = m.initial();
  for (let t = 0; t < m.threadCount; t++) m.settleInPlace(s0, t, prefix);
  const initialSteps = m.quietSteps;
  const outBase = outcomeVector(m, s0, true);
  const { graph: g, outStore, rows } = joinParts(parts, outBase, opt.rootOwner, !!opt.keepOutcomes);
  const lockGraph = new LockGraph(m);
  const w = walkSerialOrder(g, lockGraph);
  const { outNode, outKinds } = w;
  const perOutcome = complete ? schedulesPerOutcome(g, w) : new Float64Array(outNode.length);

  const replay = (choices: readonly number[]) => replayChoices(m, s0, prefix, choices);
  // The shortest counterexample: follow the first successor on a shortest path to a violation.
  let counterexample: number[] | null = null;
  if (g.n > 0 && w.minViol[g.root] !== NONE) {
    const choices: number[] = [];
    for (let n = g.root; (w.minViol[n] as number) > 0;) {
      const t = w.minChoice[n] as number;
      choices.push(t);
      let e = g.edgeStart[n] as number;
      while (g.choice[e] !== t) e++;
      n = g.target[e] as number;
    }
    counterexample = replay(choices).schedule;
  }

  const outcomesByKind = (i: number) => outKinds.reduce((a, mk) => a + ((mk >> i) & 1), 0);
  const outVec = new Int32Array(outBase.length);
  const ids = outNode.map((_, o) => o);
  const listed = [...ids.filter((o) => outKinds[o]), ...ids.filter((o) => !outKinds[o])].slice(
    0,
    opt.maxOutcomes ?? Infinity,
  );
  return {
    executions: complete ? w.executions : null,
    states: complete ? g.n : Math.min(g.n, opt.budget),
    distinctOutcomes: outNode.length,
    violatingOutcomes: outKinds.filter((mk) => mk !== 0).length,
    outcomesByKind: countByKind(outcomesByKind),
    violatingExecutions: complete ? w.violating : null,
    violationsByKind: complete ? countByKind((i) => w.byKind[i] as number) : {},
    complete,
    stopReason: opt.stopReason,
    counterexample,
    reduction: opt.por ? 'por+hash' : 'none',
    method: 'state-graph',
    lockRules: lockGraph.result(),
    steps: initialSteps + parts.reduce((a, p) => a + p.steps, 0),
    bytes: parts.reduce((a, p) => a + p.bytes, 0),
    ...(opt.keepOutcomes && {
      // The serial search's table: rows in discovery order, witnesses from the parent pointers.
      outcomeTable: {
        count: outNode.length,
        width: outBase.length,
        vectors: (() => {
          const v = new Int32Array(outNode.length * outBase.length);
          outNode.forEach((id, o) =>
            v.set(rows[g.outcomeOf[id] as number] as Int32Array, o * outBase.length),
          );
          return v;
        })(),
        masks: Uint8Array.from(outKinds),
        executions: complete ? perOutcome : null,
        witness: witnessesFrom(m, s0, prefix, w.parent, w.parentChoice, outNode),
      },
    }),
    outcomes: listed.map((o) => {
      const { schedule, state } = replay(choicesOf(w.parent, w.parentChoice, outNode[o] as number));
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
