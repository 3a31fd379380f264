/**
 * The ints a step changed, as (index, old value, new value) triples, in the
 * order they were written: an undo log for a search that steps one state
 * buffer forward and back instead of copying it per step, and the input of
 * an incremental hash (each triple changes the hash by what the int's two
 * values contribute). Writes that leave an int as it was are not logged.
 *
 * SteppedState (steppedState.ts) is the user: it undoes a step from here.
 *
 * @example
 * const log = new WriteLog();
 * m.logWrites(log);
 * m.stepInPlace(s, t); // log.a[0 .. log.length) holds what the step changed
 */
export class WriteLog {
  /** Triples [index, old, new], `length` ints in use. */
  a = new Int32Array(3 * 1024);
  length = 0;

  push(i: number, old: number, value: number): void {
    let a = this.a;
    if (this.length + 3 > a.length) {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      this.a = a = b;
    }
    const n = this.length;
    a[n] = i;
    a[n + 1] = old;
    a[n + 2] = value;
    this.length = n + 3;
  }
}
