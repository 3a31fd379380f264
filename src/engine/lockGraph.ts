import type { Machine } from './machine';
import { lockHolds } from './sync/lockword';
import { SRCU_FORBIDDEN, type LockRuleKind } from './lockdep';
import { declaredOutside } from './lockTable';

/**
 * The lock rules of lockdep.ts over every state an exploration visits: the
 * acquired-while-holding edges of all runs together, as lockdep accumulates
 * them over a machine's uptime. Held locks come from the state itself (lock
 * words and SRCU reader masks), so no path needs remembering.
 */
export interface LockRuleFinding {
  kind: LockRuleKind;
  message: string;
}

/** One lock attempt while holding locks: everything `LockGraph.apply` reads. */
export interface LockObservation {
  who: string;
  lock: string;
  sleeps: boolean;
  held: { name: string; spinning: boolean }[];
}

/** What thread t's op at one pc acquires, or null: resolved once, not per state. */
interface Acquire {
  lock: string;
  sleeps: boolean;
}

/** A lock or SRCU domain whose holders the state records, with its word's index. */
interface Holdable {
  name: string;
  word: number;
  /** Null for an SRCU domain (a reader bit mask). */
  type: Parameters<typeof lockHolds>[0] | null;
  spinning: boolean;
}

export class LockGraph {
  private readonly edges = new Map<string, string>(); // "from|to" -> who
  private readonly findings = new Map<string, LockRuleFinding>();
  /** Per thread, per pc: what the op there acquires. */
  private readonly acquires: (Acquire | null)[][];
  private readonly holdables: Holdable[];
  /**
   * (thread, pc, held mask) already observed. An observation depends only on
   * these and on the edges seen so far; a repeat adds nothing (a finding that
   * needs both directions of an edge is made when the second one first
   * appears, which is never a repeat), so the search asks once per combination.
   */
  private readonly seen = new Set<number>();
  private readonly pcSpan: number;

  constructor(private readonly m: Machine) {
    const locks = m.instance.machine.locks;
    this.holdables = [
      ...locks.map((l) => ({
        name: l.name,
        word: m.layout.index(`lock:${l.name}`),
        type: l.type,
        spinning: l.type === 'spinlock' || l.type === 'rwlock',
      })),
      ...m.instance.machine.srcu.map((d) => ({
        name: d,
        word: m.layout.index(`srcu:${d}`),
        type: null,
        spinning: false,
      })),
    ];
    this.pcSpan = Math.max(1, ...m.threads.map((th) => th.def.program.length + 1));
    this.acquires = m.threads.map((th) =>
      th.def.program.map((op): Acquire | null => {
        if (op.k === 'lock') {
          const type = locks.find((l) => l.name === op.lock)?.type;
          return { lock: op.lock, sleeps: type === 'mutex' || type === 'rwsem' };
        }
        if (op.k === 'srcu_read_lock') return { lock: op.domain, sleeps: false };
        if (op.k === 'srcu_sync' && op.phase === 'start') return { lock: op.domain, sleeps: true };
        if (op.k === 'gup' && !op.atomic) return { lock: 'GUP (may sleep)', sleeps: true };
        return null;
      }),
    );
  }

  /** Bit i set when thread t holds holdables[i] at s. */
  private heldMask(s: Int32Array, t: number): number {
    let mask = 0;
    const hs = this.holdables;
    for (let i = 0; i < hs.length; i++) {
      const h = hs[i] as Holdable;
      const word = s[h.word] ?? 0;
      if (h.type === null ? (word & (1 << t)) !== 0 : lockHolds(h.type, word, t)) mask |= 1 << i;
    }
    return mask;
  }

