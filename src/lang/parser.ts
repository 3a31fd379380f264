/**
 * Recursive-descent parser for the C litmus form. Hand-written rather than
 * generated so that every error names what was expected at an exact
 * line:col, and so that bounds (text size, nesting depth) are checked
 * where they arise instead of as a stack overflow.
 */
import {
  LitmusError,
  type Annotation,
  type Expr,
  type InitItem,
  type LitmusAst,
  type Param,
  type Stmt,
  type ThreadAst,
} from './ast';
import { lex, type Token } from './lexer';
import { parseCondition } from './condParser';

import { Cursor, MAX_TEXT, TYPE_WORDS, describe } from './cursor';
import { parseExpr } from './exprParser';
import { parseMachineBlock } from './machineParser';

export { MAX_TEXT, MAX_DEPTH, MAX_OPERATORS, Cursor, describe } from './cursor';
export { parseExpr } from './exprParser';

export function parseLitmus(src: string): LitmusAst {
  if (src.length > MAX_TEXT)
    throw new LitmusError(
      `text of ${src.length} characters is longer than the limit of ${MAX_TEXT}`,
      { line: 1, col: 1 },
    );
  const lexed = lex(src);
  const c = new Cursor(lexed.tokens, src);
  const ast: LitmusAst = { name: lexed.name, meta: [], init: [], threads: [], locations: [] };
  if (c.peek.kind === 'str') ast.doc = c.next().text;
  for (const cm of lexed.comments) {
    const m = /Result:\s*(\w+)/.exec(cm.text);
    if (m?.[1] !== undefined) ast.expected = { word: m[1], pos: cm.pos };
  }
  c.expect('{', "the init block '{ ... }'");
  ast.init = parseInit(c, ast.meta);
  while (c.peek.kind === 'ident' && /^P\d+$/.test(c.peek.text)) ast.threads.push(parseThread(c));
  if (ast.threads.length === 0)
    c.fail(`expected a thread 'P0(...) { ... }', found ${describe(c.peek)}`);
  parseCondition(c, ast);
  if (c.peek.kind !== 'eof') c.fail(`unexpected ${describe(c.peek)} after the final condition`);
  return ast;
}

/** `{ int x = 1; int *y = &x; atomic_t v = ATOMIC_INIT(1); spinlock_t l; 0:r1=2; x=1 }` */
function parseInit(c: Cursor, meta: Annotation[]): InitItem[] {
  const items: InitItem[] = [];
  while (!c.eat('}')) {
    if (c.eat(';')) continue;
    if (c.at('@')) {
      meta.push(parseAnnotation(c));
      continue;
    }
    const pos = c.peek.pos;
    let thread: number | undefined;
    if (c.peek.kind === 'num' && c.at(':', 1)) {
      thread = c.next().value;
      c.next();
    }
    const words: string[] = [];
    // Every word followed by another word or '*' is part of the type.
    while (c.peek.kind === 'ident' && (c.toks[c.i + 1]?.kind === 'ident' || c.at('*', 1)))
      words.push(c.next().text);
    while (c.eat('*')) words.push('*');
    const name = c.ident('a variable name').text;
    let value: InitItem['value'] = 0;
    if (c.eat('=')) value = parseInitValue(c);
    items.push({
      name,
      value,
      pos,
      ...(thread !== undefined && { thread }),
      ...(words.length > 0 && { type: words.join(' ') }),
    });
    if (!c.at('}')) c.expect(';', "';' or '}'");
  }
  return items;
}

function parseInitValue(c: Cursor): InitItem['value'] {
  if (c.eat('&')) return { addr: c.ident('a variable name after &').text };
  if (c.at('ATOMIC_INIT') || c.at('__SPIN_LOCK_UNLOCKED')) {
    c.next();
    c.expect('(');
    const v = c.at(')') ? 0 : parseInitValue(c);
    c.expect(')');
    return v;
  }
  const neg = c.eat('-');
  if (c.peek.kind === 'num') return (neg ? -c.next().value : c.next().value) | 0;
  if (!neg && c.peek.kind === 'ident') return { addr: c.next().text };
  return c.fail(`expected a number or a variable name, found ${describe(c.peek)}`);
}

function parseThread(c: Cursor): ThreadAst {
  const head = c.next();
  const index = Number(head.text.slice(1));
  c.expect('(');
  const params: Param[] = [];
  if (c.at('void') && c.at(')', 1)) c.next();
  while (!c.eat(')')) {
    const pos = c.peek.pos;
    const words: string[] = [];
    while (c.peek.kind === 'ident' && !c.at(',', 1) && !c.at(')', 1)) words.push(c.next().text);
    while (c.eat('*')) words.push('*');
    const name = c.ident('a parameter name').text;
    params.push({ type: words.join(' '), name, pos });
    if (!c.at(')')) c.expect(',', "',' or ')'");
  }
  c.expect('{', `the body of ${head.text}`);
  const meta: Annotation[] = [];
  while (c.at('@')) {
    meta.push(parseAnnotation(c));
    c.expect(';');
  }
  return { index, params, body: parseBlockRest(c), meta, pos: head.pos };
}

