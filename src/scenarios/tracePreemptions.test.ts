import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { instantiate } from './catalog';
import { exploreReport } from './report';
import { Machine, parseSchedule, traceRun, type TraceData } from '../engine';

/** Preemptions read off the trace's own status rows, independently of preemptionsOf. */
function fromStatus(trace: TraceData): { step: number; from: number; to: number }[] {
  const out: { step: number; from: number; to: number }[] = [];
  trace.steps.forEach((ev, i) => {
    const prev = trace.steps[i - 1];
    if (prev && prev.thread !== ev.thread && trace.status[i]?.[prev.thread]?.runnable)
      out.push({ step: i, from: prev.thread, to: ev.thread });
  });
  return out;
}

describe('TraceData.preemptions', () => {
  it('seed 1207: are exactly the switches away from a thread the status shows runnable', () => {
    const inst = instantiate('notifier-retry', 'no-recheck');
    const m = new Machine(inst);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (picks) => {
        // A random valid schedule: each pick chooses among the threads that can run.
        let s = m.initial();
        const schedule: number[] = [];
        for (const pick of picks) {
          const can = m.runnable(s);
          if (can.length === 0) break;
          const t = can[pick % can.length] as number;
          s = m.stepQuiet(s, t);
          schedule.push(t);
        }
        const trace = traceRun(inst, schedule, { complete: true });
        expect(trace.preemptions.map(({ step, from, to }) => ({ step, from, to }))).toEqual(
          fromStatus(trace),
        );
      }),
      { seed: 1207, numRuns: 60 },
    );
  });

  it('marks every preemption of the minimised counterexample required, and not all of the raw one', () => {
    const report = exploreReport('notifier-retry', 'no-recheck');
    const inst = instantiate('notifier-retry', 'no-recheck');
    const ce = report.counterexample;
    const min = ce?.minimized;
    if (!ce || !min) throw new Error('no-recheck has a counterexample');
    const minTrace = traceRun(inst, parseSchedule(min.schedule), { complete: true });
    expect(minTrace.preemptions.length).toBeGreaterThan(0);
    expect(minTrace.preemptions.every((p) => p.required === true)).toBe(true);
    const raw = traceRun(inst, parseSchedule(ce.schedule), { complete: true });
    expect(raw.preemptions.length).toBe(min.originalPreemptions);
    expect(raw.preemptions.some((p) => p.required === false)).toBe(true);
  });

  it('has no verdict (null) on a run without a final violation or one cut short', () => {
    const fixed = instantiate('notifier-retry', 'fixed');
    const raw = parseSchedule(
      exploreReport('notifier-retry', 'no-recheck').counterexample?.schedule ?? '',
    );
    // The fixed variant's programs differ; its own canonical run is preempted and violation-free.
    const ok = traceRun(fixed, fixed.canonical, { complete: true });
    expect(ok.preemptions.length).toBeGreaterThan(0);
    expect(ok.preemptions.every((p) => p.required === null)).toBe(true);
    const broken = instantiate('notifier-retry', 'no-recheck');
    const cut = traceRun(broken, raw.slice(0, raw.length - 3));
    expect(cut.final).toBe(false);
    expect(cut.preemptions.length).toBeGreaterThan(0);
    expect(cut.preemptions.every((p) => p.required === null)).toBe(true);
  });
});
