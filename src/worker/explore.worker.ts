/**
 * A worker for one exploration. The search is synchronous in one thread;
 * with `workers` > 1 it is the partitioned search (src/engine/partition.ts),
 * this worker coordinating and working as worker 0, the others nested Web
 * Workers. Progress leaves through the comlink-proxied callback (a
 * postMessage, delivered while the search goes on), and cancelling
 * terminates this worker, which stops the search at once wherever it is
 * (and its nested workers with it).
 */
import { expose } from 'comlink';
import { exploreReport, exploreReportWith, type ExploreRequest } from '../scenarios/report';
import { boundedReport } from '../scenarios/preemptionReport';
import { explorePartitioned } from '../engine/partition';
import { WorkerFailure } from '../engine/partitionPool';
import { webPool } from './partitionPool';
import type { ExploreApi } from './protocol';

/** The report over `workers` workers; in this one thread when they cannot start. */
async function report(
  scenario: string,
  variant: string | undefined,
  workers: number,
  request: ExploreRequest,
) {
  if (workers <= 1 || typeof Worker === 'undefined')
    return exploreReport(scenario, variant, request);
  try {
    return await exploreReportWith(scenario, variant, request, (inst, o) =>
      explorePartitioned(inst, workers, webPool, o),
    );
  } catch (e) {
    if (!(e instanceof WorkerFailure)) throw e;
    return exploreReport(scenario, variant, request);
  }
}

const api: ExploreApi = {
  explore: async (scenario, variant, { preemptions, workers = 1, ...options }, onProgress) => {
    const full = await report(scenario, variant, workers, {
      ...options,
      onProgress: (p) => void onProgress(p),
    });
    if (preemptions === undefined) return full;
    // The bounded search answers "how few preemptions" even where the full search is cut short.
    const bounded = boundedReport(scenario, variant, {
      bound: preemptions,
      ...(options.params && { params: options.params }),
      ...(options.kernel && { kernel: options.kernel }),
      ...(options.budget !== undefined && { budget: options.budget }),
    });
    return { ...full, bounded };
  },
};

expose(api);
