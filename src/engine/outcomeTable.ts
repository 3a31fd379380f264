import type { Machine } from './machine';

/**
 * Every distinct final state of a state-graph search, kept compactly for the
 * outcome map: one row of the outcome vector (memory, then one finished flag
 * per thread) per outcome, in discovery order, with its violation kinds as a
 * bit mask over KINDS. No per-outcome objects, and no witness schedule until
 * one is asked for: a witness is rebuilt from the search's parent pointers.
 */
export interface OutcomeTable {
  /** Outcomes held (the search's `distinctOutcomes`). */
  count: number;
  /** Ints per row: the machine's memory size plus its thread count. */
  width: number;
  /** `count × width` ints: row o is outcome o's outcome vector. */
  vectors: Int32Array;
  /** Bit i set when outcome o violates KINDS[i]. */
  masks: Uint8Array;
  /** Complete schedules ending in each outcome; null when the search is incomplete. */
  executions: Float64Array | null;
  /** A complete schedule (thread per step, local steps included) ending in outcome o. */
  witness(o: number): number[];
}

/**
 * The witness function over the search's parent pointers. A module-level
 * function on purpose: a closure made inside the search would keep the whole
 * search's scope (state store, edges) alive for as long as the table lives.
 */
export function witnessesFrom(
  m: Machine,
  s0: Int32Array,
  prefix: readonly number[],
  parent: Int32Array,
  parentChoice: Int16Array,
  outNode: readonly number[],
): (o: number) => number[] {
  return (o) => {
    const node = outNode[o];
    if (node === undefined) throw new RangeError(`no outcome ${o} (of ${outNode.length})`);
    return replayChoices(m, s0, prefix, choicesTo(parent, parentChoice, node)).schedule;
  };
}

/** The choices (a thread per step) from the root to state `id`, by the search's parent pointers. */
export function choicesTo(
  parent: ArrayLike<number>,
  parentChoice: ArrayLike<number>,
  id: number,
): number[] {
  const out: number[] = [];
  for (let n = id; (parent[n] as number) >= 0; n = parent[n] as number)
    out.push(parentChoice[n] as number);
  return out.reverse();
}

/**
 * Replays choices from the initial state, putting back the eager local steps
 * the search took without choosing: the complete schedule and the state reached.
 */
export function replayChoices(
  m: Machine,
  s0: Int32Array,
  prefix: readonly number[],
  choices: readonly number[],
): { schedule: number[]; state: Int32Array } {
  const out = prefix.slice();
  const st = s0.slice();
  for (const t of choices) {
    out.push(t);
    m.stepInPlace(st, t);
    m.settleInPlace(st, t, out);
  }
  return { schedule: out, state: st };
}
