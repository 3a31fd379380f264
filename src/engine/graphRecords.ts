import { Growable } from './growable';

/** No violation below this state (minViol), or no state. */
export const NONE = 0x7fffffff;
/** minViol of a state whose successors are still being searched (it is on the current path). */
export const OPEN = -1;

/**
 * Everything the state-graph search knows about each state, by the state's
 * id, in typed arrays (no per-state objects).
 *
 * The fields read again whenever the search reaches a known state — its
 * schedule counts and its shortest way to a violation — sit together in one
 * 32-byte record, so that a revisit costs one cache line rather than one
 * per array: in `hot` (as float64s) and `hot32` (the same bytes as int32s),
 * record `id` is `hot[4 * id]` = complete schedules below the state,
 * `hot[4 * id + 1]` = violating ones, and from `hot32[8 * id + 4]` on:
 * minViol (steps to the nearest violation, NONE, or OPEN while the state is
 * on the path), kindRow (0, or 1 + the state's row of per-kind violating
 * counts in `byKind`: most states have none), outcome (the final state's
 * outcome id, or -1), and minChoice (the thread whose step leads to the
 * nearest violation). Fields read only after the search have arrays of
 * their own.
 */
export class GraphRecords {
  hot: Float64Array;
  hot32: Int32Array;
  readonly parent = new Growable(Int32Array);
  readonly parentChoice = new Growable(Int16Array);
  /** Each state's successors: edges[edgeStart[id] .. + edgeCount[id]). */
  readonly edgeStart = new Growable(Int32Array);
  readonly edgeCount = new Growable(Uint16Array);
  readonly edges = new Growable(Int32Array);
  /** Ids in post-order: successors before the state. */
  readonly order = new Growable(Int32Array);
  readonly byKind: Growable<Float64Array>;

  constructor(private readonly kinds: number) {
    this.hot = new Float64Array(4 * this.capacity);
    this.hot32 = new Int32Array(this.hot.buffer);
    this.byKind = new Growable(Float64Array, 64 * kinds);
  }

  /** Ids below this are valid. */
  capacity = 1024;

  /** Makes ids below `n` valid. */
  ensure(n: number): void {
    if (n <= this.capacity) return;
    if (4 * n > this.hot.length) {
      let cap = this.hot.length * 2;
      while (cap < 4 * n) cap *= 2;
      const b = new Float64Array(cap);
      b.set(this.hot);
      this.hot = b;
      this.hot32 = new Int32Array(b.buffer);
    }
    this.parent.ensure(n);
    this.parentChoice.ensure(n);
    this.edgeStart.ensure(n);
    this.edgeCount.ensure(n);
    this.capacity = Math.min(this.hot.length / 4, this.parent.a.length, this.edgeCount.a.length);
  }

  /** The start of state id's row in byKind, made (all 0) if it has none. */
  rowOf(id: number): number {
    const K = this.kinds;
    const at = 8 * id + 5;
    let r = this.hot32[at] as number;
    if (r === 0) {
      const byKind = this.byKind;
      r = this.hot32[at] = byKind.length / K + 1;
      byKind.ensure(byKind.length + K);
      byKind.length += K; // new elements are 0
    }
    return (r - 1) * K;
  }

  /** Per-kind violating schedules below state id (K numbers from `at`), or null when there are none. */
  kindCounts(id: number): number | null {
    const r = this.hot32[8 * id + 5] as number;
    return r === 0 ? null : (r - 1) * this.kinds;
  }

  minViol(id: number): number {
    return this.hot32[8 * id + 4] as number;
  }

  minChoice(id: number): number {
    return this.hot32[8 * id + 7] as number;
  }

  outcome(id: number): number {
    return this.hot32[8 * id + 6] as number;
  }

  get bytes(): number {
    const gs = [this.parent, this.parentChoice, this.edgeStart, this.edgeCount];
    return (
      this.hot.byteLength +
      [...gs, this.edges, this.order, this.byKind].reduce((a, g) => a + g.bytes, 0)
    );
  }
}
