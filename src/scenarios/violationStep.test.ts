import { describe, expect, it } from 'vitest';
import {
  Machine,
  exploreStateGraph,
  ViolationSteps,
  firstViolationStep,
  runSchedule,
  type CheckKind,
  type ScenarioInstance,
} from '../engine';
import { prng, randomScenario } from '../engine/testing';
import { SCENARIOS, instantiate } from './catalog';

/** The figure as the trace shows it: the full replay's violations. */
function fromTrace(inst: ScenarioInstance, schedule: readonly number[], kind?: CheckKind): number {
  const vs = runSchedule(inst, schedule, { complete: true }).violations.filter(
    (v) => kind === undefined || v.kind === kind,
  );
  return vs.length === 0 ? 0 : Math.min(...vs.map((v) => v.step)) + 1;
}

/**
 * Every listed outcome's witness, and it cut short (completion must run the
 * rest), through one ViolationSteps (each replay starts from the previous
 * one's states where they share a prefix) and alone.
 */
function agree(inst: ScenarioInstance, budget = 20_000): number {
  const m = new Machine(inst);
  const shared = new ViolationSteps(m);
  const r = exploreStateGraph(inst, { budget, maxOutcomes: 60 });
  let checked = 0;
  for (const o of r.outcomes) {
    for (const w of [o.witness, o.witness.slice(0, Math.floor(o.witness.length / 2))]) {
      expect(shared.of(w)).toBe(fromTrace(inst, w));
      expect(firstViolationStep(m, w)).toBe(fromTrace(inst, w));
      for (const kind of o.violations) expect(shared.of(w, kind)).toBe(fromTrace(inst, w, kind));
      checked++;
    }
  }
  return checked;
}

describe('firstViolationStep gives the full replay figure', () => {
  it.each(
    SCENARIOS.flatMap((s) =>
      s.variants.map((v) => ({
        name: `${s.id}/${v.id}`,
        inst: () => instantiate(s.id, v.id, s.params ? { n: 3, k: 2 } : {}),
      })),
    ),
  )('$name', ({ inst }) => {
    expect(agree(inst())).toBeGreaterThan(0);
  });

  it.each(Array.from({ length: 30 }, (_, i) => i + 1))('random program, seed %i', (seed) => {
    const rand = prng(seed);
    const inst = randomScenario(rand, 2 + Math.floor(rand() * 3), 5 + Math.floor(rand() * 4));
    let threw = false;
    try {
      exploreStateGraph(inst, { budget: 2000 });
    } catch {
      threw = true;
    }
    if (!threw) expect(agree(inst, 2000)).toBeGreaterThan(0);
  });

  it('an impossible schedule fails as the full replay does', () => {
    const inst = instantiate('dirty-bit-loss', 'buggy');
    const bad = [
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    expect(() => firstViolationStep(new Machine(inst), bad)).toThrow(
      (() => {
        try {
          runSchedule(inst, bad, { complete: true });
        } catch (e) {
          return (e as Error).message;
        }
        return 'no error';
      })(),
    );
  });
});
