/**
 * The kernel memory model's primitives (herdtools7 linux-kernel.def) and
 * lockstep's extensions, each as engine ops with sequentially consistent
 * semantics: every access is one atomic step, and fences, `_acquire`,
 * `_release` and `_relaxed` change nothing. The accesses, fences and
 * atomics are here; locks and RCU in lockPrimitives.ts; the KVM calls in
 * kvmCalls.ts. One table of them all answers the compiler and the editor.
 */
import type { Expr as EExpr, Loc } from '../engine';
import { LitmusError, type Expr } from './ast';
import type { ThreadCompiler } from './threadCompiler';
import { KVM_CALLS } from './kvmCalls';
import { editDistance } from './suggest';
import { defineLockPrimitives } from './lockPrimitives';

export type Handler = (
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

/** A plain load into `dst` (or a fresh register); returns the register. */
export function load(c: ThreadCompiler, loc: Loc, dst: string | undefined): string {
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
/** How a family of primitives adds itself to the table (see lockPrimitives.ts). */
export type Define = typeof def;

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

// After the atomics, so PRIMITIVES (the public list) keeps the order it has always had.
defineLockPrimitives(def, load);

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
