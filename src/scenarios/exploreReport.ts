/**
 * `explore`'s report, for the CLI and the app's explore worker: the search's
 * figures over the whole search, the listed final states, the counterexample.
 */
import {
  Machine,
  exploreStateGraph,
  ViolationSteps,
  formatSchedule,
  outcomeMap,
  type ExploreOptions,
  type ExploreProgress,
  type ExploreResult,
  type OutcomeMap,
  type OutcomeTable,
  type ScenarioInstance,
} from '../engine';
import { DEFAULT_KERNEL } from './catalog';
import { herdVerdict, litmusResult, type HerdVerdict, type LitmusTest } from '../lang';
import { outcomeDiffs } from './outcomeDiff';
import { mapSummary, type MapSummary } from './mapReport';
import type { MapView } from './mapLayout';
import type { BoundedReport, FewestReport } from './preemptionReport';
import { counterexampleReport, type CounterexampleReport } from './counterexampleReport';
import { asUsage, instanceOf, parsedText, type Params } from './usage';

export interface ExploreReport {
  scenario: string;
  variant: string;
  kernel: string;
  /**
   * Complete schedules covered: maximal paths of the explored state graph.
   * Under `por+hash` these are paths of the reduced graph, far fewer than
   * all interleavings, so a ratio of two such counts says little about the
   * unreduced program. Null when the search is incomplete: never counted.
   */
  executions: number | null;
  states: number;
  /** Distinct final states reached, over the whole search. */
  distinctOutcomes: number;
  /** Of those, how many violate a check (counted by the engine, not from `outcomes`). */
  violatingOutcomes: number;
  /** Distinct final states per violation kind. */
  outcomesByKind: Record<string, number>;
  /** Of `executions`, those ending in a violation; null when incomplete. */
  violatingExecutions: number | null;
  violationsByKind: Record<string, number>;
  complete: boolean;
  /** Why an incomplete search stopped: `states` (budget), `memory`, `cancelled`. */
  stopReason: string | null;
  reduction: string;
  ms: number;
  /** Engine steps the search executed. */
  steps: number;
  /** Bytes the search held at the end, by its own estimate. */
  bytes: number;
  /** Lock rules (lock-order, srcu-rule, sleep-in-atomic) broken in any explored run. */
  lockRules: { kind: string; message: string }[];
  /**
   * Distinct final states, violating ones first (at most 1000; the counts above
   * cover all): their violations, a schedule reaching each, the step at which
   * its first violation holds, and what differs from most other listed states.
   */
  outcomes: {
    violations: string[];
    witness: string;
    executions: number | null;
    /** Cursor position (ops done) at which the first violation is visible; 0 if none. */
    violationStep: number;
    differs: string[];
  }[];
  counterexample: CounterexampleReport | null;
  /**
   * The fewest preemptions any schedule reaching the counterexample's
   * violation needs (iterative preemption bounding up to the count its
   * minimisation gives), or null without a violation or when the bounded
   * search hit its budget.
   */
  fewestPreemptions: FewestReport | null;
  /** The preemption-bounded search, when the app asked for one (the explore worker adds it). */
  bounded?: BoundedReport;
  /** Scenario text only: herd7's verdict over every final state of the search (`explore FILE`'s lines). */
  litmus?: HerdVerdict;
  /** The outcome map's groups over every final state (with `map`). */
  map?: MapSummary;
  /** The map laid out for drawing, as typed arrays (the explore worker adds it). */
  mapView?: MapView;
}

/** Options of an exploration from the CLI or the app. */
export interface ExploreRequest {
  budget?: number;
  /** Bound on the bytes the search may hold (its own estimate). */
  maxBytes?: number;
  naive?: boolean;
  params?: Params;
  kernel?: string;
  /** Scenario text to explore instead of the built-in `scenario` (the editor's). */
  text?: string;
  onProgress?: (p: ExploreProgress) => void;
  /** Polled during the search: true stops it for lack of memory (node: heap check). */
  memoryShort?: () => boolean;
  /** Group every final state into the outcome map (`report.map`). */
  map?: boolean;
  /** With `map`: the map, the table behind it and the instance (the worker keeps them for witnesses). */
  onMap?: (map: OutcomeMap, table: OutcomeTable, inst: ScenarioInstance) => void;
}

