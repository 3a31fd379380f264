/**
 * The part after the threads: `locations [...]`, `filter (...)` and the final
 * condition, in that fixed order (herdtools7's stateParser.mly).
 */
import type { LitmusAst, LocRef, Prop, Quantifier } from './ast';
import { describe, type Cursor } from './cursor';

export function parseCondition(c: Cursor, ast: LitmusAst): void {
  if (c.eat('locations')) {
    c.expect('[');
    while (!c.eat(']')) {
      ast.locations.push(parseLocRef(c));
      if (!c.at(']')) c.expect(';', "';' or ']'");
    }
  }
  c.ops = 0;
  if (c.eat('filter')) ast.filter = parseProp(c);
  c.ops = 0;
  if (c.peek.kind === 'eof') return;
  const start = c.peek;
  let q: Quantifier;
  if (c.eat('exists') || c.eat('final')) q = 'exists';
  else if (c.eat('forall')) q = 'forall';
  else if (c.at('~') && c.at('exists', 1)) {
    c.next();
    c.next();
    q = 'not exists';
  } else if (c.at('not') && c.at('exists', 1)) {
    c.next();
    c.next();
    q = 'not exists';
  } else if (c.at('(')) q = 'exists';
  else
    return c.fail(
      `expected 'exists', '~exists', 'forall', 'locations' or 'filter', found ${describe(c.peek)}`,
    );
  const p = parseProp(c);
  const last = c.toks[c.i - 1] ?? start;
  const text = c.src.slice(start.start, last.end).replace(/\s+/g, ' ');
  ast.condition = { q, p, pos: start.pos, text };
}

/** `0:r0`, `P0:r0`, `x`, `[x]`. */
function parseLocRef(c: Cursor): LocRef {
  const pos = c.peek.pos;
  if (c.eat('[')) {
    const r = parseLocRef(c);
    c.expect(']');
    return r;
  }
  if (c.peek.kind === 'num' && c.at(':', 1)) {
    const thread = c.next().value;
    c.next();
    return { thread, name: c.ident('a register name').text, pos };
  }
  const id = c.ident('a location (x, [x] or 0:r0)');
  if (/^P\d+$/.test(id.text) && c.eat(':'))
    return { thread: Number(id.text.slice(1)), name: c.ident('a register name').text, pos };
  return { name: id.text, pos };
}

export function parseProp(c: Cursor): Prop {
  c.enter();
  const l = parseOr(c);
  let out = l;
  if (c.at('=>')) {
    const pos = c.next().pos;
    out = { k: 'implies', l, r: parseProp(c), pos };
  }
  c.leave();
  return out;
}

function parseOr(c: Cursor): Prop {
  let l = parseAnd(c);
  while (c.at('\\/')) {
    c.op();
    const pos = c.next().pos;
    l = { k: 'or', l, r: parseAnd(c), pos };
  }
  return l;
}

function parseAnd(c: Cursor): Prop {
  let l = parseNot(c);
  while (c.at('/\\')) {
    c.op();
    const pos = c.next().pos;
    l = { k: 'and', l, r: parseNot(c), pos };
  }
  return l;
}

function parseNot(c: Cursor): Prop {
  const pos = c.peek.pos;
  if (c.eat('~') || c.eat('not')) {
    c.enter();
    const p = parseNot(c);
    c.leave();
    return { k: 'not', p, pos };
  }
  if (c.eat('(')) {
    const p = parseProp(c);
    c.expect(')', "')' (props combine with /\\ \\/ ~ =>)");
    return p;
  }
  if (c.eat('true')) return { k: 'true', pos };
  if (c.eat('false')) return { k: 'false', pos };
  const loc = parseLocRef(c);
  let op: '=' | '!=';
  if (c.eat('=') || c.eat('==')) op = '=';
  else if (c.eat('!=') || c.eat('<>')) op = '!=';
  else return c.fail(`expected '=' or '!=' after ${loc.name}, found ${describe(c.peek)}`);
  const neg = c.eat('-');
  if (c.peek.kind === 'num') {
    const v = c.next().value;
    return { k: 'atom', loc, op, value: (neg ? -v : v) | 0, pos };
  }
  if (neg) c.fail(`expected a number after '-', found ${describe(c.peek)}`);
  if (c.eat('&')) return { k: 'atom', loc, op, value: { addr: c.ident('a variable').text }, pos };
  // `1:r0=x`: a name on the right is the address of that variable.
  if (c.peek.kind === 'ident' && !c.at(':', 1))
    return { k: 'atom', loc, op, value: { addr: c.next().text }, pos };
  return { k: 'atom', loc, op, value: { loc: parseLocRef(c) }, pos };
}
