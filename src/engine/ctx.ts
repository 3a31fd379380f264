import type { Access, RegWrite, SyncEvent } from './events';
import type { WriteLog } from './writeLog';

/**
 * The execution context of one step: the state being built, the running
 * thread, and (when recording) the log of every memory access and register
 * write. Exploration runs with recording off and allocates nothing per read.
 */
export class Ctx {
  s: Int32Array = new Int32Array(0);
  t = 0;
  regBase = 0;
  accesses: Access[] | null = null;
  regWrites: RegWrite[] | null = null;
  regNames: readonly string[] = [];
  /** Building a StepEvent: ops describe their synchronisation (`sync`) only then. */
  recording = false;
  /** Set by ops that have a result worth a word in the trace. */
  outcome: string | undefined = undefined;
  sync: SyncEvent | undefined = undefined;
  /** When set, every int the step changes is logged here (the explorer's undo log and hash). */
  log: WriteLog | null = null;

  read(i: number): number {
    const v = this.s[i] ?? 0;
    this.accesses?.push({ loc: i, kind: 'read', old: v, value: v });
    return v;
  }

  write(i: number, v: number): void {
    const old = this.put(i, v);
    this.accesses?.push({ loc: i, kind: 'write', old, value: v | 0 });
  }

  /** A read-modify-write: logged as one atomic access. */
  rmw(i: number, v: number): number {
    const old = this.put(i, v);
    this.accesses?.push({ loc: i, kind: 'rmw', old, value: v | 0 });
    return old;
  }

  /**
   * Stores `v` at state index `i` and returns the old value, recording no
   * access (pcs, registers, grace-period masks): every change to the state
   * goes through here, so that the write log misses none.
   */
  put(i: number, v: number): number {
    const s = this.s;
    const old = s[i];
    // Past the end a typed array ignores the store: nothing changes, nothing to log.
    if (old === undefined) return 0;
    s[i] = v;
    // As the Int32Array stores it: `v | 0` is the same ToInt32.
    if (this.log !== null && old !== (v | 0)) this.log.push(i, old, v | 0);
    return old;
  }

  reg(r: number): number {
    return this.s[this.regBase + r] ?? 0;
  }

  /** `from`: the memory index a plain load copied `v` from (recorded in the event only). */
  setReg(r: number, v: number, from?: number): void {
    this.put(this.regBase + r, v);
    if (!this.regWrites) return;
    const w: RegWrite = { reg: this.regNames[r] ?? `r${r}`, value: v | 0 };
    if (from !== undefined) w.from = from;
    this.regWrites.push(w);
  }
}
