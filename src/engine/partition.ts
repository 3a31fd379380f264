import type { ScenarioInstance } from './model';
import { exploreStateGraph, DEFAULT_BUDGET, DEFAULT_MAX_BYTES } from './exploreGraph';
import type { ExploreOptions, ExploreResult, StopReason } from './exploreTypes';
import { mergePartitions } from './partitionMerge';
import {
  PartitionWorker,
  type Batch,
  type PartitionInit,
  type PartitionSummary,
} from './partitionWorker';

export type { Batch, PartitionInit, PartitionSummary } from './partitionWorker';

/** One round's answer from a worker: successors per destination, and its totals so far. */
export interface RoundReply {
  out: Batch[];
  states: number;
  /** States received and not yet expanded. */
  pending: number;
  bytes: number;
  /** Distinct final states the worker holds, and how many violate (progress only: a final state may sit in two workers). */
  outcomes: number;
  violatingOutcomes: number;
}

/**
 * The workers of one search, however they run: in this thread (tests),
 * node's worker_threads (src/cli/parallel.ts) or Web Workers
 * (src/worker/partitionPool.ts). Worker i was started with
 * `{ ...init, index: i }`.
 */
export interface PartitionPool {
  round(worker: number, incoming: Batch[], root: boolean): Promise<RoundReply>;
  summary(worker: number): Promise<PartitionSummary>;
  close(): void;
}

export type PoolFactory = (init: Omit<PartitionInit, 'index'>) => PartitionPool;

/**
 * exploreStateGraph over several workers, with the same result: each
 * worker owns the states whose hash picks it (partitionWorker.ts), the
 * search goes in rounds (every worker expands a bounded number of the states
 * it was sent, newest first, and the coordinator hands their successors
 * on), and when no state or successor is left mergePartitions replays the serial search's
 * bookkeeping over the whole graph. The reduced graph is the same whatever
 * the order (the stubborn set is a function of the state), so a complete
 * search gives exploreStateGraph's result field for field (`bytes`, an
 * estimate of what was held, aside). A stop for memory or a cancel is
 * checked between rounds, so it can overshoot by one round; its result is
 * honest (incomplete) but need not be the serial one's. A budget stop hands
 * over to the serial search (see below).
 */
export async function explorePartitioned(
  inst: ScenarioInstance,
  workers: number,
  makePool: PoolFactory,
  options: ExploreOptions = {},
): Promise<ExploreResult> {
  // The first violation in search order is a serial notion: that search answers it.
  if (workers <= 1 || options.stopAtFirstViolation) return exploreStateGraph(inst, options);
  const budget = options.budget ?? DEFAULT_BUDGET;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const por = options.por !== false;
  const now = options.now ?? (() => performance.now());
  const rootOwner = PartitionWorker.rootOwner(workers);
  const pool = makePool({ inst, workers, por });
  try {
    let inbox: Batch[][] = Array.from({ length: workers }, () => []);
    let first = true;
    let stopReason: StopReason | null = null;
    let lastReport = now();
    let states = 0;
    let bytes = 0;
    let outcomes = 0;
    let violatingOutcomes = 0;
    for (;;) {
      const replies = await Promise.all(
        inbox.map((batches, w) => pool.round(w, batches, first && w === rootOwner)),
      );
      first = false;
      inbox = Array.from({ length: workers }, () => []);
      // Batches in flight, and states received but not expanded yet.
      let pending = replies.reduce((a, r) => a + r.pending, 0);
      for (const r of replies)
        r.out.forEach((b, w) => {
          if (b.length === 0) return;
          (inbox[w] as Batch[]).push(b);
          pending++;
        });
      states = replies.reduce((a, r) => a + r.states, 0);
      bytes = replies.reduce((a, r) => a + r.bytes, 0);
      // Progress only: two workers can hold final states with the same outcome, so a sum
      // could count one twice. The largest worker's count is a count made, and never more
      // than the truth; the merge counts them exactly.
      outcomes = Math.max(0, ...replies.map((r) => r.outcomes));
      violatingOutcomes = Math.max(0, ...replies.map((r) => r.violatingOutcomes));
      if (pending === 0) break;
      if (states >= budget) stopReason = 'states';
      else if (options.shouldStop?.()) stopReason = 'cancelled';
      else if (bytes > maxBytes || options.memoryShort?.()) stopReason = 'memory';
      if (stopReason) break;
      if (now() - lastReport >= 100) {
        lastReport = now();
        options.onProgress?.({ phase: 'exploring', states, outcomes, violatingOutcomes, bytes });
      }
    }
    // A search cut by its budget is answered by the depth-first one: rounds advance one step
    // of depth each, so the states within a budget are a shallow band with few final states,
    // where the serial search has reached many (and its violations). Costs the budget twice.
    if (stopReason === 'states') return exploreStateGraph(inst, options);
    const parts = await Promise.all(inbox.map((_, w) => pool.summary(w)));
    options.onProgress?.({
      phase: 'building-report',
      states: Math.min(states, budget),
      outcomes,
      violatingOutcomes,
      bytes,
      ...(stopReason && { stopReason }),
    });
    return mergePartitions(inst, parts, {
      por,
      stopReason,
      budget,
      rootOwner,
      ...(options.maxOutcomes !== undefined && { maxOutcomes: options.maxOutcomes }),
      ...(options.keepOutcomes && { keepOutcomes: true }),
    });
  } finally {
    pool.close();
  }
}

/** The workers as objects in this thread: the same code and messages, no concurrency (tests). */
export const inProcessPool: PoolFactory = (init) => {
  // Made on first use: a pool that runs only worker 0 here builds no other.
  const ws: PartitionWorker[] = [];
  const at = (w: number) => (ws[w] ??= new PartitionWorker({ ...init, index: w }));
  return {
    round: async (w, incoming, root) => {
      const out = at(w).round(incoming, root);
      return { out, ...at(w).totals() };
    },
    summary: async (w) => at(w).summary(),
    close: () => {},
  };
};
