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
  /** For an acquisition still blocked at the end: the state index since which it waits. */
  blockedSince?: number;
}

/** Step numbers in messages count from 1 (step N is the N-th op), as every view does. */
const at = (index: number) => `step ${index + 1}`;

/**
 * How an acquisition reads: "takes X (step 3)" (`verb` '' in a chain: "took A
 * then X (step 3)"), or, still blocked at the end, "tried to take X (blocked
 * since step 2)": a blocked thread took nothing, and the run's last step is
 * another thread's.
 */
function taking(lock: string, step: number, blockedSince: number | undefined, verb = ''): string {
  if (blockedSince === undefined) return `${verb ? `${verb} ` : ''}${lock} (${at(step)})`;
  const since =
    blockedSince === 0 ? 'blocked from the start' : `blocked since step ${blockedSince}`;
  return `tried to take ${lock} (${since})`;
}

/** Locks that kvm->srcu readers must not take (synchronize_srcu runs inside them). */
export const SRCU_FORBIDDEN = ['kvm->lock', 'vcpu->mutex', 'kvm->slots_lock'];

const srcuName = (d: string) => d;

export function lockRuleViolations(
  inst: ScenarioInstance,
  events: readonly StepEvent[],
  /** Threads blocked on a lock at the end: lockdep records the dependency at the attempt. */
  attempts: readonly { thread: number; lock: string; blockedSince?: number }[] = [],
): LockRuleViolation[] {
  const types = new Map<string, LockType>(inst.machine.locks.map((l) => [l.name, l.type]));
  const held = inst.threads.map(() => [] as { lock: string; step: number }[]);
  const edges: Edge[] = [];
  const out: LockRuleViolation[] = [];
  const name = (t: number) => inst.threads[t]?.name ?? `thread ${t}`;

  const acquire = (
    t: number,
    lock: string,
    step: number,
    sleeps: boolean,
    blockedSince?: number,
  ) => {
    const mine = held[t] ?? [];
    const blocked = blockedSince === undefined ? {} : { blockedSince };
    for (const h of mine)
      edges.push({ from: h.lock, to: lock, thread: t, fromStep: h.step, step, ...blocked });
    const reader = mine.find((h) => h.lock === 'kvm->srcu');
    if (reader && SRCU_FORBIDDEN.includes(lock))
      out.push({
        kind: 'srcu-rule',
        step,
        causes: [reader.step, step],
        message: `${name(t)} ${blockedSince === undefined ? `takes ${lock}` : taking(lock, step, blockedSince)} inside a kvm->srcu read-side section (srcu_read_lock at ${at(reader.step)}): synchronize_srcu(&kvm->srcu) is called inside ${lock}, so this can deadlock`,
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
        message: `${name(t)} may sleep (${lock}) while holding ${spin.lock}, a spinning lock taken at ${at(spin.step)}`,
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
    acquire(
      a.thread,
      a.lock,
      last,
      types.get(a.lock) === 'mutex' || types.get(a.lock) === 'rwsem',
      a.blockedSince,
    );
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
      const firstIsE = e.step < f.step || (e.step === f.step && e.fromStep <= f.fromStep);
      const [first, second] = firstIsE ? [e, f] : [f, e];
      const chain = (x: Edge) =>
        `${name(x.thread)} took ${x.from} (${at(x.fromStep)}) then ${taking(x.to, x.step, x.blockedSince)}`;
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
      message: `${name(e.thread)} ${taking(e.to, e.step, e.blockedSince, 'takes')} while holding ${e.from} (${at(e.fromStep)}), but locking.rst (${kernel}) says ${e.to} is taken outside ${e.from}`,
    });
  }
  return out;
}
