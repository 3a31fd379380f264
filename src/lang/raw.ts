/**
 * Raw ops (a lockstep extension): one engine op per statement, written
 * `__kind(args) @text("...") @at(fn, file) @label("l")...;`. They are what
 * the printer writes for the built-in scenarios (whose ops include the KVM
 * machine's: guest accesses, GUP, TLB flushes ...), and a user may write
 * them beside litmus C to call the machine directly.
 */
import type { Expr as EExpr, FnName, Loc, LockMode, Op, OpBody } from '../engine';
import { LitmusError, type Annotation, type Expr, type Pos } from './ast';

const fail = (message: string, pos: Pos): never => {
  throw new LitmusError(message, pos);
};

/** An engine expression from raw syntax: `__ld(loc)`, `__cond(c, a, b)`, kernel helpers by name. */
export function rawExpr(e: Expr): EExpr {
  switch (e.k) {
    case 'num':
      return e.v;
    case 'name':
      return e.name;
    case 'un':
      if (e.op === '-' && e.e.k === 'num') return -e.e.v;
      if (e.op === '-') return ['-', 0, rawExpr(e.e)];
      return [e.op, rawExpr(e.e)];
    case 'bin':
      return [e.op as '+', rawExpr(e.l), rawExpr(e.r)];
    case 'call':
      if (e.fn === '__ld') return ['ld', rawLoc(e.args[0], e.pos)];
      if (e.fn === '__cond') {
        const [c, a, b] = e.args.map(rawExpr);
        if (b === undefined || a === undefined || c === undefined)
          fail('__cond takes 3 arguments', e.pos);
        return ['?', c as EExpr, a as EExpr, b as EExpr];
      }
      return ['fn', e.fn as FnName, ...e.args.map(rawExpr)];
    default:
      return fail('expected an expression of registers, numbers and operators', e.pos);
  }
}

export function rawLoc(e: Expr | undefined, pos: Pos): Loc {
  if (e?.k === 'name') return [e.name];
  if (e?.k === 'index') return [e.name, rawExpr(e.idx)];
  if (e?.k === 'call' && e.fn === '__loc') {
    const [n, i] = e.args;
    const name = str(n, pos);
    return i === undefined ? [name] : [name, rawExpr(i)];
  }
  return fail('expected a memory location: name, name[index] or __loc("name", index)', pos);
}

export function str(e: Expr | undefined, pos: Pos): string {
  if (e?.k === 'str') return e.v;
  if (e?.k === 'name') return e.name;
  return fail('expected a string', e?.pos ?? pos);
}

export function num(e: Expr | undefined, pos: Pos): number {
  const v = e ? rawExpr(e) : undefined;
  if (typeof v !== 'number') return fail('expected a number', e?.pos ?? pos);
  return v;
}

const reg = (e: Expr | undefined, pos: Pos): string => {
  if (e?.k !== 'name') fail('expected a register name', e?.pos ?? pos);
  return (e as { name: string }).name;
};
const bool = (e: Expr | undefined, pos: Pos): boolean => num(e, pos) !== 0;
const opt = <K extends string>(key: K, e: Expr | undefined, pos: Pos) =>
  e === undefined ? {} : ({ [key]: reg(e, pos) } as Record<K, string>);

