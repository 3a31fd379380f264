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
  private readonly members: Uint8Array;
  private readonly work: Int32Array;

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
    this.members = new Uint8Array(m.threadCount);
    this.work = new Int32Array(m.threadCount);
  }

  /** The threads to explore at `s`: a subset of `runnable`, never empty when `runnable` is not. */
  choose(s: Int32Array, runnable: readonly number[]): readonly number[] {
    if (runnable.length <= 1) return runnable;
    let best: readonly number[] = runnable;
    for (const t0 of runnable) {
      this.close(s, t0);
      let size = 0;
      for (const t of runnable) size += this.members[t] as number;
      if (size < best.length) best = runnable.filter((t) => this.members[t] === 1);
      if (best.length === 1) break;
    }
    return best;
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

  /** Leaves the closure of {t0} in `members` (1 = member). */
  private close(s: Int32Array, t0: number): void {
    const m = this.m;
    const members = this.members;
    const work = this.work;
    members.fill(0);
    members[t0] = 1;
    work[0] = t0;
    let top = 1;
    while (top > 0) {
      const u = work[--top] as number;
      const pcU = m.pc(s, u);
      if ((this.own[u]?.[pcU]?.length ?? 0) === 0) continue;
      for (let w = 0; w < m.threadCount; w++) {
        if (members[w] || m.done(s, w)) continue;
        if (this.conflict(u, pcU, w, m.pc(s, w))) {
          members[w] = 1;
          work[top++] = w;
        }
      }
    }
  }
}
