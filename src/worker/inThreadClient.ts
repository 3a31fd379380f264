import { exploreReport, listScenarios, runReport, traceReport } from '../scenarios/report';
import { compareTraces } from '../scenarios/compareReport';
import type { EngineClientApi, ExploreRunner } from './protocol';

/**
 * The engine API without a worker: the same calls, run in this thread. For
 * unit tests of the store (node has no Worker); the app never imports it.
 */
export function createInThreadClient(): EngineClientApi {
  return {
    listScenarios: async () => listScenarios(),
    runReport: async (...a) => runReport(...a),
    exploreReport: async (...a) => exploreReport(...a),
    traceReport: async (...a) => traceReport(...a),
    compareTraces: async (...a) => compareTraces(...a),
  };
}

/** Explorations in this thread (tests): progress is reported, but nothing can cancel it. */
export function createInThreadExploreRunner(): ExploreRunner {
  return {
    run: async (scenario, variant, options, onProgress) =>
      exploreReport(scenario, variant, { ...options, onProgress }),
    cancel: () => {},
  };
}
