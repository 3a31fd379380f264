import type { CheckKind } from './model';
import type { Machine } from './machine';
import { isDirtySpte, isShadowPresentPte, sptePfn } from './spte';
import { describeBlock } from './machine';
import { anyConflict, futureFootprints, opFootprint } from './footprint';
import { ringHolds } from './dirtyRing';

/**
 * The engine's checks, computed from the machine state and its ghost
 * bookkeeping, never declared by a scenario: a scenario only lists which
 * checks apply. A condition is evaluated after every step; a violation is a
 * condition that holds in a final state.
 */

export interface Condition {
  kind: CheckKind;
  /** Stable identity, e.g. `lost-dirty-log:2`, used to track since when it holds. */
  key: string;
  message: string;
  gfn?: number;
  pfn?: number;
  cycle?: string[];
}

/** Data-loss conditions that hold in state `s`. */
export function dataConditions(m: Machine, s: Int32Array): Condition[] {
  const out: Condition[] = [];
  const checks = m.instance.checks;
  const L = m.layout;
  const names = m.instance.machine.gfnNames;
  if (checks.includes('lost-dirty-log')) {
    const bitmap = s[L.index('dirty_bitmap')] ?? 0;
    for (let g = 0; g < names.length; g++) {
      if (!s[L.index('ghost_pending', g)] || bitmap & (1 << g)) continue;
      // With a dirty ring, an entry KVM has not reset still reports the gfn.
      const ring = m.instance.machine.dirtyRing !== undefined;
      if (ring && ringHolds(s, L, g)) continue;
      // The gfn as the machine names it, which is what the state panel shows
      // (pages likewise: pfn1, as in the panel's Pages table).
      const name = names[g] ?? `gfn${g}`;
      out.push({
        kind: 'lost-dirty-log',
        key: `lost-dirty-log:${g}`,
        gfn: g,
        message: `${name} was written after the last harvest but is missing from the dirty bitmap${ring ? ' and from every dirty ring entry KVM has not reset' : ''}: the next harvest does not report it, and the migration destination keeps stale data`,
      });
    }
  }
  if (checks.includes('lost-dirty-bit')) {
    const pfns = m.instance.machine.pfns;
    const slots = m.instance.machine.slots.length;
    for (let p = 1; p <= pfns; p++) {
      if (!s[L.index('ghost_written', p)] || s[L.index('page_dirty', p)]) continue;
      let heldBySpte = false;
      for (let i = 0; i < slots; i++) {
        const spte = s[L.index('spte', i)] ?? 0;
        if (isShadowPresentPte(spte) && sptePfn(spte) === p && isDirtySpte(spte)) heldBySpte = true;
      }
      if (heldBySpte) continue;
      out.push({
        kind: 'lost-dirty-bit',
        key: `lost-dirty-bit:${p}`,
        pfn: p,
        message: `pfn${p} was written by the guest, but neither its page Dirty flag is set nor does a present SPTE still carry the Dirty bit: reclaim would drop the write`,
      });
    }
  }
  if (checks.includes('stale-tlb-write')) {
    const slots = m.instance.machine.slots;
    for (let i = 0; i < slots.length; i++) {
      if (!s[L.index('ghost_stale_write', i)]) continue;
      const g = s[L.index('spgfn', i)] ?? 0;
      const gname = names[g] ?? `gfn${g}`;
      out.push({
        kind: 'stale-tlb-write',
        key: `stale-tlb-write:${i}`,
        gfn: g,
        message: `a guest write to ${gname} went through a stale writable TLB entry after KVM write-protected ${gname} to shadow it: KVM never saw the write, so its shadow page no longer matches the guest page table`,
      });
    }
  }
  if (checks.includes('stale-mapping')) {
    const slots = m.instance.machine.slots;
    for (let i = 0; i < slots.length; i++) {
      const spte = s[L.index('spte', i)] ?? 0;
      if (!isShadowPresentPte(spte)) continue;
      const g = s[L.index('spgfn', i)] ?? 0;
      const host = s[L.index('hostmap', g)] ?? 0;
      const pfn = sptePfn(spte);
      if (pfn === host) continue;
      const gname = names[g] ?? `gfn${g}`;
      out.push({
        kind: 'stale-mapping',
        key: `stale-mapping:${i}`,
        gfn: g,
        pfn,
        message: `the SPTE for ${gname} maps pfn${pfn}, but the host maps ${gname} to ${host ? `pfn${host}` : 'nothing'}: guest and host see different memory for ${gname}${s[L.index('page_owner', pfn)] === -1 ? `, and pfn${pfn} is free (use after free)` : ''}`,
      });
    }
  }
  return out;
}

