/**
 * The JSON-facing surface shared by the CLI and the worker: list scenarios,
 * run one schedule, explore every interleaving. Shapes follow the CLI
 * contract in the README (`list --json`, `run --json`, `explore --json`).
 *
 */
import {
  Machine,
  outcomeMap,
  RunawayError,
  ScheduleError,
  exploreStateGraph,
  formatSchedule,
  parseSchedule,
  runSchedule,
  summarize,
  traceRun,
  type CheckKind,
  type ExploreProgress,
  type OutcomeMap,
  type OutcomeTable,
  type ScenarioInstance,
  type ExploreOptions,
  type ExploreResult,
  type TraceData,
  type StepEvent,
  type Violation,
} from '../engine';
import {
  DEFAULT_KERNEL,
  SCENARIOS,
  UnknownScenarioError,
  instantiate,
  kernelsOf,
  parseKernel,
} from './catalog';
import { outcomeDiffs } from './outcomeDiff';
import {
  herdVerdict,
  litmusResult,
  parseScenario,
  type HerdVerdict,
  type LitmusTest,
} from '../lang';
import { mapSummary, type MapSummary } from './mapReport';
import type { MapView } from './mapLayout';
import {
  fewestReport,
  minimizedReport,
  type FewestReport,
  type BoundedReport,
  type MinimizedReport,
} from './preemptionReport';

export interface VariantListing {
  id: string;
  title: string;
  description: string;
  /** The kernel versions in which this variant is modelled. */
  kernels: string[];
  /** Why it is missing from the others. */
  kernelNote?: string;
}

export interface ScenarioListing {
  id: string;
  title: string;
  description: string;
  variants: VariantListing[];
  params?: { name: string; description: string; default: number; min: number; max: number }[];
}

/** Scenario parameters as given on the command line or in a link (`n=8`). */
export type Params = Record<string, string | number>;

export interface ViolationReport {
  kind: string;
  /** 0-based index of the step from which the violation held until the end. */
  step: number;
  message: string;
  /** Earlier steps that caused it (0-based), e.g. the stale read and the cmpxchg. */
  causes: number[];
  /** Other threads' writes inside the stale window. */
  racing?: number[];
  gfn?: number;
  pfn?: number;
  cycle?: string[];
  /** How it happened: each step of the story with the thread, kernel function and line. */
  trail: {
    step: number;
    role: string;
    thread: string;
    fn: string;
    text: string;
    outcome?: string;
  }[];
}

export interface RunReport {
  scenario: string;
  variant: string;
  kernel: string;
  /** The schedule actually run, in the URL/CLI text form (e.g. "0.0.1*3.0"). */
  schedule: string;
  steps: number;
  threads: string[];
  violations: ViolationReport[];
  final: Record<string, unknown>;
}

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
  counterexample: {
    schedule: string;
    violations: ViolationReport[];
    /** Cursor position (ops done) at which the first violation is visible. */
    violationStep: number;
    /**
     * The same violation with only the preemptions it needs (1-minimal: removing
     * any one loses it, checked by replay); what the app shows by default.
     */
    minimized: MinimizedReport | null;
  } | null;
  /**
   * The fewest preemptions any violating schedule needs (iterative preemption
   * bounding up to the minimised counterexample's count), or null without a violation.
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

/** Bad user input (unknown scenario or variant, malformed or impossible schedule). */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function listScenarios(): ScenarioListing[] {
  return SCENARIOS.map((d) => ({
    id: d.id,
    title: d.title,
    description: d.description,
    variants: d.variants.map((v) => {
      const note = v.kernelNote ?? d.kernelNote;
      const kernels = [...kernelsOf(d, v.id)];
      return {
        id: v.id,
        title: v.title,
        description: v.description,
        kernels,
        ...(note !== undefined && kernels.length < 3 && { kernelNote: note }),
      };
    }),
    ...(d.params && { params: d.params }),
  }));
}

/** Runs bad input through `f`, turning the engine's input errors into UsageError. */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (
      e instanceof UnknownScenarioError ||
      e instanceof ScheduleError ||
      e instanceof RunawayError
    )
      throw new UsageError(e.message);
    throw e;
  }
}

export function violationReport(
  v: Violation,
  inst: ScenarioInstance,
  events: StepEvent[],
): ViolationReport {
  const trail = v.trail.map(({ step, role }) => {
    const ev = events[step];
    const th = inst.threads[ev?.thread ?? -1];
    const op = th?.program[ev?.pc ?? -1];
    return {
      step,
      role,
      thread: th?.name ?? '?',
      fn: op?.fn ?? '?',
      text: op?.text ?? '?',
      ...(ev?.outcome !== undefined && { outcome: ev.outcome }),
    };
  });
  const r: ViolationReport = {
    kind: v.kind,
    step: v.step,
    message: v.message,
    causes: v.causes,
    trail,
  };
  if (v.racing.length) r.racing = v.racing;
  if (v.gfn !== undefined) r.gfn = v.gfn;
  if (v.pfn !== undefined) r.pfn = v.pfn;
  if (v.cycle !== undefined) r.cycle = v.cycle;
  return r;
}

