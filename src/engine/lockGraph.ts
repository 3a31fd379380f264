import type { Machine } from './machine';
import { lockHolders } from './sync/lockword';
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

export class LockGraph {
  private readonly edges = new Map<string, string>(); // "from|to" -> who
  private readonly findings = new Map<string, LockRuleFinding>();

  constructor(private readonly m: Machine) {}

  private held(s: Int32Array, t: number): { name: string; spinning: boolean }[] {
    const m = this.m;
    const out: { name: string; spinning: boolean }[] = [];
    for (const l of m.instance.machine.locks) {
      const word = s[m.layout.index(`lock:${l.name}`)] ?? 0;
      if (lockHolders(l.type, word).includes(t))
        out.push({ name: l.name, spinning: l.type === 'spinlock' || l.type === 'rwlock' });
    }
    for (const d of m.instance.machine.srcu)
      if ((s[m.layout.index(`srcu:${d}`)] ?? 0) & (1 << t)) out.push({ name: d, spinning: false });
    return out;
  }

  /** Thread t's next op at s, runnable or not (an attempt counts, as in lockdep). */
  observe(s: Int32Array, t: number): void {
    const o = this.observation(s, t);
    if (o) this.apply(o);
  }

  /**
   * What `observe` learns from thread t at s, as plain data: null when its
   * next op takes no lock or it holds none (such an attempt adds no edge and
   * breaks no rule). The parallel search (partition*.ts) collects these in
   * its workers and applies them in the serial search's order.
   */
  observation(s: Int32Array, t: number): LockObservation | null {
    const m = this.m;
    const op = m.threads[t]?.def.program[m.pc(s, t)];
    if (!op) return null;
    let lock: string | null = null;
    let sleeps = false;
    if (op.k === 'lock') {
      lock = op.lock;
      const type = m.instance.machine.locks.find((l) => l.name === op.lock)?.type;
      sleeps = type === 'mutex' || type === 'rwsem';
    } else if (op.k === 'srcu_read_lock') lock = op.domain;
    else if (op.k === 'srcu_sync' && op.phase === 'start') {
      lock = op.domain;
      sleeps = true;
    } else if (op.k === 'gup' && !op.atomic) {
      lock = 'GUP (may sleep)';
      sleeps = true;
    }
    if (lock === null) return null;
    const held = this.held(s, t);
    if (held.length === 0) return null;
    return { who: m.threadName(t), lock, sleeps, held };
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
