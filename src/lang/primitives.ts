/**
 * The kernel memory model's primitives (herdtools7 linux-kernel.def) and
 * lockstep's lock extensions, each as engine ops with sequentially
 * consistent semantics: every access is one atomic step, and fences,
 * `_acquire`, `_release` and `_relaxed` change nothing.
 */
import type { Expr as EExpr, Loc } from '../engine';
import { LitmusError, type Expr } from './ast';
import type { ThreadCompiler } from './threadCompiler';
import type { SharedKind } from './symbols';
import { KVM_CALLS } from './kvmCalls';

type Handler = (
  c: ThreadCompiler,
  args: Expr[],
  dst: string | undefined,
  call: Expr & { k: 'call' },
) => EExpr;

/** Where each primitive comes from: herd7's model, or a lockstep extension herd7 rejects. */
export type Origin = 'herd7' | 'extension';

interface Prim {
  arity: number;
  origin: Origin;
  run: Handler;
}

const ORDERINGS = ['', '_relaxed', '_acquire', '_release'];

const ld = (loc: Loc): EExpr => ['ld', loc];

function load(c: ThreadCompiler, loc: Loc, dst: string | undefined): string {
  const d = dst ?? c.temp();
  c.emit({ k: 'load', dst: d, loc });
  return d;
}

/** One atomic read-modify-write: `new = f(old)`; returns the register holding old. */
function rmw(c: ThreadCompiler, loc: Loc, f: (old: EExpr) => EExpr): string {
  const old = c.temp();
  c.emit({ k: 'xchg', loc, e: f(ld(loc)), dst: old });
  return old;
}

const table = new Map<string, Prim>();
const def = (name: string, arity: number, run: Handler, origin: Origin = 'herd7') =>
  table.set(name, { arity, origin, run });

// Loads and stores.
for (const n of [
  'READ_ONCE',
  'smp_load_acquire',
  'rcu_dereference',
  'atomic_read',
  'atomic_read_acquire',
])
  def(n, 1, (c, [p], dst) => load(c, c.loc(p as Expr), dst));
for (const n of [
  'WRITE_ONCE',
  'smp_store_release',
  'rcu_assign_pointer',
  'smp_store_mb',
  'atomic_set',
  'atomic_set_release',
])
  def(n, 2, (c, [p, v]) => {
    const loc = c.loc(p as Expr);
    c.emit({ k: 'store', loc, e: c.expr(v as Expr) });
    return 0;
  });

// Fences: a step that orders nothing more under SC, kept so the line shows on the timeline.
for (const n of [
  'smp_mb',
  'smp_rmb',
  'smp_wmb',
  'smp_mb__before_atomic',
  'smp_mb__after_atomic',
  'smp_mb__after_spinlock',
  'smp_mb__after_unlock_lock',
  'smp_mb__after_srcu_read_unlock',
  'barrier',
])
  def(n, 0, (c) => {
    c.emit({ k: 'nop' });
    return 0;
  });

// Exchange.
for (const o of ORDERINGS) {
  for (const pre of ['', 'atomic_']) {
    def(`${pre}xchg${o}`, 2, (c, [p, v], dst) => {
      const loc = c.loc(p as Expr);
      const e = c.expr(v as Expr);
      const d = dst ?? c.temp();
      c.emit({ k: 'xchg', loc, e, dst: d });
      return d;
    });
    def(`${pre}cmpxchg${o}`, 3, (c, [p, o1, n1], dst) => {
      const loc = c.loc(p as Expr);
      const expect = c.expr(o1 as Expr);
      const e = c.expr(n1 as Expr);
      const d = dst ?? c.temp();
      c.emit({ k: 'cas', loc, expect, e, ok: c.temp(), old: d });
      return d;
    });
  }
}

