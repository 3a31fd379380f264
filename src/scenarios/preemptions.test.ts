import { describe, expect, it } from 'vitest';
import { SCENARIOS, instantiate } from './catalog';
import {
  Machine,
  exploreBounded,
  exploreStateGraph,
  fewestPreemptions,
  minimizeCounterexample,
  preemptionsOf,
  removablePreemptions,
  runSchedule,
  type CheckKind,
  type ScenarioInstance,
} from '../engine';

/** Every built-in variant of the default kernel, with the unreduced-by-bound search's verdict. */
const BUILT_INS = SCENARIOS.flatMap((s) =>
  s.variants.map((v) => {
    const inst = instantiate(s.id, v.id);
    const full = exploreStateGraph(inst);
    const kinds = new Set(full.outcomes.flatMap((o) => o.violations));
    return { name: `${s.id}/${v.id}`, inst, full, kinds };
  }),
);
const VIOLATING = BUILT_INS.filter((b) => b.full.counterexample !== null);

function finalKinds(inst: ScenarioInstance, schedule: readonly number[]): CheckKind[] {
  return runSchedule(inst, schedule).violations.map((v) => v.kind);
}

describe('preemptionsOf', () => {
  it('counts a switch away from a runnable thread, not one away from a finished thread', () => {
    const inst = instantiate('dirty-bit-loss', 'buggy');
    const m = new Machine(inst);
    // Run thread 0 to its end, then thread 1 to its end: one free switch.
    const serial = runSchedule(inst, [], { complete: true }).schedule;
    expect(preemptionsOf(m, serial)).toEqual([]);
    // One step of thread 0, then thread 1 while thread 0 could go on: a preemption at step 1.
    const first = serial[0] as number;
    const other = 1 - first;
    const cut = runSchedule(inst, [first, other], { complete: true }).schedule;
    expect(preemptionsOf(m, cut)[0]).toEqual({ step: 1, from: first, to: other });
  });
});

describe.each(VIOLATING)('minimised counterexample of $name', ({ inst, full }) => {
  const min = minimizeCounterexample(inst, full.counterexample as number[]);
  it('still ends in the violation it started with', () => {
    expect(min).not.toBeNull();
    const kinds = finalKinds(inst, min?.schedule ?? []);
    expect(kinds).toContain(min?.kind);
  });
  it('has no more preemptions than the search found', () => {
    const m = new Machine(inst);
    const before = preemptionsOf(m, full.counterexample as number[]).length;
    expect(min?.preemptions.length).toBeLessThanOrEqual(before);
    expect(min?.preemptions).toEqual(preemptionsOf(m, min?.schedule ?? []));
  });
  it('is 1-minimal: removing any one preemption loses the violation (checked by replay)', () => {
    expect(removablePreemptions(inst, min?.schedule ?? [], min?.kind as CheckKind)).toEqual([]);
  });
});

describe.each(BUILT_INS)('preemption bounding of $name', ({ inst, kinds }) => {
  it('finds a violation exactly when the unbounded search does, at the fewest preemptions', () => {
    const few = fewestPreemptions(inst, kinds.size > 0 ? 4 : 1, { budget: 400_000 });
    const last = few.searches[few.searches.length - 1];
    if (kinds.size === 0) {
      expect(few.needed).toBeNull();
      expect(last?.complete).toBe(true);
      return;
    }
    expect(few.needed).not.toBeNull();
    const needed = few.needed as number;
    // The bound below covered every schedule with fewer preemptions and found none.
    if (needed > 0) {
      const below = few.searches[needed - 1];
      expect(below?.complete).toBe(true);
      expect(below?.counterexample).toBeNull();
    }
    const schedule = few.counterexample as number[];
    expect(preemptionsOf(new Machine(inst), schedule).length).toBe(needed);
    expect(finalKinds(inst, schedule).some((k) => kinds.has(k))).toBe(true);
  });
});

describe('exploreBounded', () => {
  it('a budget below the work makes the result incomplete, with no claim', () => {
    const inst = instantiate('aba', 'pinned');
    const r = exploreBounded(inst, 2, { budget: 100 });
    expect(r.complete).toBe(false);
    expect(r.counterexample).toBeNull();
  });
  it('with a large bound it reaches every final state the unbounded search does', () => {
    const inst = instantiate('dirty-bit-loss', 'fixed');
    const r = exploreBounded(inst, 1000);
    expect(r.complete).toBe(true);
    expect(r.counterexample).toBeNull();
    expect(r.outcomes).toBe(exploreStateGraph(inst, { por: false }).distinctOutcomes);
  });
});
