/**
 * Recursive-descent parser for the C litmus form. Hand-written rather than
 * generated so that every error names what was expected at an exact
 * line:col, and so that bounds (text size, nesting depth) are checked
 * where they arise instead of as a stack overflow.
 */
import {
  LitmusError,
  type Expr,
  type InitItem,
  type LitmusAst,
  type Param,
  type Pos,
  type Stmt,
  type ThreadAst,
} from './ast';
import { lex, type Token } from './lexer';
import { parseCondition } from './condParser';

/** Longest accepted text: well above any real litmus test, well below a hang. */
export const MAX_TEXT = 200_000;
/** Deepest nesting of blocks and parentheses. */
export const MAX_DEPTH = 64;
/** Most binary operators in one statement or condition. */
export const MAX_OPERATORS = 1000;

/** Type words a declaration or parameter may start with. */
const TYPE_WORDS = new Set([
  'int',
  'unsigned',
  'long',
  'short',
  'char',
  'const',
  'volatile',
  'u8',
  'u16',
  'u32',
  'u64',
  'bool',
  'uintptr_t',
  'intptr_t',
  'atomic_t',
  'atomic_long_t',
  'spinlock_t',
  'rwlock_t',
  'struct',
  '_Atomic',
  'void',
]);

export class Cursor {
  i = 0;
  depth = 0;
  constructor(
    readonly toks: Token[],
    readonly src: string,
  ) {}
  get peek(): Token {
    return this.toks[this.i] ?? (this.toks[this.toks.length - 1] as Token);
  }
  at(text: string, ahead = 0): boolean {
    const t = this.toks[this.i + ahead];
    return t !== undefined && t.kind !== 'str' && t.text === text;
  }
  next(): Token {
    const t = this.peek;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  eat(text: string): boolean {
    if (!this.at(text)) return false;
    this.i++;
    return true;
  }
  fail(message: string, t: Token = this.peek): never {
    throw new LitmusError(message, t.pos);
  }
  expect(text: string, what = `'${text}'`): Token {
    if (!this.at(text)) this.fail(`expected ${what}, found ${describe(this.peek)}`);
    return this.next();
  }
  ident(what: string): Token {
    if (this.peek.kind !== 'ident') this.fail(`expected ${what}, found ${describe(this.peek)}`);
    return this.next();
  }
  /** Operators in the current statement or condition: their trees are walked recursively. */
  ops = 0;
  op(): void {
    if (++this.ops > MAX_OPERATORS)
      this.fail(`more than ${MAX_OPERATORS} operators in one statement or condition`);
  }
  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
  }
  leave(): void {
    this.depth--;
  }
}

export function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of file';
  return `'${t.text.slice(0, 30)}'`;
}

export function parseLitmus(src: string): LitmusAst {
  if (src.length > MAX_TEXT)
    throw new LitmusError(
      `text of ${src.length} characters is longer than the limit of ${MAX_TEXT}`,
      { line: 1, col: 1 },
    );
  const lexed = lex(src);
  const c = new Cursor(lexed.tokens, src);
  const ast: LitmusAst = { name: lexed.name, init: [], threads: [], locations: [] };
  if (c.peek.kind === 'str') ast.doc = c.next().text;
  for (const cm of lexed.comments) {
    const m = /Result:\s*(\w+)/.exec(cm.text);
    if (m?.[1] !== undefined) ast.expected = { word: m[1], pos: cm.pos };
  }
  c.expect('{', "the init block '{ ... }'");
  ast.init = parseInit(c);
  while (c.peek.kind === 'ident' && /^P\d+$/.test(c.peek.text)) ast.threads.push(parseThread(c));
  if (ast.threads.length === 0)
    c.fail(`expected a thread 'P0(...) { ... }', found ${describe(c.peek)}`);
  parseCondition(c, ast);
  if (c.peek.kind !== 'eof') c.fail(`unexpected ${describe(c.peek)} after the final condition`);
  return ast;
}

/** `{ int x = 1; int *y = &x; atomic_t v = ATOMIC_INIT(1); spinlock_t l; 0:r1=2; x=1 }` */
function parseInit(c: Cursor): InitItem[] {
  const items: InitItem[] = [];
  while (!c.eat('}')) {
    if (c.eat(';')) continue;
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
  if (c.peek.kind === 'num') return neg ? -c.next().value | 0 : c.next().value;
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
  return { index, params, body: parseBlockRest(c), pos: head.pos };
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
