import { describe, expect, it } from 'vitest';
import { exploreStateGraph } from './explore';
import { exploreWithSleepSets } from './sleepSets';
import { prng, randomScenario } from './testing';
import type { ScenarioInstance } from './model';

/** The default search's final states with their violation kinds. */
function reference(inst: ScenarioInstance): Map<string, string> {
  const r = exploreStateGraph(inst);
  expect(r.complete).toBe(true);
  return new Map(r.outcomes.map((o) => [o.key, [...o.violations].sort().join(',')]));
}

describe('sleep sets on top of stubborn sets', () => {
  // Random programs of 2-4 threads, as por.test.ts; the seed is in the test name.
  const seeds = Array.from({ length: 40 }, (_, i) => i + 1);
  it.each(seeds)('seed %i: the same final states with the same violations', (seed) => {
    const rand = prng(seed);
    const threads = 2 + Math.floor(rand() * 3);
    const inst = randomScenario(rand, threads, 5 + Math.floor(rand() * 4));
    let full: Map<string, string>;
    try {
      full = reference(inst);
    } catch (e) {
      expect(() => exploreWithSleepSets(inst)).toThrow((e as Error).name);
      return;
    }
    const z = exploreWithSleepSets(inst);
    expect(z.complete).toBe(true);
    expect(new Map([...z.outcomes].sort())).toEqual(new Map([...full].sort()));
  });
});