/**
 * Deadlock: unfinished threads and none can run. Follows the wait-for edges
 * (lock holders, grace-period readers, flush walkers) to report a cycle.
 */
export function deadlockCondition(m: Machine, s: Int32Array): Condition | null {
  if (m.allDone(s) || m.runnable(s).length > 0) return null;
  const waits = new Map<number, number[]>();
  const lines: string[] = [];
  for (let t = 0; t < m.threadCount; t++) {
    const why = m.blocked(s, t);
    if (!why || why.kind === 'done') continue;
    lines.push(describeBlock(m, t, why));
    const on =
      why.kind === 'lock'
        ? why.holders
        : why.kind === 'grace-period'
          ? why.readers
          : why.kind === 'flush'
            ? why.walkers.map((v) => m.threads.findIndex((th) => th.def.vcpu === v))
            : why.kind === 'await'
              ? awaitedWriters(m, s, t)
              : [];
    waits.set(t, on);
  }
  const cycle = findCycle(waits).map((t) => m.threadName(t));
  const message =
    cycle.length > 0
      ? `deadlock: ${[...cycle, cycle[0]].join(' → ')} (${lines.join('; ')})`
      : `no thread can run: ${lines.join('; ')}`;
  return { kind: 'deadlock', key: 'deadlock', message, cycle };
}

/** A cycle in the wait-for graph, following every edge (a thread may wait for several). */
function findCycle(waits: Map<number, number[]>): number[] {
  const done = new Set<number>();
  const path: number[] = [];
  const onPath = new Set<number>();
  const dfs = (t: number): number[] | null => {
    if (onPath.has(t)) return path.slice(path.indexOf(t));
    if (done.has(t)) return null;
    onPath.add(t);
    path.push(t);
    for (const u of waits.get(t) ?? []) {
      const c = dfs(u);
      if (c) return c;
    }
    path.pop();
    onPath.delete(t);
    done.add(t);
    return null;
  };
  for (const t of waits.keys()) {
    const c = dfs(t);
    if (c) return c;
  }
  return [];
}

/**
 * Who a thread blocked in `await` waits for: the unfinished threads whose
 * remaining code may write what the condition reads (static footprints).
 */
function awaitedWriters(m: Machine, s: Int32Array, t: number): number[] {
  const slots = m.instance.machine.slots.length;
  const th = m.threads[t];
  const op = th?.def.program[m.pc(s, t)];
  if (!th || !op) return [];
  const pml = m.instance.machine.pml === true;
  const need = opFootprint(op, th.def.vcpu, slots, pml);
  return m.threads.flatMap((u, i) => {
    if (i === t || m.done(s, i)) return [];
    const own = u.def.program.map((o) => opFootprint(o, u.def.vcpu, slots, pml));
    return anyConflict(need, futureFootprints(u.def.program, own)[m.pc(s, i)] ?? []) ? [i] : [];
  });
}

/** Every condition of a final state: data loss, and deadlock if applicable. */
export function finalConditions(m: Machine, s: Int32Array): Condition[] {
  const out = dataConditions(m, s);
  const dl = deadlockCondition(m, s);
  if (dl) out.push(dl);
  return out;
}

/** Whether a state is final: every thread done, or none can run. */
export function isFinal(m: Machine, s: Int32Array): boolean {
  return m.allDone(s) || m.runnable(s).length === 0;
}
