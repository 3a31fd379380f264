/**
 * The lock primitives (spinlocks from herd7's model; mutexes, rwlocks and
 * rwsems as lockstep extensions) and RCU/SRCU, as engine lock and SRCU ops.
 * A lock argument names a shared object of the right kind; using a spinlock
 * as a mutex is an error located at the call.
 */
import type { Expr } from './ast';
import type { ThreadCompiler } from './threadCompiler';
import type { SharedKind } from './symbols';
import type { Define, Handler, load as loadFn } from './primitives';

export function defineLockPrimitives(def: Define, load: typeof loadFn): void {
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
}