  /** Thread t's next op at s, runnable or not (an attempt counts, as in lockdep). */
  observe(s: Int32Array, t: number): void {
    const pc = this.m.pc(s, t);
    const acq = this.acquires[t]?.[pc];
    if (!acq) return;
    const mask = this.heldMask(s, t);
    if (mask === 0) return;
    // Beyond 31 holdables the mask cannot name the set: observe every time.
    if (this.holdables.length <= 31) {
      const key = (t * this.pcSpan + pc) * 2 ** 31 + (mask >>> 0);
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    this.apply(this.build(t, acq, mask));
  }

  /**
   * What `observe` learns from thread t at s, as plain data: null when its
   * next op takes no lock or it holds none (such an attempt adds no edge and
   * breaks no rule). The parallel search (partition*.ts) collects these in
   * its workers and applies them in the serial search's order.
   */
  observation(s: Int32Array, t: number): LockObservation | null {
    const acq = this.acquires[t]?.[this.m.pc(s, t)];
    if (!acq) return null;
    const mask = this.heldMask(s, t);
    return mask === 0 ? null : this.build(t, acq, mask);
  }

  /**
   * observation()'s identity as a number (thread, pc, held mask): equal keys,
   * equal observations; -1 when it has none, -2 when the mask cannot name the
   * held set (beyond 31 holdables: compare observation()s instead). Lets the
   * parallel search's workers build and serialise each distinct one once.
   */
  observationKey(s: Int32Array, t: number): number {
    const pc = this.m.pc(s, t);
    if (!this.acquires[t]?.[pc]) return -1;
    const mask = this.heldMask(s, t);
    if (mask === 0) return -1;
    return this.holdables.length > 31 ? -2 : (t * this.pcSpan + pc) * 2 ** 31 + (mask >>> 0);
  }

  private build(t: number, { lock, sleeps }: Acquire, mask: number): LockObservation {
    const held: LockObservation['held'] = [];
    this.holdables.forEach((h, i) => {
      if (mask & (1 << i)) held.push({ name: h.name, spinning: h.spinning });
    });
    return { who: this.m.threadName(t), lock, sleeps, held };
  }

  /** Records one observation; true when it changed an edge or a finding. */
  apply({ who, lock, sleeps, held }: LockObservation): boolean {
    const kernel = this.m.instance.kernel ?? '6.12';
    let changed = false;
    const set = (key: string, f: LockRuleFinding) => {
      if (this.findings.get(key)?.message !== f.message) changed = true;
      this.findings.set(key, f);
    };
    for (const h of held) {
      if (h.name === lock) continue;
      const key = `${h.name}|${lock}`;
      if (!this.edges.has(key)) {
        this.edges.set(key, who);
        changed = true;
      }
      const back = this.edges.get(`${lock}|${h.name}`);
      const pair = [h.name, lock].sort().join('|');
      if (back !== undefined && !this.findings.has(`lock-order|${pair}`))
        set(`lock-order|${pair}`, {
          kind: 'lock-order',
          message: `possible circular locking dependency between ${h.name} and ${lock}: ${back} takes ${lock} then ${h.name}; ${who} takes ${h.name} then ${lock}`,
        });
    }
    for (const h of held)
      if (h.name !== lock && declaredOutside(lock, h.name, kernel))
        set(`lock-order|doc|${h.name}|${lock}`, {
          kind: 'lock-order',
          message: `${who} takes ${lock} while holding ${h.name}, but locking.rst (${kernel}) says ${lock} is taken outside ${h.name}`,
        });
    if (held.some((h) => h.name === 'kvm->srcu') && SRCU_FORBIDDEN.includes(lock))
      set(`srcu-rule|${lock}`, {
        kind: 'srcu-rule',
        message: `${who} takes ${lock} inside a kvm->srcu read-side section`,
      });
    const spin = held.find((h) => h.spinning);
    if (sleeps && spin)
      set(`sleep-in-atomic|${lock}|${spin.name}`, {
        kind: 'sleep-in-atomic',
        message: `${who} may sleep (${lock}) while holding ${spin.name}`,
      });
    return changed;
  }

  result(): LockRuleFinding[] {
    const checks = this.m.instance.checks;
    return [...this.findings.values()].filter((f) => checks.includes(f.kind));
  }
}
