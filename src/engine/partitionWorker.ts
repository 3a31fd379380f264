import { Machine } from './machine';
import { finalConditions } from './checks';
import { StubbornSets } from './por';
import { LockGraph } from './lockGraph';
import { StateStore, outcomeVector } from './stateStore';
import { Growable } from './growable';
import { KINDS } from './exploreTypes';
import { ObservationLog } from './partitionObservations';
import {
  fmix,
  ownerOf,
  loadRecord,
  putRecord,
  putSuccessor,
  readBatch,
  startBatch,
  type Batch,
  type PartitionInit,
  type PartitionSummary,
} from './partitionWire';

export type { Batch, PartitionInit, PartitionSummary } from './partitionWire';

/** States a worker expands per round at most: rounds stay short, so stops come soon. */
export const PER_ROUND = 32768;

/**
 * One worker of the hash-partitioned search (partition.ts): it owns the
 * states whose hash picks it, keeps them in its own StateStore, and expands
 * each once — runnable threads, the stubborn set, step and settle, the
 * final-state checks, the lock observations — exactly as exploreGraph.ts
 * does. Each successor goes, as its difference from the initial state, to
 * the worker that owns it, with the edge it came by; the owner resolves the
 * edge to its own local id. No globals: node's worker_threads, Web Workers
 * and the in-process tests all drive this same class.
 */
export class PartitionWorker {
  readonly m: Machine;
  private readonly s0: Int32Array;
  private readonly store: StateStore;
  private readonly outStore: StateStore;
  private readonly por: StubbornSets | null;
  private readonly baseSteps: number;
  private readonly edgeStart = new Growable(Int32Array);
  private readonly edgeCount = new Growable(Uint16Array);
  private readonly mask = new Growable(Uint8Array);
  private readonly outcome = new Growable(Int32Array);
  private readonly choice = new Growable(Uint8Array);
  /** This worker's distinct outcome vectors, as records (putRecord) against `outBase`. */
  private readonly outcomes = new Growable(Uint8Array);
  private readonly outBase: Int32Array;
  private readonly outPairs: Int32Array;
  private readonly incoming = new Growable(Int32Array);
  private readonly obs: ObservationLog;
  /** Runnable and chosen threads of the state being expanded (reused: the hot loop allocates nothing). */
  private readonly runBuf: Int32Array;
  private readonly chosenBuf: Int32Array;
  private readonly state: Int32Array;
  /** Scratch for one successor's (index, value) pairs. */
  private readonly pairs: Int32Array;
  private readonly next: Int32Array;
  private readonly outVec: Int32Array<ArrayBuffer>;
  /** Outgoing successors per destination worker. */
  private out: Growable<Uint8Array>[] = [];
  /** States received but not expanded: records (putRecord, headed by the id) and where each starts. */
  private readonly pend = new Growable(Uint8Array, 65536);
  private readonly pendAt = new Growable(Int32Array);
  private violating = 0;

  constructor(private readonly init: PartitionInit) {
    this.m = new Machine(init.inst);
    const s0 = this.m.initial();
    for (let t = 0; t < this.m.threadCount; t++) this.m.settleInPlace(s0, t);
    this.baseSteps = this.m.quietSteps;
    this.s0 = s0;
    this.store = new StateStore(s0);
    this.outBase = outcomeVector(this.m, s0, true);
    this.outStore = new StateStore(this.outBase);
    this.outPairs = new Int32Array(2 * this.outBase.length);
    this.por = init.por ? new StubbornSets(this.m) : null;
    this.obs = new ObservationLog(new LockGraph(this.m));
    this.state = s0.slice();
    this.next = s0.slice();
    this.pairs = new Int32Array(2 * s0.length);
    this.outVec = new Int32Array(this.m.shape.memSize + this.m.threadCount);
    this.runBuf = new Int32Array(this.m.threadCount);
    this.chosenBuf = new Int32Array(this.m.threadCount);
  }

