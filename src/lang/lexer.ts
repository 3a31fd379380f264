/**
 * Lexer for herd7's C litmus form. Hand-written because the two comment
 * styles depend on where they are: OCaml `(* *)` outside code, `//` and
 * `/* *\/` inside braces, where `(*x)` is a parenthesised dereference.
 */
import { LitmusError, type Pos } from './ast';

export type TokKind = 'ident' | 'num' | 'str' | 'punct' | 'eof';

export interface Token {
  kind: TokKind;
  text: string;
  /** Numeric value of a `num` token. */
  value: number;
  pos: Pos;
  /** Offset of the first character in the source, and one past the last. */
  start: number;
  end: number;
}

export interface LexResult {
  tokens: Token[];
  /** Text of every OCaml comment, for the `Result:` convention. */
  comments: { text: string; pos: Pos }[];
  /** The test name of the `C <name>` header line (any characters up to the end of line). */
  name: string;
  namePos: Pos;
}

/** Longest first, so `/\` wins over `/` and `==` over `=`. */
const PUNCT = [
  '/\\',
  '\\/',
  '=>',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '&&',
  '||',
  '<<',
  '>>',
  '++',
  '--',
  '+=',
  '-=',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ';',
  ',',
  ':',
  '=',
  '*',
  '&',
  '|',
  '^',
  '~',
  '!',
  '+',
  '-',
  '/',
  '%',
  '<',
  '>',
  '?',
  '.',
  '@',
];

export function lex(src: string): LexResult {
  const tokens: Token[] = [];
  const comments: LexResult['comments'] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  const pos = (at = i): Pos => ({ line, col: at - lineStart + 1 });
  const fail = (message: string, at = i): never => {
    throw new LitmusError(message, pos(at));
  };
  const advance = (to: number) => {
    for (; i < to; i++) {
      if (src.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
  };
  const skipSpaceAndComments = () => {
    for (;;) {
      while (i < src.length && /\s/.test(src[i] ?? '')) advance(i + 1);
      if (depth === 0 && src.startsWith('(*', i)) {
        const start = pos();
        const close = src.indexOf('*)', i + 2);
        if (close < 0) fail('unterminated (* comment');
        comments.push({ text: src.slice(i + 2, close), pos: start });
        advance(close + 2);
      } else if (src.startsWith('//', i)) {
        const nl = src.indexOf('\n', i);
        advance(nl < 0 ? src.length : nl);
      } else if (src.startsWith('/*', i)) {
        const close = src.indexOf('*/', i + 2);
        if (close < 0) fail('unterminated /* comment');
        advance(close + 2);
      } else return;
    }
  };

  // The header: `C` then a name made of any characters up to the end of the line.
  skipSpaceAndComments();
  const headerAt = pos();
  if (!/^C[ \t]/.test(src.slice(i, i + 2)))
    fail("a litmus test starts with 'C <name>' (only the C litmus form is read)");
  advance(i + 1);
  while (src[i] === ' ' || src[i] === '\t') advance(i + 1);
  const namePos = pos();
  const nl = src.indexOf('\n', i);
  const name = src.slice(i, nl < 0 ? src.length : nl).trim();
  if (!/^[\w+.\-=]+$/.test(name))
    fail(`bad test name '${name.slice(0, 40)}': use letters, digits and + - . _ =`, i);
  advance(nl < 0 ? src.length : nl);
  void headerAt;

  for (;;) {
    skipSpaceAndComments();
    if (i >= src.length) break;
    const start = i;
    const p = pos();
    const ch = src[i] ?? '';
    if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < src.length && /\w/.test(src[j] ?? '')) j++;
      tokens.push({ kind: 'ident', text: src.slice(i, j), value: 0, pos: p, start, end: j });
      advance(j);
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*/.exec(src.slice(i, i + 40));
      const text = m?.[1] ?? ch;
      const value = Number(text);
      if (!Number.isSafeInteger(value) || value > 0xffffffff)
        fail(`number ${text} does not fit in 32 bits`);
      const j = i + (m?.[0].length ?? 1);
      if (/\w/.test(src[j] ?? '')) fail(`bad number '${src.slice(i, j + 1)}'`);
      tokens.push({ kind: 'num', text, value, pos: p, start, end: j });
      advance(j);
      continue;
    }
    if (ch === '"') {
      // JSON string syntax, so the printer can write any text (quotes, newlines) exactly.
      let close = i + 1;
      while (close < src.length && src[close] !== '"' && src[close] !== '\n')
        close += src[close] === '\\' ? 2 : 1;
      if (src[close] !== '"') fail('unterminated string');
      let text: string;
      try {
        text = JSON.parse(src.slice(i, close + 1)) as string;
      } catch {
        text = fail('bad escape in string');
      }
      tokens.push({ kind: 'str', text, value: 0, pos: p, start, end: close + 1 });
      advance(close + 1);
      continue;
    }
    const punct = PUNCT.find((q) => src.startsWith(q, i));
    if (punct === undefined) fail(`unexpected character '${ch}'`);
    const text = punct as string;
    if (text === '{') depth++;
    if (text === '}') depth = Math.max(0, depth - 1);
    tokens.push({ kind: 'punct', text, value: 0, pos: p, start, end: i + text.length });
    advance(i + text.length);
  }
  tokens.push({ kind: 'eof', text: 'end of file', value: 0, pos: pos(), start: i, end: i });
  return { tokens, comments, name, namePos };
}
