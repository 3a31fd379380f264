import type { LockType, ScenarioInstance } from './model';
import type { StepEvent } from './events';
import { declaredOutside, type KernelVersion } from './lockTable';

/**
 * Lock rules checked like lockdep: from the order in which each thread
 * acquired locks while holding others, whether or not the run deadlocked.
 *
 * - `lock-order`: the acquired-while-holding graph has a cycle ("possible
 *   circular locking dependency"); both chains are named. synchronize_srcu
 *   counts as taking the write side of its SRCU domain, srcu_read_lock as the
 *   read side, as lockdep models them.
 * - `srcu-rule`: kvm->lock, vcpu->mutex or kvm->slots_lock taken inside a
 *   kvm->srcu read-side section (locking.rst: synchronize_srcu is called
 *   inside them). kvm->slots_arch_lock is allowed.
 * - `sleep-in-atomic`: a mutex, synchronize_srcu or a sleeping GUP while
 *   holding mmu_lock or any spinlock.
 */

export type LockRuleKind = 'lock-order' | 'srcu-rule' | 'sleep-in-atomic';

export interface LockRuleViolation {
  kind: LockRuleKind;
  step: number;
  message: string;
  /** The steps that took the locks involved, in order. */
  causes: number[];
}

interface Edge {
  from: string;
  to: string;
  thread: number;
  /** Step that acquired `from` (still held) and step that acquired `to`. */
  fromStep: number;
  step: number;
}

/** Locks that kvm->srcu readers must not take (synchronize_srcu runs inside them). */
export const SRCU_FORBIDDEN = ['kvm->lock', 'vcpu->mutex', 'kvm->slots_lock'];

const srcuName = (d: string) => d;

export function lockRuleViolations(
  inst: ScenarioInstance,
  events: readonly StepEvent[],
  /** Threads blocked on a lock at the end: lockdep records the dependency at the attempt. */
  attempts: readonly { thread: number; lock: string }[] = [],
): LockRuleViolation[] {
  const types = new Map<string, LockType>(inst.machine.locks.map((l) => [l.name, l.type]));
  const held = inst.threads.map(() => [] as { lock: string; step: number }[]);
  const edges: Edge[] = [];
  const out: LockRuleViolation[] = [];
  const name = (t: number) => inst.threads[t]?.name ?? `thread ${t}`;

  const acquire = (t: number, lock: string, step: number, sleeps: boolean) => {
    const mine = held[t] ?? [];
    for (const h of mine) edges.push({ from: h.lock, to: lock, thread: t, fromStep: h.step, step });
    const reader = mine.find((h) => h.lock === 'kvm->srcu');
    if (reader && SRCU_FORBIDDEN.includes(lock))
      out.push({
        kind: 'srcu-rule',
        step,
        causes: [reader.step, step],
        message: `${name(t)} takes ${lock} inside a kvm->srcu read-side section (srcu_read_lock at step ${reader.step}): synchronize_srcu(&kvm->srcu) is called inside ${lock}, so this can deadlock`,
      });
    const spin = mine.find((h) => {
      const ty = types.get(h.lock);
      return ty === 'spinlock' || ty === 'rwlock';
    });
    if (sleeps && spin)
      out.push({
        kind: 'sleep-in-atomic',
        step,
        causes: [spin.step, step],
        message: `${name(t)} may sleep (${lock}) while holding ${spin.lock}, a spinning lock taken at step ${spin.step}`,
      });
  };

  for (const ev of events) {
    const t = ev.thread;
    const s = ev.sync;
    const op = inst.threads[t]?.program[ev.pc];
    if (op?.k === 'gup' && !op.atomic) acquire(t, 'GUP (may sleep)', ev.step, true);
    if (!s) continue;
    switch (s.kind) {
      case 'acquire':
        acquire(t, s.lock, ev.step, types.get(s.lock) === 'mutex' || types.get(s.lock) === 'rwsem');
        held[t]?.push({ lock: s.lock, step: ev.step });
        break;
      case 'release': {
        const list = held[t] ?? [];
        const i = list.map((h) => h.lock).lastIndexOf(s.lock);
        if (i >= 0) list.splice(i, 1);
        break;
      }
      case 'srcu-read-lock':
        acquire(t, srcuName(s.domain), ev.step, false);
        held[t]?.push({ lock: srcuName(s.domain), step: ev.step });
        break;
      case 'srcu-read-unlock': {
        const list = held[t] ?? [];
        const i = list.map((h) => h.lock).lastIndexOf(srcuName(s.domain));
        if (i >= 0) list.splice(i, 1);
        break;
      }
      case 'gp-start':
        // synchronize_srcu: the write side of the domain, taken and released at once.
        acquire(t, srcuName(s.domain), ev.step, true);
        break;
      default:
        break;
    }
  }
  const last = Math.max(0, events.length - 1);
  for (const a of attempts)
    acquire(a.thread, a.lock, last, types.get(a.lock) === 'mutex' || types.get(a.lock) === 'rwsem');
  out.push(...cycles(edges, name), ...againstDocument(edges, name, inst.kernel ?? '6.12'));
  return out.sort((a, b) => a.step - b.step);
}

/** Two-lock inversions (A→B by one thread, B→A by another), each reported once. */
function cycles(edges: readonly Edge[], name: (t: number) => string): LockRuleViolation[] {
  const out: LockRuleViolation[] = [];
  const seen = new Set<string>();
  for (const e of edges)
    for (const f of edges) {
      if (e.from !== f.to || e.to !== f.from || e.from === e.to) continue;
      const key = [e.from, e.to].sort().join('|');
      if (seen.has(key)) continue;
      seen.add(key);
      const [first, second] = e.step < f.step ? [e, f] : [f, e];
      const chain = (x: Edge) =>
        `${name(x.thread)} took ${x.from} (step ${x.fromStep}) then ${x.to} (step ${x.step})`;
      out.push({
        kind: 'lock-order',
        step: second.step,
        causes: [first.fromStep, first.step, second.fromStep, second.step],
        message: `possible circular locking dependency between ${first.from} and ${first.to}: ${chain(first)}; ${chain(second)}`,
      });
    }
  return out;
}

/** Edges that contradict locking.rst's declared order for `kernel`, each reported once. */
function againstDocument(
  edges: readonly Edge[],
  name: (t: number) => string,
  kernel: KernelVersion,
): LockRuleViolation[] {
  const out: LockRuleViolation[] = [];
  const seen = new Set<string>();
  for (const e of edges) {
    const key = `${e.from}|${e.to}`;
    if (seen.has(key) || !declaredOutside(e.to, e.from, kernel)) continue;
    seen.add(key);
    out.push({
      kind: 'lock-order',
      step: e.step,
      causes: [e.fromStep, e.step],
      message: `${name(e.thread)} takes ${e.to} (step ${e.step}) while holding ${e.from} (step ${e.fromStep}), but locking.rst (${kernel}) says ${e.to} is taken outside ${e.from}`,
    });
  }
  return out;
}
