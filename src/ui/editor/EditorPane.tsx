/**
 * The scenario editor (issue 11 §4): CodeMirror over scenario text, errors
 * marked at line and column as the user types, and Run / Explore on the text.
 * Loaded with a dynamic import when opened, so CodeMirror stays out of the
 * initial bundle; the parser runs in its own worker (lang.worker.ts), so
 * neither a megabyte of text nor deep nesting blocks typing.
 */
import { useEffect, useRef, useState } from 'react';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { EditorState } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter } from '@codemirror/lint';
import { MAX_TEXT, printScenario } from '../../lang';
import { download } from '../rasterise';
import { instantiate } from '../../scenarios/catalog';
import { createLangClient, type ParseChecker } from '../../worker/langClient';
import { useAppStoreApi } from '../storeContext';
import { BUDGET, MAX_BYTES } from '../ExplorePanel';
import { litmusHighlight, litmusLanguage } from './litmusLanguage';
import { diagnostics, initialText, save } from './editorText';

export default function EditorPane({ onClose }: { onClose: () => void }) {
  const store = useAppStoreApi();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const parser = useRef<ParseChecker | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const checker = createLangClient();
    parser.current = checker;
    const first = initialText(store.getState().text);
    // Text taken from a link is saved there; text kept from before keeps its flag.
    if (first.replaced) store.getState().setTextUnsaved(false);
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: first.text,
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          litmusLanguage,
          syntaxHighlighting(litmusHighlight),
          lintGutter(),
          // Debounced, and in the worker: CodeMirror drops a result whose text has changed since.
          linter(
            async (ed) => {
              const state = ed.state;
              const errors = await checker.check(state.doc.toString(), store.getState().kernel);
              return errors === null ? [] : diagnostics(state, errors);
            },
            { delay: 300 },
          ),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged) return;
            save(u.state.doc.toString());
            store.getState().setTextUnsaved(true);
          }),
          EditorView.contentAttributes.of({ 'aria-label': 'Scenario text' }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      checker.dispose();
      view.current = null;
      parser.current = null;
    };
  }, [store]);

  const text = () => view.current?.state.doc.toString() ?? '';

  /** Checks the text in the lang worker first, so a parse error is named beside the editor. */
  const checked = async (): Promise<string | null> => {
    const t = text();
    let errors = await parser.current?.check(t, store.getState().kernel);
    // Superseded by a check of other text (another kernel's): ask once more for this one.
    if (errors === null && t === text())
      errors = await parser.current?.check(t, store.getState().kernel);
    // Stale (the user typed on) or the editor closed: the next click checks the new text.
    if (!errors || t !== text()) return null;
    const e = errors[0];
    if (e) {
      setError(`Line ${e.line}:${e.col}: ${e.message}`);
      return null;
    }
    setError(null);
    return t;
  };

  const run = async (): Promise<boolean> => {
    const t = await checked();
    if (t === null) return false;
    await store.getState().open({ scenario: 'custom', text: t, from: 'user' });
    return store.getState().status === 'ready';
  };

  const explore = async () => {
    // The panel's default bounds: the herd7 verdict then names the budget it stopped at.
    if (await run()) await store.getState().explore({ budget: BUDGET, maxBytes: MAX_BYTES });
  };

  /** Puts `next` into the editor, asking first when it would replace other text. */
  const replaceText = (next: string, saved: boolean): void => {
    const v = view.current;
    if (!v) return;
    if (v.state.doc.toString() !== next && !window.confirm('Replace the text in the editor?'))
      return;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: next } });
    // A file's text is saved (in that file); a copy of a built-in is new text.
    store.getState().setTextUnsaved(!saved);
  };

  const openFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_TEXT) {
      setError(`${file.name} is ${file.size} bytes; scenario text is limited to ${MAX_TEXT}.`);
      return;
    }
    try {
      replaceText(await file.text(), true);
      setError(null);
    } catch (e) {
      setError(`Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const saveFile = () => {
    const t = text();
    const name = /^\s*C\s+([\w+.=-]+)/.exec(t)?.[1] ?? 'scenario';
    download(new Blob([t], { type: 'text/plain' }), `${name}.litmus`);
    store.getState().setTextUnsaved(false);
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
    replaceText(copy, false);
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
