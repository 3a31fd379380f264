/** Helpers for the language layer's tests (not part of index.ts). */
import { enumerateExecutions, exploreStateGraph, type ExploreResult } from '../engine';
import { parseScenario, type ParseOptions } from './index';
import { formatHerd, litmusResult, showValue, type LitmusResult } from './outcomes';
import type { LitmusTest } from './compiler';

export function compiled(text: string, options: ParseOptions = {}) {
  const r = parseScenario(text, options);
  if (!r.ok) throw new Error(`parse failed: ${JSON.stringify(r.errors)}`);
  return r;
}

/** herd7's state lines, e.g. `0:r0=1; x=2;`. */
export function lines(test: LitmusTest, r: LitmusResult): string[] {
  return r.states.map((s) =>
    r.columns.map((c, i) => `${c}=${showValue(test, s.values[i] ?? 0)};`).join(' '),
  );
}

/**
 * The verdict by three searches: the reduced graph search (what the CLI
 * runs), the unreduced one, and one-by-one enumeration. Throws if they
 * disagree, so each hand-worked expectation is also a cross-check.
 */
export function verdict(text: string, options: ParseOptions = {}) {
  const { instance, test } = compiled(text, options);
  const by = (e: ExploreResult) => litmusResult(test, instance, e);
  const reduced = by(exploreStateGraph(instance));
  const full = by(exploreStateGraph(instance, { por: false }));
  const naive = by(enumerateExecutions(instance));
  const a = formatHerd(test, reduced);
  for (const other of [full, naive]) {
    const b = formatHerd(test, other);
    if (a !== b) throw new Error(`searches disagree:\n${a}\n---\n${b}`);
  }
  return { test, instance, result: reduced, lines: lines(test, reduced), text: a };
}
