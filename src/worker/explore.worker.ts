/**
 * A worker for one exploration. The search is synchronous; progress leaves
 * through the comlink-proxied callback (a postMessage, delivered while the
 * search goes on), and cancelling terminates this worker, which stops the
 * search at once wherever it is.
 */
import { expose } from 'comlink';
import { exploreReport } from '../scenarios/report';
import type { ExploreApi } from './protocol';

const api: ExploreApi = {
  explore: (scenario, variant, options, onProgress) =>
    exploreReport(scenario, variant, { ...options, onProgress: (p) => void onProgress(p) }),
};

expose(api);
