import { localPool, type PartitionSummary, type PoolFactory, type RoundReply } from './partition';
import { ScenarioError } from './errors';
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
  /** Whether the worker keeps its process alive (node: an idle thread must not). */
  hold?(on: boolean): void;
}

/** A started worker and its queue of requests waiting for a reply. */
interface Remote {
  ask<T>(req: PartitionRequest, transfer?: ArrayBuffer[]): Promise<T>;
  ready: Promise<WorkerPort>;
  dead: boolean;
}

/**
 * The pool over ports: worker 0 runs in this thread (it would otherwise sit
 * idle while the others work), the rest behind `spawn`, which may take time
 * (a thread starting). Each worker serves one request at a time, so replies
 * come back in the order asked; a worker that dies rejects what it owes.
 * Workers are kept between searches (idle, not holding the process): a
 * thread that has searched before starts with its code compiled, where a
 * new one spends about as long again warming up as searching n = 9.
 */
export function portPool(spawn: () => Promise<WorkerPort>): PoolFactory {
  const idle: Remote[] = [];
  const start = (): Remote => {
    const waiting: { resolve: (x: unknown) => void; reject: (e: Error) => void }[] = [];
    const r: Remote = { ask: null as never, ready: null as never, dead: false };
    const fail = (e: Error) => {
      r.dead = true;
      for (const w of waiting.splice(0)) w.reject(asFailure(e));
    };
    r.ready = spawn().then(
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
    r.ready.then((p) => (port = p), fail);
    const send = <T>(p: WorkerPort, req: PartitionRequest, transfer: ArrayBuffer[]) =>
      new Promise<T>((resolve, reject) => {
        if (r.dead) return reject(new WorkerFailure('search worker died'));
        waiting.push({ resolve: resolve as (x: unknown) => void, reject });
        p.post(req, transfer);
      });
    // Posted at once when the worker is up, so it works while this thread computes worker 0.
    r.ask = <T>(req: PartitionRequest, transfer: ArrayBuffer[] = []): Promise<T> =>
      port ? send<T>(port, req, transfer) : r.ready.then((p) => send<T>(p, req, transfer));
    return r;
  };
  return (init) => {
    const local = localPool(init, LOCAL_ROUND);
    const remote = Array.from({ length: init.workers - 1 }, (_, i) => {
      const r = idle.pop() ?? start();
      void r.ready.then(
        (p) => p.hold?.(true),
        () => {},
      );
      // A start that fails rejects every later request of this search (partitionServer.ts).
      r.ask({ kind: 'start', init: { ...init, index: i + 1 } }).catch(() => {});
      return r;
    });
    const at = (w: number) => remote[w - 1] as Remote;
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
            (p) => {
              if (r.dead) return p.terminate();
              // Its memory goes now; the thread waits for the next search.
              r.ask({ kind: 'end' }).catch(() => {});
              p.hold?.(false);
              idle.push(r);
            },
            () => {},
          );
      },
    };
  };
}
