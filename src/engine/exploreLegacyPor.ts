/**
 * The stubborn sets of por.ts as they were when exploreLegacy.ts was the
 * search (Sets, no conflict cache): the reference search keeps its own copy
 * so that changes to por.ts are checked against it, not carried into it.
 * Not for use outside tests.
 */
import type { Machine } from './machine';
import { anyConflict, futureFootprints, opFootprint, type Touch } from './footprint';

/** por.ts as it was (Sets, no conflict cache). */
export class LegacyStubbornSets {
  private readonly own: Touch[][][];
  private readonly future: Touch[][][];

  constructor(private readonly m: Machine) {
    const slots = m.instance.machine.slots.length;
    this.own = m.threads.map((th) =>
      th.def.program.map((op) => opFootprint(op, th.def.vcpu, slots)),
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