const OUTCOMES_LISTED = 1000;

export function exploreReport(
  scenario: string,
  variant?: string,
  options: ExploreRequest = {},
): ExploreReport {
  return asUsage(() => {
    const { inst, test, search } = exploreInput(scenario, variant, options);
    const t0 = performance.now();
    return reportOf(inst, exploreStateGraph(inst, search), t0, test, options);
  });
}

/**
 * exploreReport over another search with the same result: the parallel
 * one (src/engine/partition.ts), which is asynchronous.
 */
export async function exploreReportWith(
  scenario: string,
  variant: string | undefined,
  options: ExploreRequest,
  search: (inst: ScenarioInstance, o: ExploreOptions) => Promise<ExploreResult>,
): Promise<ExploreReport> {
  const input = asUsage(() => exploreInput(scenario, variant, options));
  const t0 = performance.now();
  const r = await search(input.inst, input.search);
  return asUsage(() => reportOf(input.inst, r, t0, input.test, options));
}

/** What either search needs: the instance (a built-in's or the text's), its litmus test, the options. */
function exploreInput(scenario: string, variant: string | undefined, options: ExploreRequest) {
  const parsed =
    options.text === undefined ? null : parsedText(options.text, options.kernel ?? DEFAULT_KERNEL);
  return {
    inst: parsed?.instance ?? instanceOf(scenario, variant, options.params, options.kernel),
    test: parsed?.test ?? null,
    search: searchOptions(options, parsed !== null),
  };
}

/** `allOutcomes`: a text's herd7 verdict needs every final state (the report's list is still cut). */
function searchOptions(options: ExploreRequest, allOutcomes = false): ExploreOptions {
  return {
    ...(options.budget !== undefined && { budget: options.budget }),
    ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
    ...(options.memoryShort && { memoryShort: options.memoryShort }),
    por: !options.naive,
    maxOutcomes: allOutcomes ? Infinity : OUTCOMES_LISTED,
    ...(options.map && { keepOutcomes: true }),
    ...(options.onProgress && { onProgress: options.onProgress }),
  };
}

function reportOf(
  inst: ScenarioInstance,
  r: ExploreResult,
  t0: number,
  test: LitmusTest | null,
  { budget, onMap }: ExploreRequest,
): ExploreReport {
  const m = new Machine(inst);
  const litmus = test && { litmus: herdVerdict(test, litmusResult(test, inst, r), budget) };
  const listed = r.outcomes.slice(0, OUTCOMES_LISTED);
  const ce = r.counterexample ? counterexampleReport(inst, r.counterexample) : null;
  const differs = outcomeDiffs(inst, listed);
  let map: MapSummary | undefined;
  if (r.outcomeTable) {
    const om = outcomeMap(m, r.outcomeTable);
    map = mapSummary(om);
    onMap?.(om, r.outcomeTable, inst);
  }
  const steps = new ViolationSteps(m);
  const outcomes = listed.map((o, i) => ({
    violations: o.violations,
    witness: formatSchedule(o.witness),
    executions: o.executions,
    violationStep: o.violations.length > 0 ? steps.of(o.witness) : 0,
    differs: differs[i] ?? [],
  }));
  return {
    scenario: inst.scenario,
    variant: inst.variant,
    kernel: inst.kernel ?? DEFAULT_KERNEL,
    executions: r.executions,
    states: r.states,
    distinctOutcomes: r.distinctOutcomes,
    violatingOutcomes: r.violatingOutcomes,
    outcomesByKind: r.outcomesByKind,
    violatingExecutions: r.violatingExecutions,
    violationsByKind: r.violationsByKind,
    complete: r.complete,
    stopReason: r.stopReason,
    reduction: r.reduction,
    // Wall time of the whole request: the search and building this report.
    ms: Math.round(performance.now() - t0),
    steps: r.steps,
    bytes: r.bytes,
    lockRules: r.lockRules,
    outcomes,
    counterexample: ce?.counterexample ?? null,
    fewestPreemptions: ce?.fewestPreemptions ?? null,
    ...litmus,
    ...(map && { map }),
  };
}
