/**
 * One op compiled to closures: everything that can be decided from the
 * program (register indices, label targets, location expressions) is
 * decided here, once, so the explorer's step does no lookups by name.
 */
import type { Expr, LockType, Op, ThreadDef } from './model';
import type { CExpr, ExprCompiler } from './expr';
import type { Layout } from './layout';
import type { Hardware } from './hardware';
import type { COp, StateShape } from './compile';
import { ScenarioError } from './errors';
import { compileLock, compileSrcu } from './compileSync';

/** What compiling one thread's op may look up: its thread, registers, labels and the machine. */
export interface OpCtx {
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

export function compileOp(op: Op, pc: number, x: OpCtx): Omit<COp, 'local'> {
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
