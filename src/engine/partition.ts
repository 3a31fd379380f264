import type { ScenarioInstance } from './model';
import { exploreStateGraph, DEFAULT_BUDGET, DEFAULT_MAX_BYTES } from './exploreGraph';
import type { ExploreOptions, ExploreResult } from './exploreTypes';
import { mergePartitions } from './partitionMerge';
import { runRounds } from './partitionRounds';
import {
  PER_ROUND,
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
  /** Whether the worker runs in another thread (then its next round is asked ahead). */
  remote?(worker: number): boolean;
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
    const run = await runRounds(pool, workers, rootOwner, { ...options, budget, maxBytes, now });
    const { stopReason, states, outcomes, violatingOutcomes, bytes } = run;
    // A search cut by its budget is answered by the depth-first one: a worker expands the
    // newest of what it holds, but the states within a budget still spread over many
    // branches, with few final states where the serial search has reached many (and their
    // violations). Costs the budget twice.
    if (stopReason === 'states') return exploreStateGraph(inst, options);
    const parts = await Promise.all(Array.from({ length: workers }, (_, w) => pool.summary(w)));
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
export const inProcessPool: PoolFactory = (init) => localPool(init, PER_ROUND);

/** inProcessPool with rounds of at most `limit` states. */
export const localPool = (init: Omit<PartitionInit, 'index'>, limit: number): PartitionPool => {
  // Made on first use: a pool that runs only worker 0 here builds no other.
  const ws: PartitionWorker[] = [];
  const at = (w: number) => (ws[w] ??= new PartitionWorker({ ...init, index: w }));
  return {
    round: async (w, incoming, root) => {
      const out = at(w).round(incoming, root, limit);
      return { out, ...at(w).totals() };
    },
    summary: async (w) => at(w).summary(),
    close: () => {},
  };
};
