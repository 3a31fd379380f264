import { proxy, wrap, type Remote } from 'comlink';
import type { ExploreApi, ExploreRunner } from './protocol';

export class CancelledError extends Error {
  override name = 'CancelledError';
}

/**
 * One worker per exploration: cancelling terminates it, so a cancel takes
 * effect immediately even in the middle of a synchronous search (a message
 * to a busy worker would wait until the search ends). A finished search's
 * worker lives on until the next one starts: it answers witness requests for
 * the outcome map from the search's own parent pointers.
 */
export function createExploreRunner(): ExploreRunner {
  let current: { worker: Worker; reject: (e: Error) => void } | null = null;
  let finished: { worker: Worker; remote: Remote<ExploreApi> } | null = null;
  const cancel = () => {
    if (!current) return;
    current.worker.terminate();
    current.reject(new CancelledError('exploration cancelled'));
    current = null;
  };
  return {
    cancel,
    run: (scenario, variant, options, onProgress) => {
      cancel();
      finished?.worker.terminate();
      finished = null;
      // One literal expression: this is the form Vite detects and bundles.
      const worker = new Worker(new URL('./explore.worker.ts', import.meta.url), {
        type: 'module',
      });
      const remote = wrap<ExploreApi>(worker);
      return new Promise((resolve, reject) => {
        const mine = { worker, reject };
        current = mine;
        worker.addEventListener('error', (e) =>
          reject(new Error(`explore worker failed: ${e.message}`)),
        );
        remote.explore(scenario, variant, options, proxy(onProgress)).then(
          (r) => {
            if (current === mine) {
              current = null;
              finished = { worker, remote };
            } else worker.terminate();
            resolve(r);
          },
          (e: unknown) => {
            if (current === mine) current = null;
            worker.terminate();
            reject(e instanceof Error ? e : new Error(String(e)));
          },
        );
      });
    },
    witness: async (p) => {
      if (!finished) throw new Error('no finished exploration to take a witness from');
      return finished.remote.witness(p);
    },
  };
}
