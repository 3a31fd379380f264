import type { Machine } from './machine';
import { anyConflict, futureFootprints, opFootprint, type Touch } from './footprint';

/**
 * Partial-order reduction by stubborn sets (Valmari; Godefroid's persistent
 * sets), over the static footprints of footprint.ts.
 *
 * At a state, start from one runnable thread and close the set: for every
 * member, add each other unfinished thread whose *future* (any op reachable
 * from its pc) conflicts with the member's *next* op. For a runnable member
 * that makes its next op independent of everything the others can do before
 * it; for a blocked member it adds every thread that could unblock it (to
 * unblock, a thread must write what the blocked op's enabledness reads, which
 * is in its footprint). Exploring only the runnable members of the smallest
 * such set reaches every final state, since the state graph is acyclic (a
 * cycle is reported as a livelock) — and final states are all the checks read.
 *
 * The conflict relation depends only on the two (thread, pc) pairs, so it is
 * computed once per pair and cached in a flat table: the search asks the same
 * questions at millions of states.
 */
export class StubbornSets {
  private readonly own: Touch[][][];
  private readonly future: Touch[][][];
  /** Index of (thread, pc) in the cache: base[t] + pc (pc may be one past the end). */
  private readonly base: number[];
  private readonly pairs: number;
  /** 0: not computed; 1: independent; 2: conflict. Null when the table would be too big. */
  private readonly cache: Uint8Array | null;
  /** independentNow's answers, as `cache`: 0 unknown, 1 independent, 2 conflict. */
  private readonly nowCache: Uint8Array | null;
  private readonly members: Uint8Array;
  private readonly work: Int32Array;
  /** 1 for the threads runnable at the state chooseInto is asked about. */
  private readonly isRun: Uint8Array;
  private readonly pcBase: number;
  private readonly opsLen: Int32Array;
  /** The thread whose closure `members` holds. */
  private lastT0 = -1;

  constructor(private readonly m: Machine) {
    const slots = m.instance.machine.slots.length;
    this.own = m.threads.map((th) =>
      th.def.program.map((op) => opFootprint(op, th.def.vcpu, slots, m.instance.machine.pml)),
    );
    this.future = m.threads.map((th, t) => futureFootprints(th.def.program, this.own[t] ?? []));
    this.base = [];
    let p = 0;
    for (const th of m.threads) {
      this.base.push(p);
      p += th.def.program.length + 1;
    }
    this.pairs = p;
    this.cache = p * p <= 1 << 24 ? new Uint8Array(p * p) : null;
    this.nowCache = p * p <= 1 << 24 ? new Uint8Array(p * p) : null;
    this.members = new Uint8Array(m.threadCount);
    this.work = new Int32Array(m.threadCount);
    this.isRun = new Uint8Array(m.threadCount);
    this.pcBase = m.shape.pcBase;
    this.opsLen = Int32Array.from(m.threads, (th) => th.ops.length);
  }

  /** The threads to explore at `s`: a subset of `runnable`, never empty when `runnable` is not. */
  choose(s: Int32Array, runnable: readonly number[]): readonly number[] {
    const run = Int32Array.from(runnable);
    const out = new Int32Array(run.length);
    return Array.from(out.subarray(0, this.chooseInto(s, run, run.length, out)));
  }

  /**
   * choose() without allocating: the first `n` entries of `runnable` in, the
   * chosen threads into `out` (ascending, as in `runnable`); returns how many.
   * The smallest closure wins; among equals, the first one tried.
   */
  chooseInto(s: Int32Array, runnable: Int32Array, n: number, out: Int32Array): number {
    let bestSize = n;
    let bestT0 = -1;
    const isRun = this.isRun;
    isRun.fill(0);
    for (let j = 0; j < n; j++) isRun[runnable[j] as number] = 1;
    if (n > 1)
      for (let i = 0; i < n; i++) {
        // A closure that reaches bestSize runnable members cannot win: stop growing it.
        const size = this.close(s, runnable[i] as number, bestSize);
        if (size < bestSize) {
          bestSize = size;
          bestT0 = runnable[i] as number;
        }
        if (bestSize === 1) break;
      }
    if (bestT0 < 0) {
      for (let j = 0; j < n; j++) out[j] = runnable[j] as number;
      return n;
    }
    if (this.lastT0 !== bestT0) this.close(s, bestT0, n + 1);
    let k = 0;
    for (let j = 0; j < n; j++)
      if (this.members[runnable[j] as number] === 1) out[k++] = runnable[j] as number;
    return k;
  }

  /**
   * Whether the next ops of u and w at s commute: neither touches what the
   * other writes, so neither enables, disables or changes the other (the
   * sleep-set relation; `close` uses the wider next-against-future one).
   */
  independentNow(s: Int32Array, u: number, w: number): boolean {
    const pcU = s[this.pcBase + u] as number;
    const pcW = s[this.pcBase + w] as number;
    const k = ((this.base[u] as number) + pcU) * this.pairs + (this.base[w] as number) + pcW;
    const c = this.nowCache;
    if (c && c[k] !== 0) return c[k] === 1;
    const yes = !anyConflict(this.own[u]?.[pcU] ?? [], this.own[w]?.[pcW] ?? []);
    if (c) c[k] = yes ? 1 : 2;
    return yes;
  }

  /** Whether u's next op (at pcU) conflicts with anything w may do from pcW. */
  private conflict(u: number, pcU: number, w: number, pcW: number): boolean {
    const i = (this.base[u] as number) + pcU;
    const j = (this.base[w] as number) + pcW;
    const c = this.cache;
    const k = i * this.pairs + j;
    if (c && c[k] !== 0) return c[k] === 2;
    const yes = anyConflict(this.own[u]?.[pcU] ?? [], this.future[w]?.[pcW] ?? []);
    if (c) c[k] = yes ? 2 : 1;
    return yes;
  }

  /**
   * Leaves the closure of {t0} in `members` (1 = member) and returns how many
   * runnable threads (`isRun`) it holds — or stops early, leaving a partial
   * set, once that count reaches `limit`.
   */
  private close(s: Int32Array, t0: number, limit: number): number {
    const isRun = this.isRun;
    let count = isRun[t0] as number;
    const members = this.members;
    const work = this.work;
    const pcBase = this.pcBase;
    const T = this.opsLen.length;
    this.lastT0 = t0;
    members.fill(0);
    members[t0] = 1;
    work[0] = t0;
    let top = 1;
    while (top > 0) {
      const u = work[--top] as number;
      const pcU = s[pcBase + u] as number;
      if ((this.own[u]?.[pcU]?.length ?? 0) === 0) continue;
      for (let w = 0; w < T; w++) {
        if (members[w]) continue;
        const pcW = s[pcBase + w] as number;
        if (pcW >= (this.opsLen[w] as number)) continue; // finished
        if (this.conflict(u, pcU, w, pcW)) {
          members[w] = 1;
          work[top++] = w;
          count += isRun[w] as number;
          if (count >= limit) {
            this.lastT0 = -1;
            return count;
          }
        }
      }
    }
    return count;
  }
}
