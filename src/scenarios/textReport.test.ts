/**
 * exploreReport on scenario text (what the app's explore worker returns):
 * herd7's verdict rides along, computed over every final state of the same
 * search, and each state's witness really ends in that state.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine, parseSchedule, runSchedule } from '../engine';
import { exploreReport } from './report';
import { exploreLitmus, showValue } from '../lang';
import { stateLine } from '../lang/outcomes';
import { compiled, verdict } from '../lang/testing';

const example = (name: string) => readFileSync(`src/lang/examples/${name}`, 'utf8');

/** Four writers of distinct values and one reader of all four: 4! write orders × reads. */
function manyStates(): string {
  const writers = [0, 1, 2, 3].map(
    (i) => `P${i}(int *x, int *y) { WRITE_ONCE(*x, ${i + 1}); WRITE_ONCE(*y, ${i + 1}); }`,
  );
  return `C many\n{}\n${writers.join('\n')}\nP4(int *x, int *y) { int a = READ_ONCE(*x); int b = READ_ONCE(*y); int c = READ_ONCE(*x); }\nlocations [x; y; 4:a; 4:b; 4:c]\nexists (4:a=4)\n`;
}

describe('exploreReport on text: the herd7 verdict', () => {
  it('SB is Never under SC, and its Result: Sometimes is flagged', () => {
    const r = exploreReport('custom', undefined, { text: example('SB+sc-caveat.litmus') });
    const v = r.litmus;
    expect(v?.observation).toBe('Never');
    expect([v?.positive, v?.negative]).toEqual([0, 3]);
    expect(v?.states.map((s) => s.line)).toEqual([
      '0:r0=0; 1:r0=1;',
      '0:r0=1; 1:r0=0;',
      '0:r0=1; 1:r0=1;',
    ]);
    expect(v?.expected?.tone).toBe('flagged');
    expect(v?.expected?.word).toBe('Sometimes');
    expect(v?.notes.join('\n')).toMatch(/Never under sequential consistency/);
  });

  it('is the CLI text, state for state, and agrees with the unreduced searches', () => {
    const text = example('fast-pf-aba.litmus');
    const r = exploreReport('custom', undefined, { text });
    expect(r.litmus?.herd).toBe(verdict(text).text);
    expect(r.litmus?.observation).toBe('Sometimes');
  });

  it("each state's witness replays to a run that ends in that state", () => {
    const text = example('fast-pf-aba.litmus');
    const v = exploreReport('custom', undefined, { text }).litmus;
    if (!v) throw new Error('no verdict for a text with a condition');
    const { instance, test } = compiled(text);
    const m = new Machine(instance);
    const base = m.layout.index('cell', 0);
    for (const s of v.states) {
      const run = runSchedule(instance, parseSchedule(s.witness, instance.threads.length), {
        complete: true,
      });
      const last = run.states[run.states.length - 1] as Int32Array;
      const line = test.columns
        .map((c) => `${c.label}=${showValue(test, last[base + c.cell] ?? 0)};`)
        .join(' ');
      expect(line).toBe(s.line);
    }
  });

  it('counts every final state even when the listed outcomes are cut at 1000', () => {
    const text = manyStates();
    const r = exploreReport('custom', undefined, { text });
    expect(r.distinctOutcomes).toBeGreaterThan(1000);
    expect(r.outcomes).toHaveLength(1000);
    const v = r.litmus;
    // Every final state differs in x, y, a, b or c: herd's lines are the engine's outcomes.
    const { instance, test } = compiled(text);
    const unreduced = exploreLitmus(test, instance, { por: false, budget: 10_000_000 }).result;
    expect(v?.states.map((s) => s.line)).toEqual(
      unreduced.states.map((s) => stateLine(test, unreduced, s)),
    );
    expect(v?.states.length).toBeGreaterThan(1000);
    expect((v?.positive ?? 0) + (v?.negative ?? 0)).toBe(v?.states.length);
  });

  it('a built-in has no litmus verdict', () => {
    expect(exploreReport('aba', 'buggy').litmus).toBeUndefined();
  });
});
