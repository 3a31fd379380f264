import type { Expr, FnName, Loc } from './model';
import type { Layout } from './layout';
import { ScenarioError } from './errors';
import {
  isAccessAllowed,
  isAccessTrackSpte,
  isAccessedSpte,
  isDirtySpte,
  isMmuWritableSpte,
  isShadowPresentPte,
  isWritablePte,
  makeSpte,
  markSpteForAccessTrack,
  restoreAccTrackSpte,
  spteAdEnabled,
  spteHasVolatileBits,
  spteNeedsAtomicUpdate,
  sptePfn,
  spteVolatileOriginal,
} from './spte';
import type { Ctx } from './ctx';

/** A compiled expression: evaluated against the executing thread's context. */
export type CExpr = (c: Ctx) => number;

const b = (x: boolean): number => (x ? 1 : 0);

const FNS: Record<FnName, (a: number[]) => number> = {
  is_shadow_present_pte: ([s = 0]) => b(isShadowPresentPte(s)),
  is_writable_pte: ([s = 0]) => b(isWritablePte(s)),
  is_mmu_writable_spte: ([s = 0]) => b(isMmuWritableSpte(s)),
  is_access_track_spte: ([s = 0]) => b(isAccessTrackSpte(s)),
  is_accessed_spte: ([s = 0]) => b(isAccessedSpte(s)),
  is_dirty_spte: ([s = 0]) => b(isDirtySpte(s)),
  spte_ad_enabled: ([s = 0]) => b(spteAdEnabled(s)),
  spte_has_volatile_bits: ([s = 0]) => b(spteHasVolatileBits(s)),
  spte_needs_atomic_update: ([s = 0]) => b(spteNeedsAtomicUpdate(s)),
  spte_volatile_original: ([s = 0]) => b(spteVolatileOriginal(s)),
  spte_to_pfn: ([s = 0]) => sptePfn(s),
  is_access_allowed_write: ([s = 0]) => b(isAccessAllowed(true, s)),
  is_access_allowed_read: ([s = 0]) => b(isAccessAllowed(false, s)),
  mark_spte_for_access_track: ([s = 0]) => markSpteForAccessTrack(s),
  restore_acc_track_spte: ([s = 0]) => restoreAccTrackSpte(s),
  make_spte: ([pfn = 0, hostW = 0, writable = 0, adOff = 0]) =>
    makeSpte({ pfn, hostWritable: hostW !== 0, writable: writable !== 0, adEnabled: adOff === 0 }),
  bit: ([g = 0]) => 1 << g,
};

const BIN: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => (x + y) | 0,
  '-': (x, y) => (x - y) | 0,
  '&': (x, y) => x & y,
  '|': (x, y) => x | y,
  '^': (x, y) => x ^ y,
  '<<': (x, y) => x << y,
  '>>': (x, y) => x >>> y,
  '==': (x, y) => b(x === y),
  '!=': (x, y) => b(x !== y),
  '<': (x, y) => b(x < y),
  '<=': (x, y) => b(x <= y),
  '>': (x, y) => b(x > y),
  '>=': (x, y) => b(x >= y),
};

/** Compiles expressions and locations of one thread (registers resolved to slots). */
export class ExprCompiler {
  constructor(
    private readonly layout: Layout,
    private readonly regIndex: (name: string) => number,
  ) {}

  expr(e: Expr): CExpr {
    if (typeof e === 'number') {
      const v = e | 0;
      return () => v;
    }
    if (typeof e === 'string') {
      const r = this.regIndex(e);
      return (c) => c.reg(r);
    }
    const [op, ...rest] = e;
    switch (op) {
      case 'ld': {
        const loc = this.loc(rest[0] as Loc);
        return (c) => c.read(loc(c));
      }
      case 'fn': {
        const [name, ...args] = rest as [FnName, ...Expr[]];
        const f = FNS[name];
        if (!f) throw new ScenarioError(`unknown kernel helper '${String(name)}'`);
        const cargs = args.map((a) => this.expr(a));
        // One argument array per call site, refilled per call (no allocation per step):
        // an expression is a tree, so a call site is never inside its own arguments.
        const vals = cargs.map(() => 0);
        return (c) => {
          for (let i = 0; i < cargs.length; i++) vals[i] = (cargs[i] as CExpr)(c);
          return f(vals);
        };
      }
      case '?': {
        const [cond, yes, no] = (rest as Expr[]).map((x) => this.expr(x)) as [CExpr, CExpr, CExpr];
        return (c) => (cond(c) !== 0 ? yes(c) : no(c));
      }
      case '!': {
        const x = this.expr(rest[0] as Expr);
        return (c) => b(x(c) === 0);
      }
      case '~': {
        const x = this.expr(rest[0] as Expr);
        return (c) => ~x(c);
      }
      case '&&': {
        const [x, y] = (rest as Expr[]).map((a) => this.expr(a)) as [CExpr, CExpr];
        return (c) => b(x(c) !== 0 && y(c) !== 0);
      }
      case '||': {
        const [x, y] = (rest as Expr[]).map((a) => this.expr(a)) as [CExpr, CExpr];
        return (c) => b(x(c) !== 0 || y(c) !== 0);
      }
      default: {
        const f = BIN[op];
        if (!f || rest.length !== 2) throw new ScenarioError(`bad expression operator '${op}'`);
        const [x, y] = (rest as Expr[]).map((a) => this.expr(a)) as [CExpr, CExpr];
        return (c) => f(x(c), y(c));
      }
    }
  }

  /** A location compiles to its flat index; a computed index is bounds-checked at run time. */
  loc(l: Loc): CExpr {
    const [name, idx] = l;
    if (idx === undefined) {
      const flat = this.layout.index(name);
      return () => flat;
    }
    if (typeof idx === 'number') {
      const flat = this.layout.index(name, idx);
      return () => flat;
    }
    const { base, len } = this.layout.arrays.get(name) ?? { base: this.layout.base(name), len: 0 };
    const ix = this.expr(idx);
    const layout = this.layout;
    // In range: no look-up by name per step; out of range, layout.index says why.
    return (c) => {
      const i = ix(c);
      return i >= 0 && i < len && i === Math.floor(i) ? base + i : layout.index(name, i);
    };
  }
}
