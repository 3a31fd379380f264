import { availableParallelism } from 'node:os';
import { portPool } from '../engine/partitionPool';
import { startThread } from './threadEntry';

/** `--workers 0` or `auto`: one per core. */
export const defaultWorkers = (): number => availableParallelism();

/** The partitioned search's workers for node: worker_threads running partitionThread.ts. */
export const threadPool = portPool(async (init) => {
  const worker = await startThread(new URL('./partitionThread.ts', import.meta.url), init);
  return {
    post: (m, transfer) => worker.postMessage(m, transfer),
    onMessage: (f) => worker.on('message', f),
    onError: (f) => {
      worker.on('error', f);
      worker.on('exit', (code) => f(new Error(`search worker ${init.index} exited (${code})`)));
    },
    terminate: () => void worker.terminate(),
  };
});
