/**
 * From an exploration's distinct final states to herd7's verdict: the
 * condition is evaluated on each final state's memory (registers reach it
 * through ghost cells, see compiler.ts). Pure functions, for the CLI and the
 * worker alike.
 */
import { Machine, formatSchedule, type ExploreResult, type ScenarioInstance } from '../engine';
import type { LocRef, Prop } from './ast';
import { locLabel, type LitmusTest } from './compiler';

export interface FinalState {
  /** Values of the printed columns, in column order. */
  values: number[];
  /** Whether the condition's proposition holds here. */
  holds: boolean;
  /** A schedule that ends in this state. */
  witness: number[];
}

export type Observation = 'Never' | 'Sometimes' | 'Always';

export interface LitmusResult {
  name: string;
  /** herd7's kind: exists → Allowed, ~exists → Forbidden, forall → Required. */
  kind: 'Allowed' | 'Forbidden' | 'Required' | null;
  columns: string[];
  /** Final states where every thread finished, the filter holds, no loop was cut; sorted. */
  states: FinalState[];
  ok: boolean;
  positive: number;
  negative: number;
  observation: Observation;
  condition: string | null;
  /** Final states left out: threads blocked for good, cut by the loop bound, or filtered. */
  deadlocked: number;
  cut: number;
  filtered: number;
  /** False when the search stopped at its budget: the figures are then lower bounds. */
  complete: boolean;
  /** The engine's checks: each violated kind, the distinct final states with it, and a witness. */
  violations: { kind: string; states: number; witness: number[] }[];
  /** The test's `Result:` comment against the outcome. */
  expected: { word: string; line: number; agrees: boolean; flagged: boolean } | null;
}

type Read = (l: LocRef) => number;

export function evalProp(p: Prop, read: Read, test: LitmusTest): boolean {
  switch (p.k) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'not':
      return !evalProp(p.p, read, test);
    case 'and':
      return evalProp(p.l, read, test) && evalProp(p.r, read, test);
    case 'or':
      return evalProp(p.l, read, test) || evalProp(p.r, read, test);
    case 'implies':
      return !evalProp(p.l, read, test) || evalProp(p.r, read, test);
    case 'atom': {
      const left = read(p.loc);
      const v = p.value;
      const right =
        typeof v === 'number' ? v : 'addr' in v ? (test.addrOf[v.addr] ?? NaN) : read(v.loc);
      return (left === right) === (p.op === '=');
    }
  }
}

/** The final memory of each distinct outcome, as the search reached it. */
export function litmusResult(
  test: LitmusTest,
  instance: ScenarioInstance,
  explored: ExploreResult,
): LitmusResult {
  const m = new Machine(instance);
  const base = instance.machine.cells?.length ? m.layout.index('cell', 0) : 0;
  const states: FinalState[] = [];
  let deadlocked = 0;
  let cut = 0;
  let filtered = 0;
  const seen = new Set<string>();
  const byKind = new Map<string, { kind: string; states: number; witness: number[] }>();
  for (const o of explored.outcomes) {
    for (const kind of o.violations) {
      const v = byKind.get(kind) ?? { kind, states: 0, witness: o.witness };
      v.states++;
      byKind.set(kind, v);
    }
    // The search's own final state (its witness ends there): no replay per outcome.
    const s = o.state;
    const cell = (i: number) => s[base + i] ?? 0;
    if (test.cutCell !== undefined && cell(test.cutCell) !== 0) {
      cut++;
      continue;
    }
    if (o.violations.includes('deadlock')) {
      deadlocked++;
      continue;
    }
    const read: Read = (l) => {
      const i = test.cellOf[locLabel(l)];
      return i === undefined ? 0 : cell(i);
    };
    if (test.filter && !evalProp(test.filter, read, test)) {
      filtered++;
      continue;
    }
    // herd7's states are valuations of the printed locations: outcomes that
    // differ only elsewhere (a lock word, an unnamed register) are one line.
    const values = test.columns.map((c) => cell(c.cell));
    const key = values.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    states.push({
      values,
      holds: test.condition ? evalProp(test.condition, read, test) : false,
      witness: o.witness,
    });
  }
  states.sort((a, b) => {
    for (let i = 0; i < a.values.length; i++) {
      const d = (a.values[i] ?? 0) - (b.values[i] ?? 0);
      if (d) return d;
    }
    return 0;
  });
  const positive = states.filter((s) => s.holds).length;
  const negative = states.length - positive;
  const observation: Observation =
    positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
  const q = test.quantifier;
  const ok = q === 'exists' ? positive > 0 : q === 'not exists' ? positive === 0 : negative === 0;
  return {
    name: test.name,
    kind: q === 'exists' ? 'Allowed' : q === 'not exists' ? 'Forbidden' : q ? 'Required' : null,
    columns: test.columns.map((c) => c.label),
    states,
    ok,
    positive,
    negative,
    observation,
    condition: test.conditionText ?? null,
    deadlocked,
    cut,
    filtered,
    complete: explored.complete,
    expected: compareExpected(test, observation, states.length),
    violations: [...byKind.values()],
  };
}

