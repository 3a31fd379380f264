/**
 * The editor's text between visits (localStorage) and the mapping of parse
 * errors to CodeMirror diagnostics. No React here.
 */
import type { EditorState } from '@codemirror/state';
import type { Diagnostic } from '@codemirror/lint';
import type { ParseError } from '../../lang';

/** Where the text lives between visits, reloads and worker crashes. */
export const STORAGE_KEY = 'lockstep.editor.text';

export const STARTER = `C my-test\n\n{}\n\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\n\nP1(int *x) {\n  int r0 = READ_ONCE(*x);\n}\n\nexists (1:r0=1)\n`;

export function loadSaved(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? STARTER;
  } catch {
    return STARTER;
  }
}

export function save(text: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, text);
  } catch {
    // Storage full or disabled: the text still lives in the editor.
  }
}

/**
 * What the editor opens with: the saved text, or the text the page shows (a
 * link's) when nothing was saved or the user agrees to replace the saved one.
 * `replaced` tells whether the page's text was taken.
 */
export function initialText(shown: string | null): { text: string; replaced: boolean } {
  const saved = loadSaved();
  if (shown === null || shown === saved) return { text: saved, replaced: false };
  if (
    saved !== STARTER &&
    !window.confirm('Replace the text saved in the editor with the scenario this page shows?')
  )
    return { text: saved, replaced: false };
  save(shown);
  return { text: shown, replaced: true };
}

/** Offset of a 1-based line and column, clamped to the document. */
function offsetOf(state: EditorState, line: number, col: number): number {
  const l = state.doc.line(Math.min(Math.max(line, 1), state.doc.lines));
  return Math.min(l.from + Math.max(col - 1, 0), l.to);
}

/** Without an end from the parser, the mark covers the word at `from` (one character at least). */
function wordEnd(state: EditorState, from: number): number {
  const line = state.doc.lineAt(from);
  // Bounded: a megabyte-long line must not make this scan the whole of it.
  const word = /^[\w.]{1,200}/.exec(line.text.slice(from - line.from, from - line.from + 200));
  return from + (word ? word[0].length : 1);
}

/** Parse errors as diagnostics of `state`, the document they were computed for. */
export function diagnostics(state: EditorState, errors: ParseError[]): Diagnostic[] {
  return errors.map((e) => {
    const from = offsetOf(state, e.line, e.col);
    const end =
      e.endLine !== undefined
        ? offsetOf(state, e.endLine, e.endCol ?? e.col)
        : wordEnd(state, from);
    const to = Math.min(Math.max(end, from + 1), state.doc.length);
    return {
      from: Math.min(from, to),
      to,
      severity: 'error',
      message: `line ${e.line}:${e.col}: ${e.message}`,
    };
  });
}
