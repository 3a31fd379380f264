import { availableParallelism } from 'node:os';
import { portPool } from '../engine/partitionPool';
import { startThread } from './threadEntry';

/** `--workers 0` or `auto`: one per core. */
export const defaultWorkers = (): number => availableParallelism();

/** The partitioned search's workers for node: worker_threads running partitionThread.ts, kept between searches. */
export const threadPool = portPool(async () => {
  const worker = await startThread(new URL('./partitionThread.ts', import.meta.url), null);
  return {
    post: (m, transfer) => worker.postMessage(m, transfer),
    onMessage: (f) => worker.on('message', f),
    onError: (f) => {
      worker.on('error', f);
      worker.on('exit', (code) => f(new Error(`search worker exited (${code})`)));
    },
    terminate: () => void worker.terminate(),
    // An idle thread must not keep the process alive.
    hold: (on) => void (on ? worker.ref() : worker.unref()),
  };
});
