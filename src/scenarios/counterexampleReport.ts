/**
 * The counterexample a reader is shown: the search's shortest, then the one
 * with the fewest preemptions, each preemption load-bearing.
 *
 * Minimising the shortest counterexample gives a 1-minimal schedule (no
 * single preemption can go) that can still have more preemptions than
 * another schedule needs: dirty-bit-scaled n=9's shortest minimises to 9,
 * where 1 suffices. Printing "9 preemptions, each one required" beside
 * "needs 1" reads as a contradiction, so when the bounded search finds a
 * schedule with fewer, that schedule is the one shown, minimised in turn
 * (it cannot lose any: none with fewer reaches the violation).
 */
import {
  Machine,
  formatSchedule,
  preemptionsOf,
  runSchedule,
  type CheckKind,
  type ScenarioInstance,
  type Violation,
} from '../engine';
import { violationReport, type ViolationReport } from './violationReport';
import {
  fewestSearch,
  minimizedReport,
  type FewestReport,
  type MinimizedReport,
} from './preemptionReport';

export interface CounterexampleReport {
  schedule: string;
  /** Preemptions of this (the shortest) schedule. */
  preemptions: number;
  violations: ViolationReport[];
  /** Cursor position (ops done) at which the first violation is visible. */
  violationStep: number;
  /**
   * The same violation with only the preemptions it needs (1-minimal:
   * removing any one loses it, checked by replay), and the fewest possible
   * whenever the bounded search could tell (`minimum`); what the app shows by default.
   */
  minimized: MinimizedReport | null;
}

/** The counterexample and the fewest preemptions its violation needs (null: none found within budget). */
export function counterexampleReport(
  inst: ScenarioInstance,
  schedule: readonly number[],
): { counterexample: CounterexampleReport; fewestPreemptions: FewestReport | null } {
  const replay = runSchedule(inst, schedule, { complete: true });
  const m = new Machine(inst);
  let minimized = minimizedReport(inst, schedule);
  let few: ReturnType<typeof fewestSearch> = null;
  if (minimized) {
    const kind = minimized.kind as CheckKind;
    // The minimised count bounds the search: a violation exists there.
    few = fewestSearch(inst, minimized.preemptions.length, kind);
    const fewer = few !== null && few.report.needed < minimized.preemptions.length;
    const fromFewest =
      few && fewer
        ? minimizedReport(inst, few.witness, { kind, from: 'fewest-preemptions', minimum: true })
        : null;
    minimized = fromFewest ?? { ...minimized, minimum: few !== null && !fewer };
  }
  return {
    counterexample: {
      schedule: formatSchedule(replay.schedule),
      preemptions: preemptionsOf(m, replay.schedule).length,
      violations: replay.violations.map((v) => violationReport(v, inst, replay.events)),
      violationStep: firstStep(replay.violations),
      minimized,
    },
    fewestPreemptions: few?.report ?? null,
  };
}

/** Where a replay should land: just after the step from which the first violation holds. */
function firstStep(vs: readonly Violation[]): number {
  return vs.length === 0 ? 0 : Math.min(...vs.map((v) => v.step)) + 1;
}
