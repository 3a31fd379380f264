import { releaseProxy, wrap } from 'comlink';
import type { EngineApi, EngineClientApi } from './protocol';

export interface EngineClient extends EngineClientApi {
  /** Stops the worker; later calls reject. */
  terminate(): void;
}

/**
 * Starts the engine worker. If the worker itself dies (its module fails to
 * load, or an error escapes comlink), every pending and later call rejects
 * instead of hanging: comlink alone would wait forever for the reply.
 */
export function createEngineClient(): EngineClient {
  // One literal expression: this is the form Vite detects and bundles.
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  const remote = wrap<EngineApi>(worker);

  let failWith: (reason: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    failWith = reject;
  });
  failed.catch(() => {}); // observed through the races below; avoid an unhandled rejection
  worker.addEventListener('error', (event) => {
    failWith(new Error(`engine worker failed: ${event.message || 'could not load the worker'}`));
  });
  worker.addEventListener('messageerror', () => {
    failWith(new Error('engine worker sent a message that could not be read'));
  });

  const call = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, failed]);

  return {
    listScenarios: () => call(remote.listScenarios()),
    runReport: (...args) => call(remote.runReport(...args)),
    exploreReport: (...args) => call(remote.exploreReport(...args)),
    traceReport: (...args) => call(remote.traceReport(...args)),
    compareTraces: (...args) => call(remote.compareTraces(...args)),
    terminate: () => {
      failWith(new Error('engine worker terminated'));
      remote[releaseProxy]();
      worker.terminate();
    },
  };
}
