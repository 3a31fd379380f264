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
 */
export class StubbornSets {
  private readonly own: Touch[][][];
  private readonly future: Touch[][][];

  constructor(private readonly m: Machine) {
    const slots = m.instance.machine.slots.length;
    this.own = m.threads.map((th) =>
      th.def.program.map((op) => opFootprint(op, th.def.vcpu, slots, m.instance.machine.pml)),
    );
    this.future = m.threads.map((th, t) => futureFootprints(th.def.program, this.own[t] ?? []));
  }

  /** The threads to explore at `s`: a subset of `runnable`, never empty when `runnable` is not. */
  choose(s: Int32Array, runnable: readonly number[]): number[] {
    if (runnable.length <= 1) return runnable.slice();
    let best: number[] = runnable.slice();
    for (const t0 of runnable) {
      const set = this.close(s, t0);
      const chosen = runnable.filter((t) => set.has(t));
      if (chosen.length < best.length) best = chosen;
      if (best.length === 1) break;
    }
    return best;
  }

  private close(s: Int32Array, t0: number): Set<number> {
    const m = this.m;
    const members = new Set([t0]);
    const work = [t0];
    while (work.length > 0) {
      const u = work.pop() as number;
      const next = this.own[u]?.[m.pc(s, u)] ?? [];
      if (next.length === 0) continue;
      for (let w = 0; w < m.threadCount; w++) {
        if (members.has(w) || m.done(s, w)) continue;
        if (anyConflict(next, this.future[w]?.[m.pc(s, w)] ?? [])) {
          members.add(w);
          work.push(w);
        }
      }
    }
    return members;
  }
}
