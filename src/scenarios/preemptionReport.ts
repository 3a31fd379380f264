/**
 * The counterexample as a reader wants it: minimised to the preemptions it
 * needs, with the fewest preemptions any violating schedule needs, and the
 * preemption-bounded search behind `explore --preemptions N`.
 */
import {
  Machine,
  fewestPreemptions,
  firstViolationStep,
  preemptionsOf,
  formatSchedule,
  minimizeCounterexample,
  runSchedule,
  type CheckKind,
  type Preemption,
  type ScenarioInstance,
  type StepEvent,
} from '../engine';
import { DEFAULT_KERNEL, instantiate } from './catalog';
type Params = Record<string, string | number>;

/** A preemption, 0-based `step` (the first op `to` runs), threads by index and name. */
export interface PreemptionReport {
  step: number;
  from: number;
  to: number;
  fromName: string;
  toName: string;
  /** The op `from` ran last before the switch (its pseudo-C), when known. */
  after?: string;
}

export interface MinimizedReport {
  schedule: string;
  kind: string;
  /** Cursor position (ops done) at which the violation is visible. */
  violationStep: number;
  /** Each one load-bearing: removing it loses the violation (checked by replay). */
  preemptions: PreemptionReport[];
  /** Preemptions of the counterexample it was minimised from (`from`). */
  originalPreemptions: number;
  /**
   * What it was minimised from: the search's shortest counterexample, or,
   * when that one minimises to more preemptions than the violation needs,
   * the bounded search's witness with the fewest.
   */
  from: 'shortest' | 'fewest-preemptions';
  /**
   * True when its preemptions are the fewest any schedule reaching its kind
   * needs (the bounded search one below found none): minimum, not only
   * 1-minimal. False when that is unknown (the bounded search hit its budget).
   */
  minimum: boolean;
}

export interface FewestReport {
  /** The fewest preemptions with which any schedule reaches the violation. */
  needed: number;
  schedule: string;
  violationStep: number;
  /** The search one bound lower, which covered every such schedule and found none. */
  below: { bound: number; states: number } | null;
}

export function preemptionReport(
  inst: ScenarioInstance,
  p: Preemption,
  events?: readonly StepEvent[],
): PreemptionReport {
  // `from` ran the step just before the switch: that is where it was stopped.
  const ev = events?.[p.step - 1];
  const after = ev ? inst.threads[ev.thread]?.program[ev.pc]?.text : undefined;
  return {
    ...p,
    fromName: inst.threads[p.from]?.name ?? `thread ${p.from}`,
    toName: inst.threads[p.to]?.name ?? `thread ${p.to}`,
    ...(after !== undefined && { after }),
  };
}

/** Cursor position just after the step from which the first violation of `kind` holds. */
function violationStepOf(
  inst: ScenarioInstance,
  schedule: readonly number[],
  kind?: CheckKind,
): number {
  return firstViolationStep(new Machine(inst), schedule, kind);
}

/**
 * The counterexample with only the preemptions it needs (1-minimal), or
 * null when the schedule ends in no violation (of `kind`, if given).
 * `from` and `minimum` describe it; the caller knows them (see counterexampleReport).
 */
export function minimizedReport(
  inst: ScenarioInstance,
  schedule: readonly number[],
  about: { kind?: CheckKind; from?: MinimizedReport['from']; minimum?: boolean } = {},
): MinimizedReport | null {
  const min = minimizeCounterexample(inst, schedule, about.kind);
  if (!min) return null;
  const events = runSchedule(inst, min.schedule).events;
  return {
    schedule: formatSchedule(min.schedule),
    kind: min.kind,
    violationStep: violationStepOf(inst, min.schedule, min.kind),
    preemptions: min.preemptions.map((p) => preemptionReport(inst, p, events)),
    originalPreemptions: min.originalPreemptions,
    from: about.from ?? 'shortest',
    minimum: about.minimum ?? false,
  };
}

/**
 * Iterative bounding up to `upTo` preemptions (the minimised
 * counterexample's count is a safe upper bound: a violation exists there),
 * with the witness found as a schedule.
 */
export function fewestSearch(
  inst: ScenarioInstance,
  upTo: number,
  kind?: CheckKind,
): { report: FewestReport; witness: number[] } | null {
  const few = fewestPreemptions(inst, upTo, { ...(kind && { kind }), budget: 500_000 });
  if (few.needed === null || !few.counterexample) return null;
  const below = few.searches[few.needed - 1];
  const report = {
    needed: few.needed,
    schedule: formatSchedule(few.counterexample),
    violationStep: violationStepOf(inst, few.counterexample),
    below: below ? { bound: below.bound, states: below.states } : null,
  };
  return { report, witness: few.counterexample };
}

/** `explore --preemptions N`: only schedules with at most N preemptions. */
export interface BoundedReport {
  scenario: string;
  variant: string;
  kernel: string;
  bound: number;
  /** The fewest preemptions a violation needs, when one appears within the bound. */
  needed: number | null;
  /** True when every bound searched covered all its schedules (none hit the budget). */
  complete: boolean;
  /** Each bound searched, 0 upwards: distinct (state, running thread) pairs visited. */
  searches: { bound: number; states: number; complete: boolean; found: boolean }[];
  counterexample: {
    schedule: string;
    kinds: string[];
    violationStep: number;
    preemptions: PreemptionReport[];
  } | null;
  ms: number;
}

export function boundedSearch(
  inst: ScenarioInstance,
  bound: number,
  options: { budget?: number; shouldStop?: () => boolean } = {},
): BoundedReport {
  const t0 = performance.now();
  const few = fewestPreemptions(inst, bound, options);
  const ce = few.counterexample;
  const last = few.searches[few.searches.length - 1];
  const found = few.needed !== null;
  const events = ce ? runSchedule(inst, ce).events : [];
  return {
    scenario: inst.scenario,
    variant: inst.variant,
    kernel: inst.kernel ?? DEFAULT_KERNEL,
    bound,
    needed: few.needed,
    complete: found || (last?.complete ?? false),
    searches: few.searches.map((s) => ({
      bound: s.bound,
      states: s.states,
      complete: s.complete,
      found: s.counterexample !== null,
    })),
    counterexample: ce
      ? {
          schedule: formatSchedule(ce),
          kinds: few.kinds,
          violationStep: violationStepOf(inst, ce),
          // Exactly `needed` of them, each required: no schedule with fewer violates.
          preemptions: preemptionsOf(new Machine(inst), ce).map((p) =>
            preemptionReport(inst, p, events),
          ),
        }
      : null,
    ms: Math.round(performance.now() - t0),
  };
}

export function boundedReport(
  scenario: string,
  variant: string | undefined,
  options: { bound: number; params?: Params; kernel?: string; budget?: number },
): BoundedReport {
  const inst = instantiate(scenario, variant, options.params, options.kernel);
  return boundedSearch(inst, options.bound, {
    ...(options.budget !== undefined && { budget: options.budget }),
  });
}
