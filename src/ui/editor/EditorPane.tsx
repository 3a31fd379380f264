/**
 * The scenario editor (issue 11 §4): CodeMirror over scenario text, errors
 * marked at line and column as the user types, and Run / Explore on the text.
 * Loaded with a dynamic import when opened, so CodeMirror and the parser stay
 * out of the initial bundle.
 */
import { useEffect, useRef, useState } from 'react';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { EditorState } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { MAX_TEXT, parseScenario, printScenario } from '../../lang';
import { download } from '../rasterise';
import { instantiate, parseKernel } from '../../scenarios/catalog';
import { useAppStoreApi } from '../storeContext';
import { litmusLanguage } from './litmusLanguage';

/** Where the text lives between visits, reloads and worker crashes. */
export const STORAGE_KEY = 'lockstep.editor.text';

const STARTER = `C my-test\n\n{}\n\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\n\nP1(int *x) {\n  int r0 = READ_ONCE(*x);\n}\n\nexists (1:r0=1)\n`;

function loadSaved(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? STARTER;
  } catch {
    return STARTER;
  }
}

function save(text: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, text);
  } catch {
    // Storage full or disabled: the text still lives in the editor.
  }
}

/**
 * What the editor opens with: the saved text, or the text the page shows (a
 * link's) when nothing was saved or the user agrees to replace the saved one.
 */
function initialText(shown: string | null): string {
  const saved = loadSaved();
  if (shown === null || shown === saved) return saved;
  if (
    saved !== STARTER &&
    !window.confirm('Replace the text saved in the editor with the scenario this page shows?')
  )
    return saved;
  save(shown);
  return shown;
}

/** Offset of a 1-based line and column, clamped to the document. */
function offsetOf(state: EditorState, line: number, col: number): number {
  const l = state.doc.line(Math.min(Math.max(line, 1), state.doc.lines));
  return Math.min(l.from + Math.max(col - 1, 0), l.to);
}

/** Without an end from the parser, the mark covers the word at `from` (one character at least). */
function wordEnd(state: EditorState, from: number): number {
  const line = state.doc.lineAt(from);
  const word = /^[\w.]+/.exec(line.text.slice(from - line.from));
  return from + (word ? word[0].length : 1);
}

function diagnostics(view: EditorView, kernel: string): Diagnostic[] {
  const r = parseScenario(view.state.doc.toString(), { kernel: parseKernel(kernel) });
  if (r.ok) return [];
  return r.errors.map((e) => {
    const from = offsetOf(view.state, e.line, e.col);
    const end =
      e.endLine !== undefined
        ? offsetOf(view.state, e.endLine, e.endCol ?? e.col)
        : wordEnd(view.state, from);
    const to = Math.min(Math.max(end, from + 1), view.state.doc.length);
    return {
      from: Math.min(from, to),
      to,
      severity: 'error',
      message: `line ${e.line}:${e.col}: ${e.message}`,
    };
  });
}

export default function EditorPane({ onClose }: { onClose: () => void }) {
  const store = useAppStoreApi();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initialText(store.getState().text),
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          litmusLanguage,
          syntaxHighlighting(defaultHighlightStyle),
          lintGutter(),
          // Debounced: the parse runs after a pause in typing, not per key.
          linter((ed) => diagnostics(ed, store.getState().kernel), { delay: 300 }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) save(u.state.doc.toString());
          }),
          EditorView.contentAttributes.of({ 'aria-label': 'Scenario text' }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
  }, [store]);

  const text = () => view.current?.state.doc.toString() ?? '';

  /** Checks the text here first, so a parse error is named without a worker round trip. */
  const checked = (): string | null => {
    const t = text();
    const r = parseScenario(t, { kernel: parseKernel(store.getState().kernel) });
    if (!r.ok) {
      const e = r.errors[0];
      setError(e ? `Line ${e.line}:${e.col}: ${e.message}` : 'The text does not parse.');
      return null;
    }
    setError(null);
    return t;
  };

  const run = async (): Promise<boolean> => {
    const t = checked();
    if (t === null) return false;
    await store.getState().open({ scenario: 'custom', text: t, from: 'user' });
    return store.getState().status === 'ready';
  };

  const explore = async () => {
    if (await run()) await store.getState().explore();
  };

  /** Puts `next` into the editor, asking first when it would replace other text. */
  const replaceText = (next: string): void => {
    const v = view.current;
    if (!v) return;
    if (v.state.doc.toString() !== next && !window.confirm('Replace the text in the editor?'))
      return;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: next } });
  };

  const openFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_TEXT) {
      setError(`${file.name} is ${file.size} bytes; scenario text is limited to ${MAX_TEXT}.`);
      return;
    }
    try {
      replaceText(await file.text());
      setError(null);
    } catch (e) {
      setError(`Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const saveFile = () => {
    const t = text();
    const name = /^\s*C\s+([\w+.=-]+)/.exec(t)?.[1] ?? 'scenario';
    download(new Blob([t], { type: 'text/plain' }), `${name}.litmus`);
  };

  const editCopy = () => {
    const s = store.getState();
    let copy: string;
    try {
      copy = s.text ?? printScenario(instantiate(s.scenario, s.variant, s.params, s.kernel));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return;
    }
    replaceText(copy);
  };

  return (
    <section
      className="editor-pane"
      data-testid="editor"
      aria-label="Scenario editor"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        void openFile(e.dataTransfer.files[0]);
      }}
    >
      <div className="editor-actions">
        <button type="button" data-testid="editor-run" onClick={() => void run()}>
          Run
        </button>
        <button type="button" data-testid="editor-explore" onClick={() => void explore()}>
          Explore
        </button>
        <button type="button" data-testid="editor-copy" onClick={editCopy}>
          Edit a copy of the current scenario
        </button>
        <label className="editor-open">
          Open .litmus file
          <input
            type="file"
            accept=".litmus,.txt,text/plain"
            data-testid="editor-open-file"
            onChange={(e) => {
              void openFile(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
        <button type="button" data-testid="editor-save" onClick={saveFile}>
          Save as .litmus
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {error && (
        <p className="editor-error" role="alert" data-testid="editor-error">
          {error}
        </p>
      )}
      <div className="editor-host" ref={host} />
    </section>
  );
}
