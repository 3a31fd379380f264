import { describe, expect, it } from 'vitest';
import { exploreStateGraph } from './explore';
import { runSchedule } from './run';
import { prng, randomScenario } from './testing';
import type { ScenarioInstance } from './model';

/** Outcome keys with their violation kinds, comparable across searches. */
function outcomeSet(inst: ScenarioInstance, por: boolean): Map<string, string> {
  const r = exploreStateGraph(inst, { por });
  expect(r.complete).toBe(true);
  return new Map(r.outcomes.map((o) => [o.key, [...o.violations].sort().join(',')]));
}

describe('partial-order reduction against the full search', () => {
  // Random programs of 2-4 threads: loads, stores, cmpxchg, xchg, locks, rwlock, SRCU,
  // guest accesses, GUP, flushes, awaits. Seeds are in the test names; 1-40 is the sweep.
  const seeds = Array.from({ length: 40 }, (_, i) => i + 1);
  it.each(seeds)('seed %i: the same final states with the same violations', (seed) => {
    const rand = prng(seed);
    const threads = 2 + Math.floor(rand() * 3);
    const inst = randomScenario(rand, threads, 5 + Math.floor(rand() * 4));
    let full: Map<string, string>;
    try {
      full = outcomeSet(inst, false);
    } catch (e) {
      // A random program may livelock; then the reduced search must say so too.
      expect(() => exploreStateGraph(inst, { por: true })).toThrow((e as Error).name);
      return;
    }
    expect(outcomeSet(inst, true)).toEqual(full);
  });

  it.each([7, 19, 33])('regression seed %i: every witness replays to its outcome', (seed) => {
    const inst = randomScenario(prng(seed), 3, 7);
    const r = exploreStateGraph(inst, { por: true });
    for (const o of r.outcomes) {
      const replay = runSchedule(inst, o.witness);
      expect(replay.final, 'a witness must be a complete schedule').toBe(true);
      expect(replay.violations.map((v) => v.kind).sort()).toEqual([...o.violations].sort());
    }
  });
});
