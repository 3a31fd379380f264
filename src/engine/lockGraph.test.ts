import { describe, expect, it } from 'vitest';
import { Machine } from './machine';
import { LockGraph } from './lockGraph';
import { prng, randomScenario } from './testing';

/** Up to `limit` reachable states of a program, breadth first, each once. */
function reachable(m: Machine, limit: number): Int32Array[] {
  const seen = new Set<string>();
  const out: Int32Array[] = [];
  const queue = [m.initial()];
  while (queue.length > 0 && out.length < limit) {
    const s = queue.shift() as Int32Array;
    const key = s.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
    for (const t of m.runnable(s)) queue.push(m.stepQuiet(s, t));
  }
  return out;
}

describe('LockGraph', () => {
  // Random programs with locks, rwlocks and SRCU; the seed is in the test name. The
  // observer skips a (thread, pc, held locks) it has seen: it must find what observing
  // every state every time finds, whatever the order and however often states repeat.
  const seeds = Array.from({ length: 40 }, (_, i) => i + 1);
  it.each(seeds)('seed %i: memoised observation finds what observing every time finds', (seed) => {
    const rand = prng(seed);
    const inst = randomScenario(rand, 2 + Math.floor(rand() * 3), 5 + Math.floor(rand() * 4));
    inst.checks = ['lock-order', 'srcu-rule', 'sleep-in-atomic'];
    const m = new Machine(inst);
    const states = reachable(m, 3000);
    // Each state two or three times, in a shuffled order.
    const visits = states.flatMap((s) => (rand() < 0.5 ? [s, s] : [s, s, s]));
    for (let i = visits.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [visits[i], visits[j]] = [visits[j] as Int32Array, visits[i] as Int32Array];
    }
    const memo = new LockGraph(m);
    const every = new LockGraph(m);
    for (const s of visits)
      for (let t = 0; t < m.threadCount; t++) {
        memo.observe(s, t);
        const o = every.observation(s, t);
        if (o) every.apply(o);
      }
    expect(memo.result()).toEqual(every.result());
  });

  // The parallel search's workers key observations by number: equal keys must mean equal
  // observations, and a key exactly where there is an observation.
  it('seeds 1-40: observation keys name observations one to one', () => {
    let observed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rand = prng(seed);
      const inst = randomScenario(rand, 2 + Math.floor(rand() * 3), 5 + Math.floor(rand() * 4));
      const m = new Machine(inst);
      const g = new LockGraph(m);
      const byKey = new Map<number, string>();
      const byObs = new Map<string, number>();
      for (const s of reachable(m, 1500))
        for (let t = 0; t < m.threadCount; t++) {
          const o = g.observation(s, t);
          const k = g.observationKey(s, t);
          expect(k === -1).toBe(o === null);
          if (!o) continue;
          observed++;
          const json = JSON.stringify(o);
          expect(byKey.get(k) ?? json).toBe(json);
          expect(byObs.get(json) ?? k).toBe(k);
          byKey.set(k, json);
          byObs.set(json, k);
        }
    }
    expect(observed).toBeGreaterThan(100);
  });
});
