import type { ExploreOptions, StopReason } from './exploreTypes';
import type { Batch, PartitionPool, RoundReply } from './partition';

/** How the rounds ended: the stop, if any, and the last totals over all workers. */
export interface RoundsEnd {
  stopReason: StopReason | null;
  states: number;
  outcomes: number;
  violatingOutcomes: number;
  bytes: number;
}

/** Rounds a worker in another thread may have asked of it at once: the next waits queued there. */
const AHEAD = 2;

/**
 * Drives the workers until no state is left to expand, or a stop. No
 * barrier: a worker gets its next round as soon as it answered and has
 * work (successors sent to it, or states it holds), so a worker never waits
 * for the slowest one, nor for a thread that is still starting; a worker
 * in another thread gets its next round asked before it answers the last
 * (AHEAD), so it does not sit idle while this thread routes. The order in
 * which states arrive changes only each worker's local numbering: the
 * merge replays the serial order over the graph, which is the same in any
 * order. A stop (budget, cancel, memory) is checked at every answer, and
 * the rounds already asked are waited for, so every summary is of a
 * finished round.
 */
export function runRounds(
  pool: PartitionPool,
  workers: number,
  rootOwner: number,
  options: ExploreOptions & { budget: number; maxBytes: number; now: () => number },
): Promise<RoundsEnd> {
  const inbox: Batch[][] = Array.from({ length: workers }, () => []);
  const asked = new Int32Array(workers);
  const pending = new Float64Array(workers);
  const states = new Float64Array(workers);
  const bytes = new Float64Array(workers);
  const outcomes = new Float64Array(workers);
  const violating = new Float64Array(workers);
  const remote = (w: number) => pool.remote?.(w) ?? false;
  let stopReason: StopReason | null = null;
  let lastReport = options.now();
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  const end = (): RoundsEnd => ({
    stopReason,
    states: sum(states),
    // Progress only: two workers can hold final states with the same outcome, so a sum
    // could count one twice. The largest worker's count is a count made, and never more
    // than the truth; the merge counts them exactly.
    outcomes: Math.max(0, ...outcomes),
    violatingOutcomes: Math.max(0, ...violating),
    bytes: sum(bytes),
  });
  return new Promise((resolve, reject) => {
    let failed = false;
    const idle = () => asked.every((a) => a === 0);
    const ask = (w: number, root: boolean) => {
      const batches = inbox[w] as Batch[];
      inbox[w] = [];
      asked[w] = (asked[w] as number) + 1;
      pool.round(w, batches, root).then(
        (r) => answered(w, r),
        (e: unknown) => {
          if (!failed) reject(e as Error);
          failed = true;
        },
      );
    };
    const kick = () => {
      for (let w = 0; w < workers; w++) {
        const limit = remote(w) ? AHEAD : 1;
        const work = () => (inbox[w] as Batch[]).length > 0 || (pending[w] as number) > 0;
        if ((asked[w] as number) < limit && work()) ask(w, false);
      }
    };
    const answered = (w: number, r: RoundReply) => {
      if (failed) return;
      asked[w] = (asked[w] as number) - 1;
      pending[w] = r.pending;
      states[w] = r.states;
      bytes[w] = r.bytes;
      outcomes[w] = r.outcomes;
      violating[w] = r.violatingOutcomes;
      r.out.forEach((b, d) => b.length > 0 && (inbox[d] as Batch[]).push(b));
      if (stopReason === null) {
        if (sum(states) >= options.budget) stopReason = 'states';
        else if (options.shouldStop?.()) stopReason = 'cancelled';
        else if (sum(bytes) > options.maxBytes || options.memoryShort?.()) stopReason = 'memory';
      }
      if (stopReason !== null) {
        if (idle()) resolve(end());
        return;
      }
      kick();
      if (idle()) return resolve(end());
      if (options.now() - lastReport >= 100) {
        lastReport = options.now();
        const { states: n, outcomes: o, violatingOutcomes: v, bytes: b } = end();
        options.onProgress?.({
          phase: 'exploring',
          states: n,
          outcomes: o,
          violatingOutcomes: v,
          bytes: b,
        });
      }
    };
    ask(rootOwner, true);
  });
}
