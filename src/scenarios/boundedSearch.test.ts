import { describe, expect, it } from 'vitest';
import {
  Machine,
  exploreBounded,
  type BoundedResult,
  type CheckKind,
  type ScenarioInstance,
} from '../engine';
import { finalConditions } from '../engine/checks';
import { outcomeKey, stateKey } from '../engine/stateKey';
import { prng, randomScenario } from '../engine/testing';
import { SCENARIOS, instantiate } from './catalog';

/**
 * The preemption-bounded search as it was first written (string keys, a
 * copied state per step), kept here as the reference: the interned,
 * buffer-per-depth search must visit the same pairs in the same order.
 */
function reference(inst: ScenarioInstance, bound: number, budget: number): BoundedResult {
  const m = new Machine(inst);
  const seen = new Map<string, number>();
  const finals = new Set<string>();
  const path: number[] = [];
  let found: { schedule: number[]; kinds: CheckKind[] } | null = null;
  let stopped = false;
  const visit = (s: Int32Array, last: number, used: number): void => {
    if (found || stopped) return;
    const runnable = m.runnable(s);
    if (runnable.length === 0) {
      finals.add(outcomeKey(m, s));
      const kinds = [...new Set(finalConditions(m, s).map((c) => c.kind))];
      if (kinds.length > 0) found = { schedule: path.slice(), kinds };
      return;
    }
    const key = `${last}|${stateKey(s)}`;
    const before = seen.get(key);
    if (before !== undefined && before <= used) return;
    if (before === undefined && seen.size >= budget) {
      stopped = true;
      return;
    }
    seen.set(key, used);
    const lastRuns = last >= 0 && runnable.includes(last);
    for (const t of lastRuns ? [last, ...runnable.filter((x) => x !== last)] : runnable) {
      const cost = lastRuns && t !== last ? 1 : 0;
      if (used + cost > bound) continue;
      const mark = path.length;
      path.push(t);
      visit(m.settle(m.stepQuiet(s, t), t, path), t, used + cost);
      path.length = mark;
    }
  };
  let s0 = m.initial();
  for (let t = 0; t < m.threadCount; t++) s0 = m.settle(s0, t, path);
  visit(s0, -1, 0);
  const ce = found as { schedule: number[]; kinds: CheckKind[] } | null;
  return {
    bound,
    complete: !ce && !stopped,
    states: seen.size,
    outcomes: finals.size,
    counterexample: ce?.schedule ?? null,
    kinds: ce?.kinds ?? [],
  };
}

function same(inst: ScenarioInstance, budget: number) {
  for (let bound = 0; bound <= 2; bound++) {
    const now = exploreBounded(inst, bound, { budget });
    expect(now).toEqual(reference(inst, bound, budget));
    if (now.counterexample || !now.complete) return;
  }
}

describe('the bounded search visits what the reference visits, in the same order', () => {
  it.each(
    SCENARIOS.flatMap((s) =>
      s.variants.map((v) => ({
        name: `${s.id}/${v.id}`,
        inst: () => instantiate(s.id, v.id, s.params ? { n: 3, k: 2 } : {}),
      })),
    ),
  )('$name', ({ inst }) => same(inst(), 20_000));

  it.each(Array.from({ length: 30 }, (_, i) => i + 1))('random program, seed %i', (seed) => {
    const rand = prng(seed);
    const inst = randomScenario(rand, 2 + Math.floor(rand() * 3), 5 + Math.floor(rand() * 4));
    let threw: unknown = null;
    try {
      reference(inst, 2, 5000);
    } catch (e) {
      threw = e;
    }
    if (threw) expect(() => exploreBounded(inst, 2, { budget: 5000 })).toThrow();
    else same(inst, 5000);
  });
});
