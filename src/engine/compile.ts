import type { Expr, Loc, LockType, Op, ScenarioInstance, ThreadDef } from './model';
import type { BlockReason } from './events';
import type { Ctx } from './ctx';
import { ExprCompiler, type CExpr } from './expr';
import { Layout } from './layout';
import { Hardware } from './hardware';
import { ScenarioError } from './errors';
import {
  MAX_THREADS,
  checkMode,
  lockAcquire,
  lockConflicts,
  lockFree,
  lockRelease,
} from './sync/lockword';
import { srcuReaders } from './sync/srcu';
import { liveRegisters } from './liveness';

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

interface OpCtx {
  def: ThreadDef;
  t: number;
  ec: ExprCompiler;
  target: (label: string) => number;
  reg: (name: string) => number;
  hw: Hardware;
  layout: Layout;
  lockTypes: Map<string, LockType>;
  domains: Set<string>;
  shape: StateShape;
}

function compileOp(op: Op, pc: number, x: OpCtx): Omit<COp, 'local'> {
  const { ec } = x;
  const fall = pc + 1;
  const e = (v: Expr): CExpr => ec.expr(v);
  const vcpu = (): number => {
    if (x.def.vcpu === undefined)
      throw new ScenarioError(`${x.def.name} is not a vCPU: '${op.text}'`);
    return x.def.vcpu;
  };
  switch (op.k) {
    case 'set': {
      const dst = x.reg(op.dst);
      const v = e(op.e);
      return { op, exec: (c) => (c.setReg(dst, v(c)), fall) };
    }
    case 'load': {
      const dst = x.reg(op.dst);
      const loc = ec.loc(op.loc);
      return {
        op,
        exec: (c) => {
          const i = loc(c);
          c.setReg(dst, c.read(i), i);
          return fall;
        },
      };
    }
    case 'store': {
      const loc = ec.loc(op.loc);
      const v = e(op.e);
      return { op, exec: (c) => (c.write(loc(c), v(c)), fall) };
    }
    case 'cas': {
      const loc = ec.loc(op.loc);
      const expect = e(op.expect);
      const v = e(op.e);
      const ok = x.reg(op.ok);
      const old = op.old === undefined ? -1 : x.reg(op.old);
      return {
        op,
        exec: (c) => {
          const i = loc(c);
          const want = expect(c);
          const nv = v(c);
          const cur = c.s[i] ?? 0;
          if (cur === want) {
            c.rmw(i, nv);
            c.outcome = 'cmpxchg succeeded';
          } else {
            c.read(i);
            c.outcome = 'cmpxchg failed: the SPTE changed';
          }
          c.setReg(ok, cur === want ? 1 : 0);
          if (old >= 0) c.setReg(old, cur);
          return fall;
        },
      };
    }
    case 'xchg': {
      const loc = ec.loc(op.loc);
      const v = e(op.e);
      const dst = op.dst === undefined ? -1 : x.reg(op.dst);
      return {
        op,
        exec: (c) => {
          const prev = c.rmw(loc(c), v(c));
          if (dst >= 0) c.setReg(dst, prev);
          return fall;
        },
      };
    }
    case 'rmw': {
      const loc = ec.loc(op.loc);
      const v = e(op.e);
      const dst = op.dst === undefined ? -1 : x.reg(op.dst);
      const f =
        op.rop === '|'
          ? (a: number, b: number) => a | b
          : op.rop === '&'
            ? (a: number, b: number) => a & b
            : (a: number, b: number) => (a + b) | 0;
      return {
        op,
        exec: (c) => {
          const i = loc(c);
          const prev = c.rmw(i, f(c.s[i] ?? 0, v(c)));
          if (dst >= 0) c.setReg(dst, prev);
          return fall;
        },
      };
    }
    case 'br': {
      const cond = e(op.cond);
      const to = x.target(op.to);
      return {
        op,
        exec: (c) => {
          const taken = cond(c) !== 0;
          c.outcome = taken ? 'yes' : 'no';
          return taken ? to : fall;
        },
      };
    }
    case 'jmp': {
      const to = x.target(op.to);
      return { op, exec: () => to };
    }
    case 'await': {
      const cond = e(op.cond);
      const why = op.why;
      return {
        op,
        exec: (c) => (cond(c), fall),
        block: (c) => (cond(c) !== 0 ? null : { kind: 'await', why }),
        enabled: (c) => cond(c) !== 0,
      };
    }
    case 'ret':
      return { op, exec: () => x.def.program.length };
    case 'nop':
      return { op, exec: () => fall };
    case 'lock':
    case 'unlock':
      return compileLock(op, fall, x);
    case 'srcu_read_lock':
    case 'srcu_read_unlock':
    case 'srcu_sync':
      return compileSrcu(op, fall, x);
    case 'access': {
      const v = vcpu();
      const slot = e(op.slot);
      const dst = x.reg(op.dst);
      const write = op.write;
      return { op, exec: (c) => (c.setReg(dst, x.hw.access(c, v, slot(c), write)), fall) };
    }
    case 'flush_tlbs': {
      const self = x.def.vcpu;
      return {
        op,
        exec: (c) => {
          const vcpus = x.hw.flush(c);
          if (c.recording) c.sync = { kind: 'tlb-flush', vcpus };
          return fall;
        },
        block: (c) => {
          const walkers = x.hw.flushWalkers(c.s, self);
          return walkers.length ? { kind: 'flush', walkers } : null;
        },
        enabled: (c) => !x.hw.anyFlushWalker(c.s, self),
      };
    }
    case 'mark_dirty': {
      const gfn = e(op.gfn);
      const v = x.def.vcpu;
      return { op, exec: (c) => (x.hw.markDirty(c, gfn(c), v), fall) };
    }
    case 'gup': {
      const gfn = e(op.gfn);
      const dst = x.reg(op.dst);
      const atomic = op.atomic;
      return {
        op,
        exec: (c) => (c.setReg(dst, x.hw.gup(c, gfn(c), atomic)), fall),
        block: (c) => (x.hw.gupBlocked(c.s, gfn(c), atomic) ? { kind: 'no-free-page' } : null),
      };
    }
    case 'put_page': {
      const pfn = e(op.pfn);
      return { op, exec: (c) => (x.hw.putPage(c, pfn(c)), fall) };
    }
    case 'migrate': {
      const gfn = e(op.gfn);
      return {
        op,
        exec: (c) => (x.hw.migrate(c, gfn(c)), fall),
        block: (c) => (x.hw.migrateBlocked(c.s, gfn(c)) ? { kind: 'no-free-page' } : null),
      };
    }
    case 'unmap_free': {
      const gfn = e(op.gfn);
      return { op, exec: (c) => (x.hw.unmapFree(c, gfn(c)), fall) };
    }
    case 'gpt_write': {
      const gpte = e(op.gpte);
      const v = e(op.e);
      const gptGfn = x.layout.machine.gptGfn;
      if (gptGfn === undefined) throw new ScenarioError('gpt_write needs machine.gptGfn');
      return { op, exec: (c) => (x.hw.gptWrite(c, gpte(c), v(c), gptGfn), fall) };
    }
    case 'harvest_copy': {
      const mask = e(op.mask);
      return { op, exec: (c) => (x.hw.harvestCopy(c, mask(c)), fall) };
    }
  }
}