function compareExpected(
  test: LitmusTest,
  obs: Observation,
  nStates: number,
): LitmusResult['expected'] {
  const e = test.expected;
  if (!e) return null;
  const word = e.word;
  const agrees = word === 'DEADLOCK' ? nStates === 0 : word === 'Maybe' ? true : word === obs;
  // Sometimes under the kernel memory model, Never here: a reordering SC does not produce.
  const flagged = !agrees && (word === 'Sometimes' || word === 'Maybe') && obs === 'Never';
  return { word, line: e.line, agrees, flagged };
}

/** A value as herd7 prints it: an address by its variable's name. */
export function showValue(test: LitmusTest, v: number): string {
  for (const [name, a] of Object.entries(test.addrOf)) if (a === v) return name;
  return String(v);
}

/** One final state as herd7 prints it: `0:r0=1; x=2;`. */
export function stateLine(test: LitmusTest, r: LitmusResult, s: FinalState): string {
  return (
    r.columns.map((c, i) => `${c}=${showValue(test, s.values[i] ?? 0)};`).join(' ') ||
    '(no locations)'
  );
}

/** herd7's output form, plus lockstep's notes (each on its own line, after herd's). */
export function formatHerd(test: LitmusTest, r: LitmusResult, budget?: number): string {
  const out: string[] = [];
  out.push(`Test ${r.name}${r.kind ? ` ${r.kind}` : ''}`);
  out.push(`States ${r.states.length}`);
  for (const s of r.states) out.push(stateLine(test, r, s));
  if (r.kind) {
    out.push(r.ok ? 'Ok' : 'No');
    out.push('Witnesses');
    out.push(`Positive: ${r.positive} Negative: ${r.negative}`);
    out.push(`Condition ${r.condition ?? ''}`);
    out.push(`Observation ${r.name} ${r.observation} ${r.positive} ${r.negative}`);
    out.push(
      `Note: ${r.observation} under sequential consistency (lockstep explores SC interleavings only; Positive/Negative count distinct final states).`,
    );
  }
  if (!r.complete)
    out.push(
      `Note: the search stopped at its budget${budget ? ` of ${budget} states` : ''}; these final states are a lower bound (raise it with --budget).`,
    );
  if (r.cut)
    out.push(
      `Note: ${r.cut} final state(s) left out: a loop reached the loop bound ${test.loopBound}.`,
    );
  if (r.deadlocked)
    out.push(`Note: ${r.deadlocked} final state(s) left out: threads blocked for good (deadlock).`);
  if (r.filtered) out.push(`Note: ${r.filtered} final state(s) removed by the filter.`);
  for (const v of r.violations)
    out.push(
      `VIOLATION ${v.kind}: in ${v.states} final state(s); witness schedule ${formatSchedule(v.witness)}`,
    );
  const e = r.expected;
  if (e) {
    if (e.flagged)
      out.push(
        `FLAGGED: the test's Result: comment (line ${e.line}) says ${e.word}, lockstep finds ${r.observation} under sequential consistency: the outcome needs a reordering (kernel memory model or hardware) that SC does not produce.`,
      );
    else if (!e.agrees)
      out.push(
        `MISMATCH: the test's Result: comment (line ${e.line}) says ${e.word}, lockstep finds ${r.observation} under sequential consistency.`,
      );
    else out.push(`Result: ${e.word} (line ${e.line}) agrees.`);
  }
  return out.join('\n');
}
