/** C expressions of thread bodies, by precedence climbing. */
import type { Expr, Pos } from './ast';
import { describe, TYPE_WORDS, type Cursor } from './cursor';

/** Binary operators by precedence level, loosest first (C's order). */
const LEVELS: string[][] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
];

export function parseExpr(c: Cursor, level = 0): Expr {
  let e: Expr;
  if (level >= LEVELS.length) e = parseUnary(c);
  else {
    e = parseExpr(c, level + 1);
    const ops = LEVELS[level] as string[];
    while (ops.some((o) => c.at(o))) {
      c.op();
      const opTok = c.next();
      const r = parseExpr(c, level + 1);
      e = { k: 'bin', op: opTok.text, l: e, r, pos: opTok.pos };
    }
  }
  return e;
}

function parseUnary(c: Cursor): Expr {
  const t = c.peek;
  const pos: Pos = t.pos;
  if (c.eat('*')) return withDepth(c, () => ({ k: 'deref', e: parseUnary(c), pos }));
  if (c.eat('&')) return withDepth(c, () => ({ k: 'addr', e: parseUnary(c), pos }));
  if (c.at('-') || c.at('!') || c.at('~')) {
    const op = c.next().text as '-' | '!' | '~';
    return withDepth(c, () => ({ k: 'un', op, e: parseUnary(c), pos }));
  }
  if (c.at('(') && c.peek.kind === 'punct' && isCast(c)) {
    c.next();
    while (!c.eat(')')) c.next();
    return withDepth(c, () => parseUnary(c));
  }
  if (c.eat('(')) {
    c.enter();
    const e = parseExpr(c);
    c.expect(')');
    c.leave();
    return e;
  }
  if (t.kind === 'num') return { k: 'num', v: c.next().value, pos };
  if (t.kind === 'str') return { k: 'str', v: c.next().text, pos };
  if (t.kind === 'ident') {
    c.next();
    if (c.eat('(')) {
      const args: Expr[] = [];
      while (!c.eat(')')) {
        args.push(parseExpr(c));
        if (!c.at(')')) c.expect(',', "',' or ')'");
      }
      return { k: 'call', fn: t.text, args, pos };
    }
    if (c.eat('[')) {
      const idx = parseExpr(c);
      c.expect(']');
      return { k: 'index', name: t.text, idx, pos };
    }
    return { k: 'name', name: t.text, pos };
  }
  return c.fail(`expected an expression, found ${describe(t)}`);
}

function withDepth(c: Cursor, f: () => Expr): Expr {
  c.enter();
  const e = f();
  c.leave();
  return e;
}

/** `(int)`, `(int *)`, `(uintptr_t)`: a cast, which SC integer semantics ignore. */
function isCast(c: Cursor): boolean {
  let j = 1;
  let saw = false;
  for (;;) {
    const t = c.toks[c.i + j];
    if (!t) return false;
    if (t.kind === 'ident' && TYPE_WORDS.has(t.text)) saw = true;
    else if (t.text === '*' && saw) {
      /* pointer cast */
    } else return saw && t.text === ')';
    j++;
  }
}
