/**
 * The engine API as the page sees it across the worker boundary. Type-only:
 * imported by both the page (DOM lib) and the worker (WebWorker lib), so it
 * must not touch globals of either.
 */
import type { exploreReport, listScenarios, runReport, traceReport } from '../scenarios/report';
import type { compareTraces } from '../scenarios/compareReport';
export type { Comparison, CompareLine, CompareRow } from '../scenarios/compare';

export type {
  ExploreReport,
  RunReport,
  ScenarioListing,
  VariantListing,
  ViolationReport,
} from '../scenarios/report';
export type {
  TraceData,
  TraceThread,
  ThreadStatus,
  StepEvent,
  Violation,
  ExploreProgress,
} from '../engine';
import type { ExploreProgress } from '../engine';
import type { ExploreReport, Params } from '../scenarios/report';
import type { MapWitness } from '../scenarios/mapReport';

/** What engine.worker.ts exposes: the report.ts functions, signatures unchanged. */
export interface EngineApi {
  listScenarios: typeof listScenarios;
  runReport: typeof runReport;
  exploreReport: typeof exploreReport;
  traceReport: typeof traceReport;
  /** Two builds under the same story rows, aligned (scenarios/compare.ts). */
  compareTraces: typeof compareTraces;
}

/** The same calls, asynchronous because they cross a thread. */
export type EngineClientApi = {
  [K in keyof EngineApi]: (
    ...args: Parameters<EngineApi[K]>
  ) => Promise<Awaited<ReturnType<EngineApi[K]>>>;
};

/** What explore.worker.ts exposes: one exploration, with progress. */
export interface ExploreApi {
  explore(
    scenario: string,
    variant: string | undefined,
    options: {
      budget?: number;
      maxBytes?: number;
      naive?: boolean;
      params?: Params;
      kernel?: string;
      /** Also search only schedules with at most this many preemptions (the report's `bounded`). */
      preemptions?: number;
      text?: string;
      /** Search workers (the partitioned search, same result); 1 or absent: this worker alone. */
      workers?: number;
    },
    onProgress: (p: ExploreProgress) => void,
  ): ExploreReport | Promise<ExploreReport>;
  /** The witness of the last exploration's final state at map position `p`. */
  witness(p: number): MapWitness;
}

/** Runs explorations off the main thread; `cancel` stops the one under way promptly. */
export interface ExploreRunner {
  run(
    scenario: string,
    variant: string | undefined,
    options: {
      budget?: number;
      maxBytes?: number;
      params?: Params;
      kernel?: string;
      preemptions?: number;
      text?: string;
      /** Search threads: this worker plus nested ones (see explore.worker.ts). */
      workers?: number;
    },
    onProgress: (p: ExploreProgress) => void,
  ): Promise<ExploreReport>;
  cancel(): void;
  /** The witness of the last finished exploration's final state at map position `p`. */
  witness(p: number): Promise<MapWitness>;
}
