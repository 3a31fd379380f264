import { localPool, type PartitionSummary, type PoolFactory, type RoundReply } from './partition';
import { ScenarioError } from './errors';
import type { PartitionInit } from './partitionWorker';
import type { PartitionRequest } from './partitionServer';

/** A search worker could not start or died: the caller may search in one thread instead. */
export class WorkerFailure extends Error {
  override name = 'WorkerFailure';
}

const asFailure = (e: unknown): WorkerFailure =>
  e instanceof WorkerFailure ? e : new WorkerFailure(e instanceof Error ? e.message : String(e));

/**
 * States per round of the worker in this thread: short rounds, so that this
 * thread soon gets back to routing the other workers' successors.
 */
const LOCAL_ROUND = 4096;

/**
 * A worker seen through its messages, whatever runs it: node's
 * worker_threads (src/cli/parallel.ts) or Web Workers
 * (src/worker/partitionPool.ts). Started with its PartitionInit.
 */
/** A reply; `scenario`: the error was a ScenarioError (a livelock, a runaway loop), not a crash. */
export interface PortReply {
  ok: boolean;
  reply?: unknown;
  error?: string;
  scenario?: boolean;
}

export interface WorkerPort {
  post(message: PartitionRequest, transfer: ArrayBuffer[]): void;
  /** Every reply, in order: `{ ok: true, reply }` or `{ ok: false, error, scenario }`. */
  onMessage(f: (m: PortReply) => void): void;
  /** The worker died (failed to load, or threw outside a request). */
  onError(f: (e: Error) => void): void;
  terminate(): void;
}

/**
 * The pool over ports: worker 0 runs in this thread (it would otherwise sit
 * idle while the others work), the rest behind `spawn`, which may take time
 * (a thread starting). Each worker serves one request at a time, so replies
 * come back in the order asked; a worker that dies rejects what it owes.
 */
export function portPool(spawn: (init: PartitionInit) => Promise<WorkerPort>): PoolFactory {
  return (init) => {
    const local = localPool(init, LOCAL_ROUND);
    const remote = Array.from({ length: init.workers - 1 }, (_, i) => {
      const waiting: { resolve: (x: unknown) => void; reject: (e: Error) => void }[] = [];
      const fail = (e: Error) => {
        for (const w of waiting.splice(0)) w.reject(asFailure(e));
      };
      const ready = spawn({ ...init, index: i + 1 }).then(
        (port) => {
          port.onMessage((m) => {
            const w = waiting.shift();
            const error = m.error ?? 'search worker failed';
            if (m.ok) w?.resolve(m.reply);
            else w?.reject(m.scenario ? new ScenarioError(error) : new WorkerFailure(error));
          });
          port.onError(fail);
          return port;
        },
        (e: unknown) => Promise.reject(asFailure(e)),
      );
      let port: WorkerPort | null = null;
      ready.then((p) => (port = p), fail);
      const send = <T>(p: WorkerPort, req: PartitionRequest, transfer: ArrayBuffer[]) =>
        new Promise<T>((resolve, reject) => {
          waiting.push({ resolve: resolve as (x: unknown) => void, reject });
          p.post(req, transfer);
        });
      // Posted at once when the worker is up, so it works while this thread computes worker 0.
      const ask = <T>(req: PartitionRequest, transfer: ArrayBuffer[] = []): Promise<T> =>
        port ? send<T>(port, req, transfer) : ready.then((p) => send<T>(p, req, transfer));
      return { ready, ask };
    });
    const at = (w: number) => remote[w - 1] as (typeof remote)[number];
    return {
      round: (w, incoming, root) =>
        w === 0
          ? // A microtask later: the other workers' requests go out first (see ask).
            Promise.resolve().then(() => local.round(0, incoming, root))
          : at(w).ask<RoundReply>(
              { kind: 'round', incoming, root },
              incoming.map((b) => b.buffer as ArrayBuffer),
            ),
      summary: (w) =>
        w === 0 ? local.summary(0) : at(w).ask<PartitionSummary>({ kind: 'summary' }),
      remote: (w) => w !== 0,
      close: () => {
        for (const r of remote)
          void r.ready.then(
            (p) => p.terminate(),
            () => {},
          );
      },
    };
  };
}
