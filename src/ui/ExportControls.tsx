import { useEffect, useRef, useState } from 'react';
import { useApp, useAppStoreApi } from './storeContext';
import { selectCursor, selectTalk, selectTrace } from '../store/selectors';
import type * as Actions from './exportActions';
import './exportControls.css';
import './print.css';

type Scope = Actions.Scope;
const WIDTHS = [1920, 1280] as const;

// The exporters load on the first export (a dynamic import: its own chunk), not with the page.
let loading: Promise<typeof Actions> | null = null;
function exporters(): Promise<typeof Actions> {
  loading ??= import('./exportActions').catch((e: unknown) => {
    loading = null; // a later click tries again
    throw e;
  });
  return loading;
}

/** Runs one export and returns what to tell the user, also when its code failed to load. */
async function run(action: (a: typeof Actions) => string | Promise<string>): Promise<string> {
  try {
    return await action(await exporters());
  } catch (e) {
    return `Export failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * Exports for slides and commit messages: the timeline as SVG or PNG (the
 * current view or the whole run, at a slide's width), the Perfetto trace,
 * and the locking.rst-style table as RST or plain text on the clipboard.
 * In talk mode the panel hides and D (SVG) / Shift+D (PNG) download the
 * current view, so a speaker can grab a slide without leaving the stage.
 */
export function ExportControls() {
  const store = useAppStoreApi();
  const trace = useApp(selectTrace);
  const cursor = useApp(selectCursor);
  const talk = useApp(selectTalk);
  const [scope, setScope] = useState<Scope>('view');
  const [width, setWidth] = useState<number>(WIDTHS[0]);
  const [status, setStatus] = useState<string | null>(null);
  const [manual, setManual] = useState<string | null>(null);
  // The key handler reads the latest choices without re-subscribing on each change.
  const choice = useRef({ scope, width });
  useEffect(() => {
    choice.current = { scope, width };
  }, [scope, width]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
      // Typing in the scenario editor (contenteditable) is not a shortcut.
      if (target?.isContentEditable) return;
      if (e.altKey || e.ctrlKey || e.metaKey || (e.key !== 'd' && e.key !== 'D')) return;
      const s = store.getState();
      if (!s.trace) return;
      e.preventDefault();
      const { scope: sc, width: w } = choice.current;
      const { trace: t, cursor: at } = s;
      void run((a) => (e.shiftKey ? a.savePng(t, at, sc, w) : a.saveSvg(t, at, sc, w))).then(
        setStatus,
      );
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  if (!trace || talk) return null;

  const copy = async (what: string, make: (a: typeof Actions) => string) => {
    let text: string;
    try {
      text = make(await exporters());
    } catch (e) {
      setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      setManual(null);
      setStatus(`${what} copied`);
    } catch {
      // file:// pages and some browsers refuse the clipboard: show it to copy by hand.
      setManual(text);
      setStatus(`${what} below: the browser refused the clipboard`);
    }
  };

  return (
    <section className="export-controls" aria-label="Export" data-testid="export">
      <span className="export-label">Export</span>
      <select
        value={scope}
        onChange={(e) => setScope(e.target.value === 'run' ? 'run' : 'view')}
        aria-label="Picture of"
      >
        <option value="view">current view</option>
        <option value="run">whole run</option>
      </select>
      <select
        value={width}
        onChange={(e) => setWidth(Number(e.target.value))}
        aria-label="Picture width"
      >
        {WIDTHS.map((w) => (
          <option key={w} value={w}>
            {w} px wide
          </option>
        ))}
      </select>
      <button
        type="button"
        onClick={() => void run((a) => a.saveSvg(trace, cursor, scope, width)).then(setStatus)}
        title="D"
      >
        Download SVG
      </button>
      <button
        type="button"
        onClick={() => void run((a) => a.savePng(trace, cursor, scope, width)).then(setStatus)}
        title="Shift+D"
      >
        Download PNG
      </button>
      <button type="button" onClick={() => void run((a) => a.savePerfetto(trace)).then(setStatus)}>
        Download Perfetto trace
      </button>
      <button type="button" onClick={() => void copy('RST table', (a) => a.traceToRst(trace))}>
        Copy RST
      </button>
      <button type="button" onClick={() => void copy('Text table', (a) => a.traceToText(trace))}>
        Copy text
      </button>
      {status && (
        <output className="copied" data-testid="export-status">
          {status}
        </output>
      )}
      {manual !== null && (
        <textarea
          className="export-manual"
          readOnly
          value={manual}
          aria-label="Exported text"
          data-testid="export-text"
        />
      )}
    </section>
  );
}
