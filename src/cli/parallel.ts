import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import {
  inProcessPool,
  type PartitionSummary,
  type PoolFactory,
  type RoundReply,
} from '../engine/partition';
import type { PartitionRequest } from '../engine/partitionWorker';
import { startThread } from './threadEntry';

/** `--workers 0` or `auto`: one per core. */
export const defaultWorkers = (): number => availableParallelism();

/**
 * The partitioned search's workers for node: worker 0 in this thread (it
 * would otherwise sit idle while the others work) and the rest as
 * worker_threads. Each thread serves one request at a time, so replies come
 * back in order; a thread that dies rejects what it was asked.
 */
export const threadPool: PoolFactory = (init) => {
  const local = inProcessPool(init);
  const threads = Array.from({ length: init.workers - 1 }, (_, i) => {
    const started = startThread(new URL('./partitionThread.ts', import.meta.url), {
      ...init,
      index: i + 1,
    });
    const waiting: { resolve: (x: unknown) => void; reject: (e: Error) => void }[] = [];
    const fail = (e: Error) => {
      for (const w of waiting.splice(0)) w.reject(e);
    };
    const ready = started.then((worker: Worker) => {
      worker.on('message', (m: { ok: boolean; reply?: unknown; error?: string }) => {
        const w = waiting.shift();
        if (m.ok) w?.resolve(m.reply);
        else w?.reject(new Error(m.error ?? 'search worker failed'));
      });
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`search worker ${i + 1} exited (${code})`)));
      return worker;
    });
    const ask = async <T>(req: PartitionRequest, transfer: ArrayBuffer[] = []): Promise<T> => {
      const worker = await ready;
      return new Promise<T>((resolve, reject) => {
        waiting.push({ resolve: resolve as (x: unknown) => void, reject });
        worker.postMessage(req, transfer);
      });
    };
    return { ready, ask };
  });
  const at = (w: number) => threads[w - 1] as (typeof threads)[number];
  return {
    round: (w, incoming, root) =>
      w === 0
        ? // A macrotask later, once the threads' requests (microtasks) have gone out.
          new Promise<RoundReply>((resolve, reject) =>
            setImmediate(() => local.round(0, incoming, root).then(resolve, reject)),
          )
        : at(w).ask<RoundReply>(
            { kind: 'round', incoming, root },
            incoming.map((b) => b.buffer as ArrayBuffer),
          ),
    summary: (w) => (w === 0 ? local.summary(0) : at(w).ask<PartitionSummary>({ kind: 'summary' })),
    close: () => {
      for (const t of threads) void t.ready.then((w) => w.terminate());
    },
  };
};