// atomic_t arithmetic: the value comes first, the atomic_t * last (as in the kernel).
const ARITH: Record<string, (a: EExpr, b: EExpr) => EExpr> = {
  add: (a, b) => ['+', a, b],
  sub: (a, b) => ['-', a, b],
  and: (a, b) => ['&', a, b],
  or: (a, b) => ['|', a, b],
  xor: (a, b) => ['^', a, b],
  andnot: (a, b) => ['&', a, ['~', b]],
};
const operand = (c: ThreadCompiler, op: string, args: Expr[]): { loc: Loc; v: EExpr } => {
  const unary = op === 'inc' || op === 'dec';
  const v = unary ? 1 : c.expr(args[0] as Expr);
  return { loc: c.loc(args[unary ? 0 : 1] as Expr), v };
};
const fOf = (op: string) =>
  ARITH[op === 'inc' ? 'add' : op === 'dec' ? 'sub' : op] as (a: EExpr, b: EExpr) => EExpr;

for (const op of ['add', 'sub', 'and', 'or', 'xor', 'andnot', 'inc', 'dec']) {
  const arity = op === 'inc' || op === 'dec' ? 1 : 2;
  def(`atomic_${op}`, arity, (c, args) => {
    const { loc, v } = operand(c, op, args);
    rmw(c, loc, (old) => fOf(op)(old, v));
    return 0;
  });
  for (const o of ORDERINGS) {
    def(`atomic_fetch_${op}${o}`, arity, (c, args) => {
      const { loc, v } = operand(c, op, args);
      return rmw(c, loc, (old) => fOf(op)(old, v));
    });
    if (['add', 'sub', 'inc', 'dec'].includes(op))
      def(`atomic_${op}_return${o}`, arity, (c, args, dst) => {
        const { loc, v } = operand(c, op, args);
        const old = rmw(c, loc, (x) => fOf(op)(x, v));
        const d = dst ?? c.temp();
        c.emit({ k: 'set', dst: d, e: fOf(op)(old, v) });
        return d;
      });
  }
}
for (const op of ['sub', 'dec', 'inc'])
  def(`atomic_${op}_and_test`, op === 'sub' ? 2 : 1, (c, args) => {
    const { loc, v } = operand(c, op, args);
    const old = rmw(c, loc, (x) => fOf(op)(x, v));
    return ['==', fOf(op)(old, v), 0];
  });
for (const o of ORDERINGS)
  def(`atomic_add_negative${o}`, 2, (c, args) => {
    const { loc, v } = operand(c, 'add', args);
    const old = rmw(c, loc, (x) => ['+', x, v]);
    return ['<', ['+', old, v], 0];
  });
def('atomic_add_unless', 3, (c, [p, a, u]) => {
  const loc = c.loc(p as Expr);
  const av = c.expr(a as Expr);
  const uv = c.expr(u as Expr);
  const old = rmw(c, loc, (x) => ['?', ['!=', x, uv], ['+', x, av], x]);
  return ['!=', old, uv];
});

// Locks. spin_trylock takes the lock word with one cmpxchg (owner + 1, as lockword.ts encodes it).
const lockOp =
  (
    kind: SharedKind,
    k: 'lock' | 'unlock',
    mode: 'excl' | 'read' | 'write',
    name: string,
  ): Handler =>
  (c, [l], _dst, call) => {
    c.emit({ k, lock: c.object(l, kind, name, call.pos), mode });
    return 0;
  };
def('spin_lock', 1, lockOp('spinlock', 'lock', 'excl', 'spin_lock'));
def('spin_unlock', 1, lockOp('spinlock', 'unlock', 'excl', 'spin_unlock'));
def('spin_trylock', 1, (c, [l], dst, call) => {
  const name = c.object(l, 'spinlock', 'spin_trylock', call.pos);
  const ok = dst ?? c.temp();
  c.emit({ k: 'cas', loc: [`lock:${name}`], expect: 0, e: c.th.index + 1, ok });
  return ok;
});
def('spin_is_locked', 1, (c, [l], dst, call) => {
  const name = c.object(l, 'spinlock', 'spin_is_locked', call.pos);
  const w = load(c, [`lock:${name}`], undefined);
  const d = dst ?? c.temp();
  c.emit({ k: 'set', dst: d, e: ['!=', w, 0] });
  return d;
});
def('mutex_lock', 1, lockOp('mutex', 'lock', 'excl', 'mutex_lock'), 'extension');
def('mutex_unlock', 1, lockOp('mutex', 'unlock', 'excl', 'mutex_unlock'), 'extension');
for (const [fn, k, mode] of [
  ['read_lock', 'lock', 'read'],
  ['read_unlock', 'unlock', 'read'],
  ['write_lock', 'lock', 'write'],
  ['write_unlock', 'unlock', 'write'],
] as const)
  def(fn, 1, lockOp('rwlock', k, mode, fn), 'extension');
