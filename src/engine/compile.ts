/**
 * Turns a scenario instance into closures over one flat Int32Array state:
 * where each part of the state lives (StateShape), each thread's registers
 * and dead-register sets, and each op compiled once (compileOp.ts, with the
 * lock and SRCU ops in compileSync.ts) so that a step is a closure call.
 */
import type { Expr, Loc, LockType, Op, ScenarioInstance, ThreadDef } from './model';
import type { BlockReason } from './events';
import type { Ctx } from './ctx';
import { ExprCompiler } from './expr';
import { Layout } from './layout';
import { Hardware } from './hardware';
import { ScenarioError } from './errors';
import { MAX_THREADS } from './sync/lockword';
import { liveRegisters } from './liveness';
import { compileOp } from './compileOp';

/** One op, compiled: `exec` performs the step and returns the next pc. */
export interface COp {
  op: Op;
  exec: (c: Ctx) => number;
  /** Why the op cannot run now, or null. Absent: always enabled. */
  block?: (c: Ctx) => BlockReason | null;
  /**
   * `block(c) === null` without building the reason: the explorer asks this
   * at every state for every thread. Absent: ask `block`.
   */
  enabled?: (c: Ctx) => boolean;
  /**
   * Touches no shared state (registers and control flow only). Such a step
   * commutes with every step of every other thread and is always enabled,
   * which is what lets exploration take it eagerly.
   */
  local: boolean;
}

function readsMemory(e: Expr): boolean {
  if (typeof e !== 'object') return false;
  if (e[0] === 'ld') return true;
  return e.slice(1).some((x) => typeof x === 'object' && readsMemory(x as Expr));
}

function isLocal(op: Op): boolean {
  switch (op.k) {
    case 'set':
      return !readsMemory(op.e);
    case 'br':
      return !readsMemory(op.cond);
    case 'jmp':
    case 'nop':
    case 'ret':
      return true;
    default:
      return false;
  }
}

export interface CThread {
  def: ThreadDef;
  ops: COp[];
  regs: string[];
  /** Per pc (and one past the end), register indices that are dead there. */
  dead: number[][];
}

/** Where each part of a state lives in the state's Int32Array. */
export interface StateShape {
  memSize: number;
  pcBase: number;
  regBase: number[];
  gpBase: number;
  size: number;
}

/** Collects every register a program names, in first-use order. */
function registersOf(program: Op[]): string[] {
  const regs = new Set<string>();
  const visit = (e: Expr | undefined): void => {
    if (e === undefined || typeof e === 'number') return;
    if (typeof e === 'string') {
      regs.add(e);
      return;
    }
    if (e[0] === 'ld') visitLoc(e[1] as Loc);
    else for (const x of e.slice(e[0] === 'fn' ? 2 : 1)) visit(x as Expr);
  };
  const visitLoc = (l: Loc) => visit(l[1]);
  for (const op of program) {
    for (const key of ['dst', 'ok', 'old'] as const)
      if (key in op) {
        const r = (op as unknown as Record<string, unknown>)[key];
        if (typeof r === 'string') regs.add(r);
      }
    for (const key of ['e', 'expect', 'cond', 'slot', 'gfn', 'pfn', 'gpte', 'mask'] as const)
      if (key in op) visit((op as unknown as Record<string, Expr>)[key]);
    if ('loc' in op) visitLoc(op.loc);
  }
  return [...regs];
}

export function compileInstance(inst: ScenarioInstance) {
  const layout = new Layout(inst.machine);
  const hw = new Hardware(layout);
  const n = inst.threads.length;
  if (n === 0 || n > MAX_THREADS)
    throw new ScenarioError(`a scenario needs 1 to ${MAX_THREADS} threads`);
  const lockTypes = new Map<string, LockType>(inst.machine.locks.map((l) => [l.name, l.type]));
  const domains = new Set(inst.machine.srcu);

  const threads: CThread[] = [];
  const regBase: number[] = [];
  let next = layout.size + n;
  for (const def of inst.threads) {
    const regs = registersOf(def.program);
    regBase.push(next);
    next += regs.length;
    const live = liveRegisters(def.program);
    const dead = [...live, new Set<string>()].map((l) =>
      regs.flatMap((r, i) => (l.has(r) ? [] : [i])),
    );
    threads.push({ def, regs, ops: [], dead });
  }
  const shape: StateShape = {
    memSize: layout.size,
    pcBase: layout.size,
    regBase,
    gpBase: next,
    // One grace-period wait mask per (thread, SRCU domain): domains are independent.
    size: next + n * Math.max(1, inst.machine.srcu.length),
  };

  inst.threads.forEach((def, t) => {
    const th = threads[t] as CThread;
    const regIndex = (name: string) => th.regs.indexOf(name);
    const ec = new ExprCompiler(layout, regIndex);
    const labels = new Map<string, number>();
    def.program.forEach((op, pc) => {
      for (const name of [op.label, ...(op.alias ?? [])]) {
        if (name === undefined) continue;
        if (labels.has(name)) throw new ScenarioError(`${def.name}: label '${name}' defined twice`);
        labels.set(name, pc);
      }
    });
    const target = (name: string): number => {
      const pc = labels.get(name);
      if (pc === undefined) throw new ScenarioError(`${def.name}: unknown label '${name}'`);
      return pc;
    };
    const ctx = { def, t, ec, target, reg: regIndex, hw, layout, lockTypes, domains, shape };
    th.ops = def.program.map((op, pc) => ({ ...compileOp(op, pc, ctx), local: isLocal(op) }));
  });
  return { layout, hw, threads, shape };
}