  /** The worker that owns the initial state (whose difference is empty). */
  static rootOwner(workers: number): number {
    return ownerOf(fmix(0x811c9dc5 | 0), workers);
  }

  /** Progress figures of this worker alone (see RoundReply). */
  totals(): {
    states: number;
    pending: number;
    bytes: number;
    outcomes: number;
    violatingOutcomes: number;
  } {
    const { size } = this.store;
    return {
      states: size,
      pending: this.pendAt.length,
      bytes: this.bytes,
      outcomes: this.outStore.size,
      violatingOutcomes: this.violating,
    };
  }

  get bytes(): number {
    const gs = [this.edgeStart, this.edgeCount, this.mask, this.outcome, this.choice];
    const more = [this.outcomes, this.incoming, this.pend];
    const held = [...gs, ...more].reduce((a, g) => a + g.bytes, 0);
    return this.store.bytes + this.outStore.bytes + this.obs.bytes + held;
  }

  /**
   * One round: adds the successors sent here (the root too, when `root`),
   * expands every state new to this worker, and returns the successors for
   * each worker (an empty array: none).
   */
  round(incoming: readonly Batch[], root: boolean, limit = PER_ROUND): Batch[] {
    // The batches are reused from round to round (their contents leave as copies).
    if (this.out.length === 0)
      this.out = Array.from({ length: this.init.workers }, () => new Growable(Uint8Array, 16384));
    for (const b of this.out) startBatch(b, this.init.index);
    const head = (this.out[0] as Growable<Uint8Array>).length;
    this.state.set(this.s0);
    if (root) {
      this.fresh(this.store.add(this.s0));
      this.pendAt.push(this.pend.length);
      putRecord(this.pend, 0, this.pairs, 0, 0, this.s0);
    }
    for (const batch of incoming) this.receive(batch);
    // A bounded number per round, so that a stop comes within one short round; newest
    // first (a stack: its records are freed as they are expanded).
    for (let k = 0; k < limit && this.pendAt.length > 0; k++) {
      const at = this.pendAt.a[--this.pendAt.length] as number;
      const id = loadRecord(this.pend.a, at, this.s0, this.state);
      this.pend.length = at;
      this.expand(id);
    }
    return this.out.map((b) => (b.length > head ? b.a.slice(0, b.length) : new Uint8Array(0)));
  }

  /** Adds the successors of a batch (partitionWire.ts). */
  private receive(batch: Batch): void {
    const pairs = this.pairs;
    readBatch(batch, this.s0, pairs, (source, edge, n) => this.accept(source, edge, pairs, 0, n));
  }

  /**
   * Adds the successor reached by `source`'s edge `edge`, given as `n`
   * (index, value) pairs from `pairs[from]`: a new state goes on the pending
   * stack (putRecord, headed by its id); either way the edge is resolved to its local id.
   */
  private accept(source: number, edge: number, pairs: Int32Array, from: number, n: number): void {
    const added = this.store.addPairs(pairs, from, n);
    if (added >= 0) {
      this.fresh(added);
      this.pendAt.push(this.pend.length);
      putRecord(this.pend, added, pairs, from, n, this.s0);
    }
    const inc = this.incoming;
    if (inc.length + 3 > inc.a.length) inc.ensure(inc.length + 3);
    inc.a[inc.length] = source;
    inc.a[inc.length + 1] = edge;
    inc.a[inc.length + 2] = added < 0 ? ~added : added;
    inc.length += 3;
  }

  /** Room for new state `id`, marked not expanded (no edges, not final) until it is. */
  private fresh(id: number): void {
    if (id >= this.edgeStart.a.length) {
      for (const g of [this.edgeStart, this.outcome]) g.ensure(id + 1);
      this.mask.ensure(id + 1);
      this.edgeCount.ensure(id + 1);
      this.obs.ensure(id);
    }
    this.outcome.a[id] = -1;
  }