/** `@name(arg, ...)`. */
export function parseAnnotation(c: Cursor): Annotation {
  const at = c.expect('@');
  const name = c.ident('an annotation name').text;
  if (name === 'kvm' && c.eat('{'))
    return { name, args: [], pos: at.pos, block: parseMachineBlock(c) };
  const args: Expr[] = [];
  if (c.eat('(')) {
    while (!c.eat(')')) {
      args.push(parseExpr(c));
      if (!c.at(')')) c.expect(',', "',' or ')'");
    }
  }
  return { name, args, pos: at.pos };
}

/** Statements up to and including the closing brace. */
function parseBlockRest(c: Cursor): Stmt[] {
  c.enter();
  const out: Stmt[] = [];
  while (!c.eat('}')) {
    if (c.peek.kind === 'eof') c.fail("expected '}' before end of file");
    out.push(...parseStmt(c));
  }
  c.leave();
  return out;
}

function stmtBody(c: Cursor): Stmt[] {
  if (c.eat('{')) return parseBlockRest(c);
  c.enter();
  const s = parseStmt(c);
  c.leave();
  return s;
}

function textFrom(c: Cursor, start: Token): string {
  const last = c.toks[c.i - 1] ?? start;
  return c.src.slice(start.start, last.end).replace(/\s+/g, ' ').slice(0, 120);
}

function parseStmt(c: Cursor): Stmt[] {
  c.ops = 0;
  const t = c.peek;
  const pos = t.pos;
  if (c.eat(';')) return [];
  if (c.eat('{')) return parseBlockRest(c);
  if (c.at('if')) {
    c.next();
    c.expect('(');
    const cond = parseExpr(c);
    c.expect(')');
    const text = `if (${textFrom(c, t).replace(/^if\s*\(|\)$/g, '')})`;
    const then = stmtBody(c);
    const els = c.eat('else') ? stmtBody(c) : undefined;
    return [{ k: 'if', cond, then, pos, text, ...(els && { else: els }) }];
  }
  if (c.at('while')) {
    c.next();
    c.expect('(');
    const cond = parseExpr(c);
    c.expect(')');
    const text = textFrom(c, t);
    return [{ k: 'while', cond, body: stmtBody(c), pos, text }];
  }
  for (const kw of ['for', 'do', 'switch', 'goto', 'return', 'break', 'continue'])
    if (c.at(kw)) c.fail(`'${kw}' is not part of the litmus C subset (bounded 'while' is)`);
  if (t.kind === 'ident' && TYPE_WORDS.has(t.text) && !c.at('(', 1)) return parseDecl(c);
  if (t.kind === 'ident' && t.text.startsWith('__') && c.at('(', 1)) return [parseRaw(c)];
  if (c.at('(') && c.at('void', 1) && c.at(')', 2)) {
    c.next();
    c.next();
    c.next();
  }
  const lhs = parseExpr(c);
  let s: Stmt;
  if (c.eat('=')) {
    if (lhs.k !== 'name' && lhs.k !== 'deref') c.fail('the left of = must be a local or *pointer');
    const rhs = parseExpr(c);
    c.expect(';');
    s = { k: 'assign', lhs, rhs, pos, text: textFrom(c, t) };
  } else if (c.at('++') || c.at('--') || c.at('+=') || c.at('-=')) {
    const op = c.next().text;
    const amount: Expr = op.length === 2 && op[1] === '=' ? parseExpr(c) : { k: 'num', v: 1, pos };
    c.expect(';');
    const rhs: Expr = { k: 'bin', op: op[0] as string, l: lhs, r: amount, pos };
    s = { k: 'assign', lhs, rhs, pos, text: textFrom(c, t) };
  } else {
    c.expect(';', "';'");
    s = { k: 'expr', e: lhs, pos, text: textFrom(c, t) };
  }
  return [s];
}

/** `__op(args) @note(...)...;`: one engine op, as the printer writes it. */
function parseRaw(c: Cursor): Stmt {
  const t = c.next();
  c.expect('(');
  const args: Expr[] = [];
  while (!c.eat(')')) {
    args.push(parseExpr(c));
    if (!c.at(')')) c.expect(',', "',' or ')'");
  }
  const notes: Annotation[] = [];
  while (c.at('@')) notes.push(parseAnnotation(c));
  c.expect(';', "';'");
  return { k: 'raw', op: t.text.slice(2), args, notes, pos: t.pos, text: textFrom(c, t) };
}

function parseDecl(c: Cursor): Stmt[] {
  const start = c.peek;
  while (c.peek.kind === 'ident' && TYPE_WORDS.has(c.peek.text)) {
    const w = c.next().text;
    if (w === 'struct') c.ident('a struct name');
  }
  const out: Stmt[] = [];
  do {
    while (c.eat('*'));
    const nameTok = c.ident('a variable name');
    const init = c.eat('=') ? parseExpr(c) : undefined;
    out.push({ k: 'decl', name: nameTok.text, pos: nameTok.pos, text: '', ...(init && { init }) });
  } while (c.eat(','));
  c.expect(';', "';'");
  const text = textFrom(c, start);
  return out.map((s) => ({ ...s, text }));
}
