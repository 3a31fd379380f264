import type { Machine } from './machine';
import type { StateStore } from './stateStore';
import { entryHash } from './stateCodec';
import { WriteLog } from './writeLog';

/**
 * One state buffer that a depth-first search steps forward and back: a step
 * logs what it changes (WriteLog) and `undo` puts it back, so no state is
 * copied per step. Alongside the state it keeps what StateStore.addMarked
 * needs, updated only for the ints a step changed: which ints differ from
 * the store's base (a bitmap) and the state's hash. While it is attached
 * (from construction to `detach`), every stepInPlace of its machine logs
 * into it: step no other state with that machine meanwhile.
 *
 * @example
 * const cur = new SteppedState(m, store, s0);
 * const h = cur.hash;
 * const mark = cur.step(t); // cur.s is the successor, cur.hash its hash
 * const id = store.addMarked(cur.s, cur.nz, cur.hash);
 * cur.undo(mark, h); // back to s0
 * cur.detach();
 */
export class SteppedState {
  readonly s: Int32Array;
  /** Bit (i & 31) of nz[i >> 5]: s[i] differs from the base's int. */
  readonly nz: Int32Array;
  hash: number;
  private readonly log = new WriteLog();
  private readonly base: Int32Array;

  constructor(
    private readonly m: Machine,
    store: StateStore,
    s0: Int32Array,
  ) {
    this.s = s0.slice();
    this.base = store.baseState;
    this.nz = new Int32Array((s0.length + 31) >> 5);
    for (let i = 0; i < s0.length; i++) this.mark(i);
    this.hash = store.hashOf(s0);
    m.logWrites(this.log);
  }

  /**
   * The machine stops logging into this state's log (it logs from the
   * constructor on): call before stepping other states with the machine.
   */
  detach(): void {
    this.m.logWrites(null);
  }

  /**
   * Thread t takes its next step and then its thread-local ones
   * (Machine.stepInPlace, settleInPlace); returns the mark to undo to.
   */
  step(t: number): number {
    const at = this.log.length;
    const m = this.m;
    m.stepInPlace(this.s, t);
    m.settleInPlace(this.s, t);
    const a = this.log.a;
    const base = this.base;
    let h = this.hash;
    for (let k = at; k < this.log.length; k += 3) {
      const i = a[k] as number;
      const b = base[i] as number;
      // XOR cancels: a run of writes to one int adds up to (first old value, last new value).
      h ^= entryHash(i, (a[k + 1] as number) ^ b) ^ entryHash(i, (a[k + 2] as number) ^ b);
      this.mark(i);
    }
    this.hash = h;
    return at;
  }

  /**
   * Back to the state before the step that returned `at` (and every step
   * since), whose hash was `hash` (the caller keeps it: cheaper than
   * undoing the hash int by int).
   */
  undo(at: number, hash: number): void {
    const log = this.log;
    const a = log.a;
    const s = this.s;
    // Newest first: the oldest write to an int, restored last, leaves its value and its bit.
    for (let k = log.length - 3; k >= at; k -= 3) {
      const i = a[k] as number;
      s[i] = a[k + 1] as number;
      this.mark(i);
    }
    log.length = at;
    this.hash = hash;
  }

  /** Sets or clears int i's bit in nz from s. */
  private mark(i: number): void {
    const w = i >> 5;
    const bit = 1 << (i & 31);
    const nz = this.nz;
    nz[w] = this.s[i] !== this.base[i] ? (nz[w] as number) | bit : (nz[w] as number) & ~bit;
  }
}