for (const [fn, k, mode] of [
  ['down_read', 'lock', 'read'],
  ['up_read', 'unlock', 'read'],
  ['down_write', 'lock', 'write'],
  ['up_write', 'unlock', 'write'],
] as const)
  def(fn, 1, lockOp('rwsem', k, mode, fn), 'extension');

// RCU as one SRCU-like domain: readers mark themselves, synchronize_rcu waits for those it saw.
def('rcu_read_lock', 0, (c) => {
  c.emit({ k: 'srcu_read_lock', domain: c.opts.rcuDomain() });
  return 0;
});
def('rcu_read_unlock', 0, (c) => {
  c.emit({ k: 'srcu_read_unlock', domain: c.opts.rcuDomain() });
  return 0;
});
const sync = (domain: string, c: ThreadCompiler) => {
  c.emit({ k: 'srcu_sync', domain, phase: 'start' });
  c.emit({ k: 'srcu_sync', domain, phase: 'wait' });
  return 0;
};
def('synchronize_rcu', 0, (c) => sync(c.opts.rcuDomain(), c));
def('synchronize_rcu_expedited', 0, (c) => sync(c.opts.rcuDomain(), c));
for (const n of ['srcu_read_lock', 'srcu_down_read'])
  def(n, 1, (c, [s], dst, call) => {
    const domain = c.object(s, 'srcu', n, call.pos);
    const d = dst ?? c.temp();
    c.emit({ k: 'srcu_read_lock', domain, dst: d });
    return d;
  });
for (const n of ['srcu_read_unlock', 'srcu_up_read'])
  def(n, 2, (c, [s, idx], _dst, call) => {
    const domain = c.object(s, 'srcu', n, call.pos);
    c.expr(idx as Expr);
    c.emit({ k: 'srcu_read_unlock', domain });
    return 0;
  });
for (const n of ['synchronize_srcu', 'synchronize_srcu_expedited'])
  def(n, 1, (c, [s], _dst, call) => sync(c.object(s, 'srcu', n, call.pos), c));

export const PRIMITIVES: ReadonlyMap<string, { arity: number; origin: Origin }> = new Map([
  ...table,
  ...[...KVM_CALLS].map(
    ([n, k]) => [n, { arity: k.arity, origin: 'extension' as Origin }] as const,
  ),
]);

export function compileCall(c: ThreadCompiler, call: Expr & { k: 'call' }, dst?: string): EExpr {
  const kvm = KVM_CALLS.get(call.fn);
  if (kvm) {
    if (call.args.length !== kvm.arity)
      throw new LitmusError(
        `${call.fn} takes ${kvm.arity} arguments, got ${call.args.length}`,
        call.pos,
      );
    const args = call.args.map((a) => c.expr(a));
    return kvm.run(c, args, dst, call);
  }
  const prim = table.get(call.fn);
  if (!prim) {
    const near = nearest(call.fn);
    throw new LitmusError(
      `unknown primitive '${call.fn}'${near ? `; did you mean '${near}'?` : ''}`,
      call.pos,
    );
  }
  if (call.args.length !== prim.arity)
    throw new LitmusError(
      `${call.fn} takes ${prim.arity} argument${prim.arity === 1 ? '' : 's'}, got ${call.args.length}`,
      call.pos,
    );
  return prim.run(c, call.args, dst, call);
}

/** The known primitive closest to `name` by edit distance (ties: alphabetical). */
export function nearest(name: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of [...table.keys(), ...KVM_CALLS.keys()].sort()) {
    const d = editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= Math.max(3, Math.floor(name.length / 2)) ? best : undefined;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(up + 1, (row[j - 1] as number) + 1, diag + cost);
      diag = up;
    }
  }
  return row[b.length] as number;
}