function compileLock(
  op: Op & { k: 'lock' | 'unlock' },
  fall: number,
  x: OpCtx,
): Omit<COp, 'local'> {
  const type = x.lockTypes.get(op.lock);
  if (!type) throw new ScenarioError(`${x.def.name}: unknown lock '${op.lock}'`);
  checkMode(type, op.mode, op.lock);
  const word = x.layout.index(`lock:${op.lock}`);
  const { t } = x;
  const { lock, mode } = op;
  if (op.k === 'unlock')
    return {
      op,
      exec: (c) => {
        c.rmw(word, lockRelease(type, c.s[word] ?? 0, mode, t, lock));
        if (c.recording) c.sync = { kind: 'release', lock, mode };
        return fall;
      },
    };
  return {
    op,
    exec: (c) => {
      c.rmw(word, lockAcquire(type, c.s[word] ?? 0, mode, t));
      if (c.recording) c.sync = { kind: 'acquire', lock, mode };
      return fall;
    },
    block: (c) => {
      const holders = lockConflicts(type, c.s[word] ?? 0, mode);
      return holders.length ? { kind: 'lock', lock, mode, holders } : null;
    },
    enabled: (c) => lockFree(type, c.s[word] ?? 0, mode),
  };
}

function domainIndex(x: OpCtx, domain: string): number {
  return [...x.domains].indexOf(domain);
}

function compileSrcu(
  op: Op & { k: 'srcu_read_lock' | 'srcu_read_unlock' | 'srcu_sync' },
  fall: number,
  x: OpCtx,
): Omit<COp, 'local'> {
  const domain = op.domain;
  if (!x.domains.has(domain))
    throw new ScenarioError(`${x.def.name}: unknown SRCU domain '${domain}'`);
  const word = x.layout.index(`srcu:${domain}`);
  const seq = x.layout.index(`srcu_idx:${domain}`);
  const { t, shape } = x;
  const me = 1 << t;
  const nThreads = shape.regBase.length;
  const d = domainIndex(x, domain);
  const gpOf = (u: number) => shape.gpBase + u * x.domains.size + d;
  const gp = gpOf(t);
  if (op.k === 'srcu_read_lock') {
    const dst = op.dst === undefined ? -1 : x.reg(op.dst);
    return {
      op,
      exec: (c) => {
        const w = c.s[word] ?? 0;
        if (w & me)
          throw new ScenarioError(
            `${x.def.name}: nested srcu_read_lock(${domain}) is not modelled`,
          );
        c.rmw(word, w | me);
        if (dst >= 0) c.setReg(dst, c.read(seq) & 1);
        if (c.recording) c.sync = { kind: 'srcu-read-lock', domain };
        return fall;
      },
    };
  }
  if (op.k === 'srcu_read_unlock')
    return {
      op,
      exec: (c) => {
        const w = c.s[word] ?? 0;
        if (!(w & me))
          throw new ScenarioError(
            `${x.def.name}: srcu_read_unlock(${domain}) without srcu_read_lock`,
          );
        c.rmw(word, w & ~me);
        // This reader is no longer one that any pending grace period waits for.
        for (let u = 0; u < nThreads; u++) {
          const g = gpOf(u);
          if ((c.s[g] ?? 0) & me) c.put(g, (c.s[g] ?? 0) & ~me);
        }
        if (c.recording) c.sync = { kind: 'srcu-read-unlock', domain };
        return fall;
      },
    };
  if (op.phase === 'start')
    return {
      op,
      exec: (c) => {
        const readers = c.read(word);
        c.put(gp, readers);
        if (c.recording) c.sync = { kind: 'gp-start', domain, readers: srcuReaders(readers) };
        return fall;
      },
    };
  return {
    op,
    exec: (c) => {
      c.rmw(seq, (c.s[seq] ?? 0) + 1);
      if (c.recording) c.sync = { kind: 'gp-end', domain };
      return fall;
    },
    block: (c) => {
      const waiting = c.s[gp] ?? 0;
      return waiting ? { kind: 'grace-period', domain, readers: srcuReaders(waiting) } : null;
    },
    enabled: (c) => (c.s[gp] ?? 0) === 0,
  };
}
