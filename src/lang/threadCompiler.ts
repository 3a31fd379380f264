/**
 * Compiles one litmus thread to engine ops. Each shared access becomes one
 * atomic step; expressions are flattened so that the loads and calls they
 * contain run first, in C's left-to-right order, into temporaries.
 */
import {
  ProgramBuilder,
  type KernelVersion,
  type Expr as EExpr,
  type Loc,
  type Op,
  type OpBody,
} from '../engine';
import { LitmusError, type Expr, type Pos, type Stmt, type ThreadAst } from './ast';
import { ADDR_BASE, TYPE_OF, addressOf, type SharedKind, type Symbols } from './symbols';
import { compileCall } from './primitives';
import { rawBody, rawMeta } from './raw';

export interface ThreadOptions {
  file: string;
  loopBound: number;
  /** Registers of this thread the condition or `locations` name: stored to ghost cells at the end. */
  observed: { reg: string; cell: number }[];
  /** Cell index of the loop-bound flag; set when a loop is cut. */
  cutCell: () => number;
  /** Name of the RCU domain, created on first use. */
  rcuDomain: () => string;
  /** The kernel whose paths the KVM calls expand to. */
  kernel?: KernelVersion;
  /** SPTE slots of the declared machine (the KVM calls' rmap walks cover them all). */
  slots: number;
}

const BINOPS = new Set(['+', '-', '&', '|', '^', '<<', '>>', '==', '!=', '<', '<=', '>', '>=']);

export class ThreadCompiler {
  readonly b: ProgramBuilder;
  private text = '';
  private temps = 0;
  private loops = 0;
  readonly locals = new Set<string>();
  /** The vCPU of this thread (`@thread(name, role, vcpu)`), for guest accesses. */
  readonly vcpu: number | undefined;

  constructor(
    readonly th: ThreadAst,
    readonly sym: Symbols,
    readonly opts: ThreadOptions,
  ) {
    this.b = new ProgramBuilder({ fn: `P${th.index}`, file: opts.file });
    const v = th.meta.find((a) => a.name === 'thread')?.args[2];
    this.vcpu = v?.k === 'num' ? v.v : undefined;
  }

  get shared(): Set<string> {
    return new Set(this.th.params.map((p) => p.name));
  }

  compile(initRegs: Map<string, number>): Op[] {
    for (const [r, v] of initRegs) this.emit({ k: 'set', dst: r, e: v }, `int ${r} = ${v};`);
    this.block(this.th.body);
    for (const o of this.opts.observed)
      this.emit({ k: 'store', loc: ['cell', o.cell], e: o.reg }, `/* final value of ${o.reg} */`);
    return this.b.build();
  }

  emit(body: OpBody, text = this.text): void {
    this.b.op(body, text);
  }

  temp(): string {
    return `t#${++this.temps}`;
  }

  fail(message: string, pos: Pos): never {
    throw new LitmusError(message, pos);
  }

  private block(stmts: Stmt[]): void {
    for (const s of stmts) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    this.text = s.text;
    switch (s.k) {
      case 'decl':
        this.declareLocal(s.name, s.pos);
        if (s.init) this.assignTo(s.name, s.init);
        return;
      case 'assign':
        if (s.lhs.k === 'name' && !this.isShared(s.lhs.name)) {
          this.locals.add(s.lhs.name);
          this.assignTo(s.lhs.name, s.rhs);
        } else {
          const loc = this.loc(s.lhs.k === 'deref' ? s.lhs.e : s.lhs);
          const v = this.expr(s.rhs);
          this.text = s.text;
          this.emit({ k: 'store', loc, e: v });
        }
        return;
      case 'expr':
        this.expr(s.e);
        return;
      case 'if': {
        const cond = this.expr(s.cond);
        const id = ++this.loops;
        this.text = s.text;
        this.emit({ k: 'br', cond: ['!', cond], to: `else#${id}` });
        this.block(s.then);
        if (s.else) {
          this.text = 'else';
          this.emit({ k: 'jmp', to: `fi#${id}` });
          this.b.label(`else#${id}`);
          this.block(s.else);
          this.b.label(`fi#${id}`);
        } else this.b.label(`else#${id}`);
        return;
      }
      case 'while':
        this.loop(s);
        return;
      case 'raw': {
        const body = rawBody(s.op, s.args, s.pos);
        const m = rawMeta(s.notes, s.pos);
        const fn = m.fn ?? `P${this.th.index}`;
        const ref =
          m.origin !== undefined ? { fn, file: m.file ?? this.opts.file, origin: m.origin } : fn;
        this.b.in(ref, m.file ?? this.opts.file, () => {
          if (m.label !== undefined) this.b.label(m.label);
          for (const a of m.alias ?? []) this.b.label(a);
          this.b.op(body, m.text || s.text, m.note !== undefined ? { note: m.note } : {});
        });
        return;
      }
    }
  }

