import { ScenarioError } from './errors';
import { PartitionWorker, type Batch, type PartitionInit } from './partitionWorker';

/** A request to a worker: one round, or its summary at the end. */
export type PartitionRequest =
  { kind: 'round'; incoming: Batch[]; root: boolean } | { kind: 'summary' };

/**
 * The message loop of a worker, without the transport: given a request,
 * the reply and the buffers to transfer with it (nothing is copied). The
 * thread wrappers (src/cli/partitionThread.ts, src/worker/partition.worker.ts)
 * only post what this returns.
 */
export function partitionServer(
  init: PartitionInit,
): (req: PartitionRequest) => { reply: unknown; transfer: ArrayBuffer[] } {
  const w = new PartitionWorker(init);
  return (req) => {
    if (req.kind === 'round') {
      const out = w.round(req.incoming, req.root);
      return { reply: { out, ...w.totals() }, transfer: out.map((b) => b.buffer as ArrayBuffer) };
    }
    const s = w.summary();
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
