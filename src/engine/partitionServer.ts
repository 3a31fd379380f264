import { ScenarioError } from './errors';
import { PartitionWorker, type Batch, type PartitionInit } from './partitionWorker';

/**
 * A request to a worker thread: start a search (it may have served others
 * before: threads are kept warm between searches), one round, its summary
 * at the end, or drop the search's state (the thread then waits, idle).
 */
export type PartitionRequest =
  | { kind: 'start'; init: PartitionInit }
  | { kind: 'round'; incoming: Batch[]; root: boolean }
  | { kind: 'summary' }
  | { kind: 'end' };

/**
 * The message loop of a worker, without the transport: given a request,
 * the reply and the buffers to transfer with it (nothing is copied). The
 * thread wrappers (src/cli/partitionThread.ts, src/worker/partition.worker.ts)
 * only post what this returns. A search that failed to start answers every
 * later request of it with the same error.
 */
export function partitionServer(): (req: PartitionRequest) => {
  reply: unknown;
  transfer: ArrayBuffer[];
} {
  let w: PartitionWorker | null = null;
  let failed: unknown = null;
  const worker = (): PartitionWorker => {
    if (failed !== null) throw failed;
    if (!w) throw new Error('search worker: no search started');
    return w;
  };
  return (req) => {
    if (req.kind === 'start' || req.kind === 'end') {
      w = null;
      failed = null;
      if (req.kind === 'start') {
        try {
          w = new PartitionWorker(req.init);
        } catch (e) {
          failed = e;
          throw e;
        }
      }
      return { reply: null, transfer: [] };
    }
    if (req.kind === 'round') {
      const out = worker().round(req.incoming, req.root);
      const reply = { out, ...worker().totals() };
      return { reply, transfer: out.map((b) => b.buffer as ArrayBuffer) };
    }
    const s = worker().summary();
    const arrays = [s.edgeStart, s.edgeCount, s.choice, s.mask, s.outcome, s.outcomes];
    const more = [s.incoming, s.obsStart, s.obsCount, s.obs];
    return { reply: s, transfer: [...arrays, ...more].map((a) => a.buffer as ArrayBuffer) };
  };
}

/** The reply for an error thrown while serving: a ScenarioError stays one on the other side. */
export function failure(error: unknown): { ok: false; error: string; scenario: boolean } {
  return {
    ok: false,
    error: error instanceof Error ? error.message : String(error),
    scenario: error instanceof ScenarioError,
  };
}
