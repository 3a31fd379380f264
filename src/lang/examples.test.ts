/** The README's examples, run as the CLI runs them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exploreLitmus, formatHerd } from './index';
import { compiled } from './testing';

const run = (name: string) => {
  const { test, instance } = compiled(
    readFileSync(new URL(`./examples/${name}`, import.meta.url), 'utf8'),
  );
  const { result } = exploreLitmus(test, instance);
  return { result, text: formatHerd(test, result) };
};

describe('examples', () => {
  it('SB under SC: Never, and the Sometimes Result is flagged', () => {
    const { result, text } = run('SB+sc-caveat.litmus');
    expect([result.observation, result.positive, result.negative]).toEqual(['Never', 0, 3]);
    expect(result.expected?.flagged).toBe(true);
    expect(text).toContain('under sequential consistency');
  });
  it('the locking.rst fast-page-fault table: the OOPS is reachable', () => {
    const { result } = run('fast-pf-aba.litmus');
    expect([result.observation, result.positive, result.negative]).toEqual(['Sometimes', 1, 5]);
    expect(result.expected?.agrees).toBe(true);
  });
  it("6.12's fast page fault with a hand-written harvest loses the dirty log", () => {
    const { result } = run('kvm-own-harvest.litmus');
    expect(result.violations.map((v) => v.kind)).toEqual(['lost-dirty-log']);
  });
});
