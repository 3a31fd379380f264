import type { LockObservation } from './lockGraph';
import { StateStore } from './stateStore';
import type { PartitionSummary } from './partitionWorker';
import type { JoinedGraph } from './partitionWalk';
import { loadRecord, recordEnd } from './partitionWire';

/**
 * The workers' parts as one graph in global ids: worker w's local state i is
 * `stateOff[w] + i` and its local edge e is `edgeOff[w] + e`. Each edge's
 * target comes from the worker that received it (its `incoming` triples);
 * outcomes and lock observations, numbered per worker, are numbered again
 * across workers by identity. Flat copies only: no per-state objects.
 */
export function joinParts(
  parts: readonly PartitionSummary[],
  outBase: Int32Array,
  rootOwner: number,
  keepRows: boolean,
): { graph: JoinedGraph; outStore: StateStore; rows: Int32Array[] } {
  const stateOff: number[] = [];
  const edgeOff: number[] = [];
  let N = 0;
  let E = 0;
  let O = 0;
  for (const p of parts) {
    stateOff.push(N);
    edgeOff.push(E);
    N += p.states;
    E += p.choice.length;
    O += p.obs.length;
  }
  const edgeStart = new Int32Array(N);
  const edgeCount = new Uint16Array(N);
  const mask = new Uint8Array(N);
  const choice = new Uint8Array(E);
  const target = new Int32Array(E).fill(-1);
  const outcomeOf = new Int32Array(N);
  const obsStart = new Int32Array(N);
  const obsCount = new Uint8Array(N);
  const obs = new Int32Array(O);
  const outStore = new StateStore(outBase);
  /** Each global outcome's vector, by global id (only to build the outcome table). */
  const rows: Int32Array[] = [];
  const obsIds = new Map<string, number>();
  const obsList: LockObservation[] = [];
  const row = new Int32Array(outBase.length);
  let obsAt = 0;
  parts.forEach((p, w) => {
    const so = stateOff[w] as number;
    const eo = edgeOff[w] as number;
    for (let i = 0; i < p.states; i++) edgeStart[so + i] = eo + (p.edgeStart[i] as number);
    edgeCount.set(p.edgeCount, so);
    mask.set(p.mask, so);
    choice.set(p.choice, eo);
    const inc = p.incoming;
    for (let j = 0; j < inc.length; j += 3)
      target[(edgeOff[inc[j] as number] as number) + (inc[j + 1] as number)] =
        so + (inc[j + 2] as number);
    // Outcomes by identity across workers: a local outcome id to a global one.
    const global: number[] = [];
    for (let at = 0; at < p.outcomes.length; at = recordEnd(p.outcomes, at)) {
      loadRecord(p.outcomes, at, outBase, row);
      const id = outStore.add(row);
      if (id >= 0 && keepRows) rows[id] = row.slice();
      global.push(id < 0 ? ~id : id);
    }
    for (let i = 0; i < p.states; i++) {
      const o = p.outcome[i] as number;
      outcomeOf[so + i] = o < 0 ? -1 : (global[o] as number);
    }
    const ids = Int32Array.from(p.obsTable, (key) => {
      let id = obsIds.get(key);
      if (id === undefined) {
        obsIds.set(key, (id = obsList.length));
        obsList.push(JSON.parse(key) as LockObservation);
      }
      return id;
    });
    // A worker writes each state's observations in one run, so its runs stay contiguous here.
    for (let j = 0; j < p.obs.length; j++) obs[obsAt + j] = ids[p.obs[j] as number] as number;
    for (let i = 0; i < p.states; i++) obsStart[so + i] = obsAt + (p.obsStart[i] as number);
    obsCount.set(p.obsCount, so);
    obsAt += p.obs.length;
  });
  const graph: JoinedGraph = {
    n: N,
    // The root owner added the initial state first, in the first round.
    root: stateOff[rootOwner] ?? 0,
    edgeStart,
    edgeCount,
    choice,
    target,
    mask,
    outcomeOf,
    outcomes: outStore.size,
    obsStart,
    obsCount,
    obs,
    obsList,
  };
  return { graph, outStore, rows };
}
