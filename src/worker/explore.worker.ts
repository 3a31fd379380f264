/**
 * A worker for one exploration. The search is synchronous; progress leaves
 * through the comlink-proxied callback (a postMessage, delivered while the
 * search goes on), and cancelling terminates this worker, which stops the
 * search at once wherever it is.
 */
import { expose } from 'comlink';
import { exploreReport } from '../scenarios/report';
import { boundedReport } from '../scenarios/preemptionReport';
import type { ExploreApi } from './protocol';

const api: ExploreApi = {
  explore: (scenario, variant, { preemptions, ...options }, onProgress) => {
    const report = exploreReport(scenario, variant, {
      ...options,
      onProgress: (p) => void onProgress(p),
    });
    if (preemptions === undefined) return report;
    // The bounded search answers "how few preemptions" even where the full search is cut short.
    const bounded = boundedReport(scenario, variant, {
      bound: preemptions,
      ...(options.params && { params: options.params }),
      ...(options.kernel && { kernel: options.kernel }),
      ...(options.budget !== undefined && { budget: options.budget }),
    });
    return { ...report, bounded };
  },
};

expose(api);
