import { portPool } from '../engine/partitionPool';

/**
 * The partitioned search's workers in the browser: Web Workers started from
 * the explore worker (nested workers), running partition.worker.ts.
 */
export const webPool = portPool(async () => {
  // One literal expression: this is the form Vite detects and bundles.
  const worker = new Worker(new URL('./partition.worker.ts', import.meta.url), {
    type: 'module',
  });
  return {
    post: (m, transfer) => worker.postMessage(m, transfer),
    onMessage: (f) =>
      worker.addEventListener('message', (e: MessageEvent) => f(e.data as Parameters<typeof f>[0])),
    onError: (f) => {
      worker.addEventListener('error', (e) =>
        f(new Error(`search worker failed: ${e.message || 'could not load the worker'}`)),
      );
      worker.addEventListener('messageerror', () =>
        f(new Error('search worker sent a message that could not be read')),
      );
    },
    terminate: () => worker.terminate(),
  };
});
