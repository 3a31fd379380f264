/**
 * Highlighting for scenario text: a small StreamLanguage (keywords, numbers,
 * comments, strings, primitives). It only colours; the parser in src/lang is
 * the one judge of what is valid.
 */
import { HighlightStyle, StreamLanguage, type StringStream } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { MACHINE_KEYWORDS } from '../../lang/machineFields';

const KEYWORDS = new Set([
  'C',
  'exists',
  'forall',
  'locations',
  'filter',
  'if',
  'else',
  'while',
  'int',
  'spinlock_t',
  'not',
  'true',
  'false',
  ...MACHINE_KEYWORDS,
]);

interface State {
  /** Inside a comment that spans lines: its closing delimiter. */
  comment: '*)' | '*/' | null;
  /** Brace depth: as in the lexer, `(*` opens a comment only outside code. */
  depth: number;
}

function token(stream: StringStream, state: State): string | null {
  if (state.comment) {
    if (stream.skipTo(state.comment)) {
      stream.next();
      stream.next();
      state.comment = null;
    } else stream.skipToEnd();
    return 'comment';
  }
  if (stream.eatSpace()) return null;
  if (state.depth === 0 && stream.match('(*')) {
    state.comment = '*)';
    return token(stream, state) ?? 'comment';
  }
  if (stream.match('/*')) {
    state.comment = '*/';
    return token(stream, state) ?? 'comment';
  }
  if (stream.match('//')) {
    stream.skipToEnd();
    return 'comment';
  }
  if (stream.match(/^"[^"]*"?/)) return 'string';
  if (stream.match(/^(0x[0-9a-fA-F]+|\d+)/)) return 'number';
  const word = stream.match(/^[A-Za-z_][\w.]*/);
  if (word && typeof word !== 'boolean') {
    const w = word[0];
    if (KEYWORDS.has(w)) return 'keyword';
    if (/^P\d+$/.test(w)) return 'typeName';
    if (/^[A-Z_]+$/.test(w) || stream.peek() === '(') return 'function';
    return 'variableName';
  }
  const c = stream.next();
  if (c === '{') state.depth++;
  else if (c === '}') state.depth = Math.max(0, state.depth - 1);
  return c === '{' || c === '}' ? 'brace' : null;
}

export const litmusLanguage = StreamLanguage.define<State>({
  name: 'litmus',
  startState: () => ({ comment: null, depth: 0 }),
  copyState: (s) => ({ ...s }),
  token,
});

/**
 * Colours for the tokens above, each at least 4.5:1 on white and on the
 * active-line tint (WCAG AA; CodeMirror's default style fails axe there).
 */
export const litmusHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: '#6b21a8' },
  { tag: tags.typeName, color: '#065f46', fontWeight: '600' },
  { tag: tags.function(tags.variableName), color: '#1e40af' },
  { tag: tags.number, color: '#166534' },
  { tag: tags.string, color: '#9f1239' },
  { tag: tags.comment, color: '#7c2d12', fontStyle: 'italic' },
]);