  /** Expands local state `id`, which loadRecord put in `state`. */
  private expand(id: number): void {
    const m = this.m;
    const s = this.state;
    const T = m.threadCount;
    this.obs.record(id, s, T);
    const runnable = this.runBuf;
    const nRun = m.runnableInto(s, runnable);
    this.edgeStart.a[id] = this.choice.length;
    this.outcome.a[id] = -1;
    if (nRun === 0) {
      this.finalState(id, s);
      return;
    }
    const next = this.next;
    const chosen = this.chosenBuf;
    const nk = this.por ? this.por.chooseInto(s, runnable, nRun, chosen) : nRun;
    const ts = this.por ? chosen : runnable;
    for (let j = 0; j < nk; j++) {
      const t = ts[j] as number;
      next.set(s);
      m.stepInPlace(next, t);
      m.settleInPlace(next, t);
      this.send(next, this.choice.length);
      this.choice.push(t);
    }
    this.edgeCount.a[id] = nk;
  }

  private finalState(id: number, s: Int32Array): void {
    const kinds = new Set(finalConditions(this.m, s).map((c) => c.kind));
    let mask = 0;
    KINDS.forEach((k, i) => kinds.has(k) && (mask |= 1 << i));
    this.mask.a[id] = mask;
    const v = outcomeVector(this.m, s, false, this.outVec);
    let o = this.outStore.add(v);
    if (o >= 0) {
      // Only what differs from the base: a final state's vector is mostly the initial memory.
      const base = this.outBase;
      const pairs = this.outPairs;
      let k = 0;
      for (let i = 0; i < v.length; i++)
        if (v[i] !== base[i]) {
          pairs[k++] = i;
          pairs[k++] = v[i] as number;
        }
      putRecord(this.outcomes, o, pairs, 0, k >> 1, base);
      if (mask) this.violating++;
    } else o = ~o;
    this.outcome.a[id] = o;
  }

  /**
   * Hands on successor `s` of local edge `edge`, as (index, value) pairs
   * written in one pass to scratch (the owner is known only once the hash
   * is): kept here when this worker owns it — it joins the pending stack at
   * once, no round trip — else copied to its owner's batch.
   */
  private send(s: Int32Array, edge: number): void {
    const s0 = this.s0;
    const a = this.pairs;
    let h = 0x811c9dc5 | 0;
    let k = 0;
    for (let i = 0; i < s.length; i++) {
      const v = s[i] as number;
      const x = (v ^ (s0[i] as number)) | 0;
      if (x === 0) continue;
      h = Math.imul(h ^ i, 0x01000193);
      h = Math.imul(h ^ x, 0x5bd1e995);
      a[k++] = i;
      a[k++] = v;
    }
    const owner = ownerOf(fmix(h), this.init.workers);
    if (owner === this.init.index) return this.accept(owner, edge, a, 0, k >> 1);
    putSuccessor(this.out[owner] as Growable<Uint8Array>, edge, a, k, s0);
  }

  /**
   * The worker's part, as views of its own arrays, not copies (fresh memory
   * costs more to touch than the copy itself): the search is over, and a
   * thread hands the buffers over whole (partitionServer.ts).
   */
  summary(): PartitionSummary {
    const cut = <A extends Int32Array | Uint16Array | Uint8Array>(g: Growable<A>, n: number): A =>
      g.a.subarray(0, n) as A;
    const n = this.store.size;
    return {
      states: n,
      edgeStart: cut(this.edgeStart, n),
      edgeCount: cut(this.edgeCount, n),
      choice: cut(this.choice, this.choice.length),
      mask: cut(this.mask, n),
      outcome: cut(this.outcome, n),
      outcomes: cut(this.outcomes, this.outcomes.length),
      incoming: cut(this.incoming, this.incoming.length),
      obsStart: cut(this.obs.start, n),
      obsCount: cut(this.obs.count, n),
      obs: cut(this.obs.obs, this.obs.obs.length),
      obsTable: this.obs.table.slice(),
      steps: this.m.quietSteps - this.baseSteps,
      bytes: this.bytes,
    };
  }
}
