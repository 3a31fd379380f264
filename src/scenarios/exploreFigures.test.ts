import { describe, expect, it } from 'vitest';
import { exploreStateGraph, type ScenarioInstance } from '../engine';
import { exploreStateGraphLegacy } from '../engine/exploreLegacy';
import { prng, randomScenario } from '../engine/testing';
import { SCENARIOS, instantiate } from './catalog';

/**
 * The compact-store search must compute exactly the figures of the search it
 * replaced (string keys, an object per state): same counts, same shortest
 * counterexample, same final states reached by the same witnesses.
 */
function same(inst: ScenarioInstance, budget?: number) {
  const opts = budget === undefined ? {} : { budget };
  const now = exploreStateGraph(inst, opts);
  const old = exploreStateGraphLegacy(inst, opts);
  expect(now.complete).toBe(old.complete);
  expect(now.states).toBe(old.states);
  expect(now.distinctOutcomes).toBe(old.distinctOutcomes);
  expect(now.lockRules).toEqual(old.lockRules);
  const witnesses = (os: { witness: number[]; violations: string[] }[]) =>
    os.map((o) => `${o.witness.join('.')} ${[...o.violations].sort().join(',')}`).sort();
  expect(witnesses(now.outcomes)).toEqual(witnesses(old.outcomes));
  expect(now.violatingOutcomes).toBe(old.outcomes.filter((o) => o.violations.length).length);
  if (!old.complete) return;
  expect(now.executions).toBe(old.executions);
  expect(now.violatingExecutions).toBe(old.violatingExecutions);
  expect(now.violationsByKind).toEqual(old.violationsByKind);
  expect(now.counterexample).toEqual(old.counterexample);
  const counts = (os: { witness: number[]; executions: number | null }[]) =>
    os.map((o) => `${o.witness.join('.')} ${o.executions}`).sort();
  expect(counts(now.outcomes)).toEqual(counts(old.outcomes));
}

// The four big ABA variants (200,000+ states) take seconds each in the old search:
// compared over their first 30,000 states, every other built-in over all of them.
const BIG = new Set(['aba/buggy', 'aba/pinned', 'aba/slow-path', 'aba/irq-off']);
const BUILT_INS = SCENARIOS.flatMap((s) =>
  s.variants.map((v) => ({
    name: `${s.id}/${v.id}`,
    inst: () => instantiate(s.id, v.id, s.params ? { n: 3, k: 2 } : {}),
  })),
);

describe('the compact-store search computes the old search figures', () => {
  it.each(BUILT_INS)('$name', ({ name, inst }) => {
    same(inst(), BIG.has(name) ? 30_000 : undefined);
  });

  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('random program, seed %i', (seed) => {
    const rand = prng(seed);
    const inst = randomScenario(rand, 2 + Math.floor(rand() * 3), 5 + Math.floor(rand() * 4));
    let threw: unknown = null;
    try {
      exploreStateGraphLegacy(inst);
    } catch (e) {
      threw = e;
    }
    if (threw) expect(() => exploreStateGraph(inst)).toThrow((threw as Error).message);
    else same(inst);
  });
});