/**
 * The instance of a built-in, or of scenario text when `text` is given (the
 * editor's): a parse error becomes a UsageError naming its line and column.
 */
function instanceOf(
  scenario: string,
  variant: string | undefined,
  params: Params = {},
  kernel: string = DEFAULT_KERNEL,
  text?: string,
): ScenarioInstance {
  if (text === undefined) return instantiate(scenario, variant, params, kernel);
  return parsedText(text, kernel).instance;
}

/** Scenario text as an instance of `kernel`, with its litmus test (condition, columns); compare uses it too. */
export function parsedText(
  text: string,
  kernel: string,
): { instance: ScenarioInstance; test: LitmusTest } {
  const k = parseKernel(kernel);
  const r = parseScenario(text, { kernel: k });
  if (!r.ok) {
    const e = r.errors[0];
    throw new UsageError(e ? `line ${e.line}:${e.col}: ${e.message}` : 'the text does not parse');
  }
  return { instance: { ...r.instance, kernel: k }, test: r.test };
}

/** The scenario instance and the schedule's steps: the canonical one unless one is given. */
function resolve(
  scenario: string,
  variant?: string,
  schedule?: string,
  params: Params = {},
  kernel: string = DEFAULT_KERNEL,
  text?: string,
) {
  const inst = instanceOf(scenario, variant, params, kernel, text);
  const steps =
    schedule === undefined || schedule === 'canonical'
      ? inst.canonical
      : parseSchedule(schedule, inst.threads.length);
  return { inst, steps };
}

/**
 * Runs a schedule (the canonical one by default) and completes it: after the
 * given steps, the lowest-numbered runnable thread runs until none can.
 */
export function runReport(
  scenario: string,
  variant?: string,
  schedule?: string,
  params: Params = {},
  kernel: string = DEFAULT_KERNEL,
): RunReport {
  return asUsage(() => {
    const { inst, steps } = resolve(scenario, variant, schedule, params, kernel);
    const r = runSchedule(inst, steps, { complete: true });
    const m = new Machine(inst);
    return {
      scenario: inst.scenario,
      variant: inst.variant,
      kernel: inst.kernel ?? DEFAULT_KERNEL,
      schedule: formatSchedule(r.schedule),
      steps: r.events.length,
      threads: inst.threads.map((t) => t.name),
      violations: r.violations.map((v) => violationReport(v, inst, r.events)),
      final: { ...summarize(m, r.states[r.states.length - 1] ?? m.initial()) },
    };
  });
}

/**
 * The run as a viewer replays it (see TraceData). `complete` runs the
 * remaining threads in index order after the schedule; without it the trace
 * stops where the schedule stops, so a user can keep choosing.
 */
export function traceReport(
  scenario: string,
  variant?: string,
  schedule?: string,
  options: { complete?: boolean; params?: Params; kernel?: string; text?: string } = {},
): TraceData {
  return asUsage(() => {
    const { inst, steps } = resolve(
      scenario,
      variant,
      schedule,
      options.params,
      options.kernel,
      options.text,
    );
    return traceRun(inst, steps, { complete: options.complete ?? false });
  });
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
  const litmus = test && { litmus: herdVerdict(test, litmusResult(test, inst, r), budget) };
  const listed = r.outcomes.slice(0, OUTCOMES_LISTED);
  let counterexample: ExploreReport['counterexample'] = null;
  if (r.counterexample) {
    const replay = runSchedule(inst, r.counterexample, { complete: true });
    counterexample = {
      schedule: formatSchedule(replay.schedule),
      violations: replay.violations.map((v) => violationReport(v, inst, replay.events)),
      violationStep: firstViolationStep(replay.violations),
      minimized: minimizedReport(inst, r.counterexample),
    };
  }
  const min = counterexample?.minimized;
  const fewest = min ? fewestReport(inst, min.preemptions.length, min.kind as CheckKind) : null;
  const differs = outcomeDiffs(inst, listed);
  let map: MapSummary | undefined;
  if (r.outcomeTable) {
    const om = outcomeMap(new Machine(inst), r.outcomeTable);
    map = mapSummary(om);
    onMap?.(om, r.outcomeTable, inst);
  }
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
    outcomes: listed.map((o, i) => ({
      violations: o.violations,
      witness: formatSchedule(o.witness),
      executions: o.executions,
      violationStep:
        o.violations.length > 0
          ? firstViolationStep(runSchedule(inst, o.witness, { complete: true }).violations)
          : 0,
      differs: differs[i] ?? [],
    })),
    counterexample,
    fewestPreemptions: fewest,
    ...litmus,
    ...(map && { map }),
  };
}

/** Where a replay should land: just after the step from which the first violation holds. */
function firstViolationStep(vs: readonly Violation[]): number {
  return vs.length === 0 ? 0 : Math.min(...vs.map((v) => v.step)) + 1;
}
