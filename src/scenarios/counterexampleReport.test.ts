import { describe, expect, it } from 'vitest';
import {
  Machine,
  exploreBounded,
  exploreStateGraph,
  parseSchedule,
  preemptionsOf,
  removablePreemptions,
  runSchedule,
  type CheckKind,
} from '../engine';
import { SCENARIOS, instantiate } from './catalog';
import { counterexampleReport } from './counterexampleReport';

const VIOLATING = SCENARIOS.flatMap((s) =>
  s.variants.map((v) => {
    const inst = instantiate(s.id, v.id, s.params ? { n: 4, k: 1 } : {});
    return { name: `${s.id}/${v.id}`, inst };
  }),
)
  .map((b) => ({ ...b, ce: exploreStateGraph(b.inst, { budget: 60_000 }).counterexample }))
  .filter((b) => b.ce !== null);

describe.each(VIOLATING)('the counterexample shown for $name', ({ inst, ce }) => {
  const { counterexample, fewestPreemptions: few } = counterexampleReport(inst, ce as number[]);
  const min = counterexample.minimized;
  const m = new Machine(inst);

  it('is minimised, and each preemption it keeps is required (checked by replay)', () => {
    if (!min) throw new Error('a violating schedule minimises');
    const schedule = parseSchedule(min.schedule);
    expect(runSchedule(inst, schedule).violations.map((v) => v.kind)).toContain(min.kind);
    expect(removablePreemptions(inst, schedule, min.kind as CheckKind)).toEqual([]);
    expect(preemptionsOf(m, schedule).length).toBe(min.preemptions.length);
    expect(counterexample.preemptions).toBe(preemptionsOf(m, ce as number[]).length);
  });

  it('has the fewest preemptions whenever it says so, and a search one below finds none', () => {
    if (!min || !few) throw new Error('the bounded search finishes on the built-ins');
    expect(min.minimum).toBe(true);
    expect(min.preemptions.length).toBe(few.needed);
    if (min.from === 'shortest') expect(min.originalPreemptions).toBe(counterexample.preemptions);
    else expect(few.needed).toBeLessThan(counterexample.preemptions);
    if (few.needed === 0) return expect(few.below).toBeNull();
    const below = exploreBounded(inst, few.needed - 1, { kind: min.kind as CheckKind });
    expect(below.complete).toBe(true);
    expect(below.counterexample).toBeNull();
    expect(few.below).toEqual({ bound: few.needed - 1, states: below.states });
  });
});

describe('a shortest counterexample with more preemptions than needed', () => {
  it('gives way to the bounded search’s schedule (dirty-bit-scaled n=6: 6 against 1)', () => {
    const inst = instantiate('dirty-bit-scaled', 'buggy', { n: 6, k: 1 });
    const ce = exploreStateGraph(inst).counterexample as number[];
    const { counterexample, fewestPreemptions } = counterexampleReport(inst, ce);
    expect(counterexample.preemptions).toBe(6);
    expect(fewestPreemptions?.needed).toBe(1);
    expect(counterexample.minimized).toMatchObject({
      from: 'fewest-preemptions',
      minimum: true,
      schedule: fewestPreemptions?.schedule,
    });
    expect(counterexample.minimized?.preemptions).toHaveLength(1);
  });
});
