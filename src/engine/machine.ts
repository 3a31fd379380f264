import type { ScenarioInstance } from './model';
import type { BlockReason, StepEvent } from './events';
import { Ctx } from './ctx';
import { compileInstance, type CThread, type StateShape } from './compile';
import { initialMemory, type Layout } from './layout';
import type { Hardware } from './hardware';
import { ScenarioError, ScheduleError } from './errors';
import type { WriteLog } from './writeLog';

/**
 * A scenario compiled for execution. States are Int32Arrays laid out as
 * [memory | pc per thread | registers | grace-period wait masks]; `step`
 * never mutates its input.
 *
 * @example
 * const m = new Machine(instance);
 * let s = m.initial();
 * const { state, event } = m.step(s, 0, 0); // thread 0 takes step 0
 */
export class Machine {
  readonly layout: Layout;
  readonly hw: Hardware;
  readonly threads: CThread[];
  readonly shape: StateShape;
  private readonly ctx = new Ctx();
  /** Steps taken by stepQuiet: the work an exploration did, for steps-per-second figures. */
  quietSteps = 0;
  /** Where stepInPlace logs what it changes (see logWrites); null: nowhere. */
  private log: WriteLog | null = null;

  constructor(readonly instance: ScenarioInstance) {
    const c = compileInstance(instance);
    this.layout = c.layout;
    this.hw = c.hw;
    this.threads = c.threads;
    this.shape = c.shape;
  }

  get threadCount(): number {
    return this.threads.length;
  }

  initial(): Int32Array {
    const s = new Int32Array(this.shape.size);
    s.set(initialMemory(this.layout));
    return s;
  }

  pc(s: Int32Array, t: number): number {
    return s[this.shape.pcBase + t] ?? 0;
  }

  done(s: Int32Array, t: number): boolean {
    return this.pc(s, t) >= (this.threads[t]?.ops.length ?? 0);
  }

  /** Null when thread `t` can take its next step; otherwise why not. */
  blocked(s: Int32Array, t: number): BlockReason | null {
    const th = this.threads[t];
    if (!th) throw new ScheduleError(`there is no thread ${t}`);
    const op = th.ops[this.pc(s, t)];
    if (!op) return { kind: 'done' };
    if (!op.block) return null;
    const c = this.prepare(s, t, false);
    return op.block(c);
  }

  /** Threads that can run now, in index order. */
  runnable(s: Int32Array): number[] {
    const out: number[] = [];
    for (let t = 0; t < this.threads.length; t++) if (this.canRun(s, t)) out.push(t);
    return out;
  }

  /** runnable(s) written into `out` (length ≥ threadCount); returns how many. Allocates nothing. */
  runnableInto(s: Int32Array, out: Int32Array): number {
    let n = 0;
    for (let t = 0; t < this.threads.length; t++) if (this.canRun(s, t)) out[n++] = t;
    return n;
  }

  /** blocked(s, t) === null, without building the reason. */
  canRun(s: Int32Array, t: number): boolean {
    const th = this.threads[t];
    if (!th) throw new ScheduleError(`there is no thread ${t}`);
    const op = th.ops[s[this.shape.pcBase + t] ?? 0];
    if (!op) return false;
    if (op.enabled) return op.enabled(this.prepare(s, t, false));
    return !op.block || op.block(this.prepare(s, t, false)) === null;
  }

  allDone(s: Int32Array): boolean {
    for (let t = 0; t < this.threads.length; t++) if (!this.done(s, t)) return false;
    return true;
  }

  /**
   * From now on stepInPlace (and settleInPlace, stepQuiet) logs every int it
   * changes in `log`, or nothing with null. `step` never logs: it writes a copy.
   */
  logWrites(log: WriteLog | null): void {
    this.log = log;
  }

  private prepare(s: Int32Array, t: number, record: boolean): Ctx {
    const c = this.ctx;
    c.s = s;
    c.t = t;
    c.regBase = this.shape.regBase[t] ?? 0;
    c.regNames = this.threads[t]?.regs ?? [];
    c.accesses = record ? [] : null;
    c.regWrites = record ? [] : null;
    c.recording = record;
    c.outcome = undefined;
    c.sync = undefined;
    c.log = null;
    return c;
  }

