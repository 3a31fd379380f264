/** A violation as the CLI's JSON and the app show it: the engine's, with its story in kernel terms. */
import type { ScenarioInstance, StepEvent, Violation } from '../engine';

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