  /**
   * `while (c) body`, bounded: a counter register makes each iteration a new
   * state, and after `loopBound` iterations the thread stops and raises the
   * cut flag, so a loop that never ends gives a bounded result, not a hang.
   */
  private loop(s: Stmt & { k: 'while' }): void {
    const id = ++this.loops;
    const n = `loop#${id}`;
    this.emit({ k: 'set', dst: n, e: 0 }, `${s.text} /* iteration count */`);
    this.b.label(`head#${id}`);
    const cond = this.expr(s.cond);
    this.text = s.text;
    this.emit({ k: 'br', cond: ['!', cond], to: `done#${id}` });
    this.emit({ k: 'br', cond: ['>=', n, this.opts.loopBound], to: `cut#${id}` });
    this.emit({ k: 'set', dst: n, e: ['+', n, 1] });
    this.block(s.body);
    this.text = s.text;
    this.emit({ k: 'jmp', to: `head#${id}` });
    this.b.label(`cut#${id}`);
    this.emit(
      { k: 'store', loc: ['cell', this.opts.cutCell()], e: 1 },
      `/* loop bound ${this.opts.loopBound} reached: ${s.text} */`,
    );
    this.emit({ k: 'ret' }, '/* the thread stops at the loop bound */');
    this.b.label(`done#${id}`);
  }

  private declareLocal(name: string, pos: Pos): void {
    if (this.shared.has(name))
      this.fail(`'${name}' is a parameter of P${this.th.index}; a local cannot reuse it`, pos);
    this.locals.add(name);
  }

  isShared(name: string): boolean {
    return this.shared.has(name);
  }

  /** `r = e`: a call or load writes r directly (one step, no temporary). */
  private assignTo(dst: string, e: Expr): void {
    const v = this.expr(e, dst);
    if (v !== dst) this.emit({ k: 'set', dst, e: v });
  }

  /** The cell a pointer expression designates: a shared name, `&x`, or a pointer in a register. */
  loc(p: Expr): Loc {
    if (p.k === 'deref') return this.loc(p.e);
    // The machine's arrays (extension): spte[0], page_dirty[1], dirty_bitmap[0] ...
    if (p.k === 'index') return [p.name, this.expr(p.idx)];
    if (p.k === 'addr' && p.e.k === 'name') return this.loc(p.e);
    if (p.k === 'name' && this.isShared(p.name)) {
      const kind = this.sym.kinds.get(p.name);
      if (kind !== 'cell') this.fail(`'${p.name}' is a ${kind}, not a memory location`, p.pos);
      return ['cell', this.sym.cells.indexOf(p.name)];
    }
    const v = this.expr(p);
    return ['cell', ['-', v, ADDR_BASE]];
  }

  /** A shared object of a given kind, named by a parameter (`l` or `&l`). */
  object(p: Expr | undefined, kind: SharedKind, fn: string, pos: Pos): string {
    const e = p?.k === 'addr' || p?.k === 'deref' ? p.e : p;
    if (e?.k !== 'name' || !this.isShared(e.name))
      this.fail(`${fn} needs a parameter of type ${TYPE_OF[kind]} *`, p?.pos ?? pos);
    const had = this.sym.kinds.get(e.name) ?? 'cell';
    if (had !== kind)
      this.fail(
        `${fn} needs a ${TYPE_OF[kind]} *, but '${e.name}' is declared ${TYPE_OF[had]}`,
        e.pos,
      );
    return e.name;
  }

  /** Flattens an expression; `dst` is where a call's result may go directly. */
  expr(e: Expr, dst?: string): EExpr {
    switch (e.k) {
      case 'num':
        return e.v;
      case 'name': {
        if (this.isShared(e.name)) {
          const a = addressOf(this.sym, e.name);
          if (a === undefined)
            this.fail(`'${e.name}' is a lock or SRCU domain, not a value`, e.pos);
          return a;
        }
        this.locals.add(e.name);
        return e.name;
      }
      case 'addr':
        if (e.e.k !== 'name' || !this.isShared(e.e.name))
          this.fail('& applies to a shared variable (a parameter) only', e.pos);
        return this.expr(e.e);
      case 'deref': {
        const loc = this.loc(e.e);
        const d = dst ?? this.temp();
        this.emit({ k: 'load', dst: d, loc });
        return d;
      }
      case 'un': {
        const x = this.expr(e.e);
        return e.op === '-' ? ['-', 0, x] : [e.op, x];
      }
      case 'bin':
        return this.binary(e);
      case 'call':
        return compileCall(this, e, dst);
      case 'index': {
        const d = dst ?? this.temp();
        this.emit({ k: 'load', dst: d, loc: this.loc(e) });
        return d;
      }
      case 'str':
        return this.fail('strings belong to raw ops (__load, __store ...) only', e.pos);
    }
  }

  private binary(e: Expr & { k: 'bin' }): EExpr {
    if (e.op === '&&' || e.op === '||') {
      const l = this.expr(e.l);
      if (!hasEffects(e.r)) return [e.op, l, this.expr(e.r)];
      // C's short circuit: the right side's accesses happen only when needed.
      const t = this.temp();
      const id = ++this.loops;
      this.emit({ k: 'set', dst: t, e: ['!=', l, 0] });
      this.emit({ k: 'br', cond: e.op === '&&' ? ['!', t] : t, to: `sc#${id}` });
      this.emit({ k: 'set', dst: t, e: ['!=', this.expr(e.r), 0] });
      this.b.label(`sc#${id}`);
      return t;
    }
    if (!BINOPS.has(e.op))
      this.fail(`operator '${e.op}' is not supported by lockstep's engine`, e.pos);
    const l = this.expr(e.l);
    const r = this.expr(e.r);
    return [e.op as '+', l, r];
  }
}

function hasEffects(e: Expr): boolean {
  switch (e.k) {
    case 'num':
    case 'name':
      return false;
    case 'call':
    case 'deref':
      return true;
    case 'addr':
    case 'un':
      return hasEffects(e.e);
    case 'bin':
      return hasEffects(e.l) || hasEffects(e.r);
    case 'str':
      return false;
    case 'index':
      return true;
  }
}