  /**
   * Thread `t` takes its next step. Throws ScheduleError when it cannot run;
   * ScenarioError when the program itself is wrong (bad index, bad unlock).
   */
  step(s: Int32Array, t: number, stepIndex: number): { state: Int32Array; event: StepEvent } {
    const why = this.blocked(s, t);
    if (why) throw new ScheduleError(describeBlock(this, t, why, stepIndex));
    const next = s.slice();
    const pc = this.pc(s, t);
    const c = this.prepare(next, t, true);
    const op = this.threads[t]?.ops[pc];
    const npc = op ? op.exec(c) : pc;
    next[this.shape.pcBase + t] = npc;
    const event: StepEvent = {
      step: stepIndex,
      thread: t,
      pc,
      next: npc,
      accesses: c.accesses ?? [],
      regs: c.regWrites ?? [],
    };
    if (c.sync) event.sync = c.sync;
    if (c.outcome !== undefined) event.outcome = c.outcome;
    return { state: next, event };
  }

  /**
   * The same step without an event, for exploration: the caller checks
   * enabledness. Registers dead at the new pc are zeroed so that states that
   * differ only in values never read again hash alike.
   */
  stepQuiet(s: Int32Array, t: number): Int32Array {
    const next = s.slice();
    this.stepInPlace(next, t);
    return next;
  }

  /**
   * stepQuiet on `s` itself. The same semantics: stepQuiet's op also reads
   * and writes one array (its copy), having read the pc first. Lets the
   * explorer step into a buffer it reuses, with no allocation per step.
   */
  stepInPlace(s: Int32Array, t: number): void {
    this.quietSteps++;
    const pc = this.pc(s, t);
    const c = this.prepare(s, t, false);
    c.log = this.log;
    const th = this.threads[t];
    const op = th?.ops[pc];
    const npc = op ? op.exec(c) : pc;
    c.put(this.shape.pcBase + t, npc);
    const base = this.shape.regBase[t] ?? 0;
    const dead = th?.dead[npc];
    if (dead)
      for (let i = 0; i < dead.length; i++) {
        const ix = base + (dead[i] as number);
        // Most dead registers are 0 already (zeroed when they died).
        if (s[ix] !== 0) c.put(ix, 0);
      }
  }

  /** settle on `s` itself (see stepInPlace). */
  settleInPlace(s: Int32Array, t: number, taken?: number[]): void {
    let guard = 0;
    while (this.nextIsLocal(s, t)) {
      if (++guard > 100_000)
        throw new ScenarioError(`${this.threadName(t)} loops in local code forever`);
      this.stepInPlace(s, t);
      taken?.push(t);
    }
  }

  /** Whether thread t's next op touches no shared state (see COp.local). */
  nextIsLocal(s: Int32Array, t: number): boolean {
    return this.threads[t]?.ops[this.pc(s, t)]?.local === true;
  }

  /**
   * Runs thread t's thread-local steps eagerly, appending `t` to `taken` once
   * per step. Sound for exploration: a local step commutes with every other
   * step and cannot be disabled. A local loop is cut off as a livelock.
   */
  settle(s: Int32Array, t: number, taken?: number[]): Int32Array {
    let guard = 0;
    while (this.nextIsLocal(s, t)) {
      if (++guard > 100_000)
        throw new ScenarioError(`${this.threadName(t)} loops in local code forever`);
      s = this.stepQuiet(s, t);
      taken?.push(t);
    }
    return s;
  }

  threadName(t: number): string {
    return this.threads[t]?.def.name ?? `thread ${t}`;
  }
}

/** One line saying why a thread cannot run, naming locks, holders and readers. */
/** The threads running on vCPU slots `slots`, by name (a slot is not a thread's name). */
function walkerNames(m: Machine, slots: readonly number[]): string {
  return slots
    .map((v) => {
      const owners = m.threads.filter((th) => th.def.vcpu === v).map((th) => th.def.name);
      return owners.length > 0 ? owners.join(', ') : `vCPU slot ${v}`;
    })
    .join(', ');
}

export function describeBlock(m: Machine, t: number, why: BlockReason, step?: number): string {
  const who = m.threadName(t);
  // Messages count steps from 1 (step N is the N-th op), as every view does.
  const at = step === undefined ? '' : `step ${step + 1}: `;
  const names = (ts: number[]) => ts.map((u) => m.threadName(u)).join(', ');
  switch (why.kind) {
    case 'done':
      return `${at}${who} has finished and cannot run`;
    case 'lock':
      return `${at}${who} cannot run: ${why.lock} (${why.mode}) is held by ${names(why.holders)}`;
    case 'grace-period':
      return `${at}${who} cannot run: synchronize_srcu(${why.domain}) waits for readers ${names(why.readers)}`;
    case 'flush':
      return `${at}${who} cannot run: the TLB flush waits for ${walkerNames(m, why.walkers)} (interrupts off in a lockless walk)`;
    case 'await':
      return `${at}${who} cannot run: waits until ${why.why}`;
    case 'no-free-page':
      return `${at}${who} cannot run: no free page to allocate`;
  }
}