/** The op body of `__kind(args)`. */
export function rawBody(kind: string, a: Expr[], pos: Pos): OpBody {
  const x = (i: number) => {
    const e = a[i];
    return e === undefined ? fail(`__${kind}: argument ${i + 1} is missing`, pos) : rawExpr(e);
  };
  switch (kind) {
    case 'set':
      return { k: 'set', dst: reg(a[0], pos), e: x(1) };
    case 'load':
      return { k: 'load', dst: reg(a[0], pos), loc: rawLoc(a[1], pos) };
    case 'store':
      return { k: 'store', loc: rawLoc(a[0], pos), e: x(1) };
    case 'cas':
      return {
        k: 'cas',
        loc: rawLoc(a[0], pos),
        expect: x(1),
        e: x(2),
        ok: reg(a[3], pos),
        ...opt('old', a[4], pos),
      };
    case 'xchg':
      return { k: 'xchg', loc: rawLoc(a[0], pos), e: x(1), ...opt('dst', a[2], pos) };
    case 'rmw': {
      const rop = str(a[1], pos);
      if (rop !== '|' && rop !== '&' && rop !== '+') fail(`__rmw: operator '${rop}'`, pos);
      return {
        k: 'rmw',
        loc: rawLoc(a[0], pos),
        rop: rop as '|',
        e: x(2),
        ...opt('dst', a[3], pos),
      };
    }
    case 'br':
      return { k: 'br', cond: x(0), to: str(a[1], pos) };
    case 'jmp':
      return { k: 'jmp', to: str(a[0], pos) };
    case 'await':
      return { k: 'await', cond: x(0), why: str(a[1], pos) };
    case 'ret':
      return { k: 'ret' };
    case 'nop':
      return { k: 'nop' };
    case 'lock':
    case 'unlock':
      return { k: kind, lock: str(a[0], pos), mode: str(a[1], pos) as LockMode };
    case 'srcu_read_lock':
      return { k: 'srcu_read_lock', domain: str(a[0], pos), ...opt('dst', a[1], pos) };
    case 'srcu_read_unlock':
      return { k: 'srcu_read_unlock', domain: str(a[0], pos) };
    case 'srcu_sync': {
      const phase = str(a[1], pos);
      if (phase !== 'start' && phase !== 'wait') fail('__srcu_sync phase: start or wait', pos);
      return { k: 'srcu_sync', domain: str(a[0], pos), phase: phase as 'start' };
    }
    case 'access':
      return { k: 'access', slot: x(0), write: bool(a[1], pos), dst: reg(a[2], pos) };
    case 'flush_tlbs':
      return { k: 'flush_tlbs' };
    case 'mark_dirty':
      return { k: 'mark_dirty', gfn: x(0) };
    case 'gup':
      return { k: 'gup', gfn: x(0), dst: reg(a[1], pos), atomic: bool(a[2], pos) };
    case 'put_page':
      return { k: 'put_page', pfn: x(0) };
    case 'unmap_free':
      return { k: 'unmap_free', gfn: x(0) };
    case 'migrate':
      return { k: 'migrate', gfn: x(0) };
    case 'gpt_write':
      return { k: 'gpt_write', gpte: x(0), e: x(1) };
    case 'harvest_copy':
      return { k: 'harvest_copy', mask: x(0) };
    default:
      return fail(`unknown raw op '__${kind}'`, pos);
  }
}

/** The metadata of a raw op, from its annotations. */
export function rawMeta(
  notes: Annotation[],
  pos: Pos,
): Pick<Op, 'text'> & Partial<Pick<Op, 'fn' | 'file' | 'origin' | 'note' | 'label' | 'alias'>> {
  const out: ReturnType<typeof rawMeta> = { text: '' };
  for (const n of notes) {
    const [a, b] = n.args;
    switch (n.name) {
      case 'text':
        out.text = str(a, n.pos);
        break;
      case 'at': {
        out.fn = str(a, n.pos);
        out.file = str(b, n.pos);
        const origin = n.args[2] === undefined ? undefined : str(n.args[2], n.pos);
        if (origin === 'hypothetical' || origin === 'userspace') out.origin = origin;
        else if (origin !== undefined)
          fail(`@at's origin must be "hypothetical" or "userspace", not '${origin}'`, n.pos ?? pos);
        break;
      }
      case 'note':
        out.note = str(a, n.pos);
        break;
      case 'label':
        out.label = str(a, n.pos);
        break;
      case 'alias':
        out.alias = n.args.map((x) => str(x, n.pos));
        break;
      default:
        fail(`unknown op annotation '@${n.name}'`, n.pos ?? pos);
    }
  }
  return out;
}
