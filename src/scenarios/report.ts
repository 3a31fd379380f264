/**
 * The JSON-facing surface shared by the CLI and the worker: list scenarios,
 * run one schedule, trace it for the viewer, explore every interleaving
 * (exploreReport.ts). Shapes follow the CLI contract in the README
 * (`list --json`, `run --json`, `explore --json`).
 */
import {
  Machine,
  formatSchedule,
  parseSchedule,
  runSchedule,
  summarize,
  traceRun,
  type TraceData,
} from '../engine';
import { DEFAULT_KERNEL, SCENARIOS, kernelsOf } from './catalog';
import { asUsage, instanceOf, type Params } from './usage';
import { violationReport, type ViolationReport } from './violationReport';

// The surface other folders import from one place: the CLI, the worker and the app.
export { UsageError, parsedText, type Params } from './usage';
export { violationReport, type ViolationReport } from './violationReport';
export {
  exploreReport,
  exploreReportWith,
  type ExploreReport,
  type ExploreRequest,
} from './exploreReport';

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
