import { describe, expect, it } from 'vitest';
import { parseSchedule, runSchedule } from '../engine';
import { instantiate } from './catalog';
import { exploreReport } from './report';

describe('exploreReport: only the engine figures', () => {
  // 100,000 states of n=6 k=3 reach about 10,000 violating final states: more than the
  // report lists, so a count taken from the list would be wrong.
  const partial = exploreReport('dirty-bit-scaled', 'buggy', {
    params: { n: 6, k: 3 },
    budget: 100_000,
  });

  it('counts violating final states over the whole search, not over the listed ones', () => {
    expect(partial.complete).toBe(false);
    expect(partial.stopReason).toBe('states');
    const listed = partial.outcomes.filter((o) => o.violations.length > 0).length;
    expect(partial.outcomes.length).toBe(1000);
    expect(partial.violatingOutcomes).toBeGreaterThan(listed);
    expect(partial.outcomesByKind['lost-dirty-bit']).toBe(partial.violatingOutcomes);
  });

  it('an incomplete search reports no execution count but keeps its counterexample', () => {
    expect(partial.executions).toBeNull();
    expect(partial.violatingExecutions).toBeNull();
    expect(partial.counterexample?.violations[0]?.kind).toBe('lost-dirty-bit');
    expect(partial.outcomes.every((o) => o.executions === null)).toBe(true);
  });

  it('replays land where the violation holds, and each final state says what differs', () => {
    const r = exploreReport('dirty-bit-scaled', 'buggy', { params: { n: 2, k: 1 } });
    const inst = instantiate('dirty-bit-scaled', 'buggy', { n: 2, k: 1 });
    expect(r.complete).toBe(true);
    for (const o of r.outcomes.filter((x) => x.violations.length > 0)) {
      const run = runSchedule(inst, parseSchedule(o.witness, inst.threads.length), {
        complete: true,
      });
      const first = Math.min(...run.violations.map((v) => v.step));
      expect(o.violationStep, 'just after the step from which it holds').toBe(first + 1);
    }
    expect(r.outcomes.filter((o) => o.differs.length > 0).length).toBeGreaterThan(0);
    // Violating final states are listed first.
    const bad = r.outcomes.map((o) => o.violations.length > 0);
    expect(bad).toEqual([...bad].sort((a, b) => Number(b) - Number(a)));
  });
});
