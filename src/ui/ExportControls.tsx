import { useEffect, useRef, useState } from 'react';
import { useApp, useAppStoreApi } from './storeContext';
import { selectCursor, selectTalk, selectTrace } from '../store/selectors';
import type { TraceData } from '../engine';
import { exportFile, perfettoJson, timelineSvg, traceToRst, traceToText } from '../export';
import { download, svgToPng } from './rasterise';
import { viewportOf } from './exportView';
import './exportControls.css';
import './print.css';

type Scope = 'view' | 'run';
const WIDTHS = [1920, 1280] as const;

function picture(trace: TraceData, cursor: number, scope: Scope, width: number): string {
  const win = scope === 'view' ? viewportOf(trace) : null;
  return timelineSvg(trace, { width, cursor, ...(win ? { window: win } : {}) });
}

/** Downloads the picture as SVG; returns what to tell the user. */
function saveSvg(t: TraceData, at: number, s: Scope, w: number): string {
  const f = exportFile(t, 'svg');
  download(new Blob([picture(t, at, s, w)], { type: f.type }), f.name);
  return `Saved ${f.name}`;
}

async function savePng(t: TraceData, at: number, s: Scope, w: number): Promise<string> {
  const f = exportFile(t, 'png');
  try {
    download(await svgToPng(picture(t, at, s, w)), f.name);
    return `Saved ${f.name}`;
  } catch (e) {
    return `PNG failed: ${e instanceof Error ? e.message : String(e)}`;
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
      if (e.shiftKey) void savePng(s.trace, s.cursor, sc, w).then(setStatus);
      else setStatus(saveSvg(s.trace, s.cursor, sc, w));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  if (!trace || talk) return null;

  const copy = async (what: string, text: string) => {
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
        onClick={() => setStatus(saveSvg(trace, cursor, scope, width))}
        title="D"
      >
        Download SVG
      </button>
      <button
        type="button"
        onClick={() => void savePng(trace, cursor, scope, width).then(setStatus)}
        title="Shift+D"
      >
        Download PNG
      </button>
      <button
        type="button"
        onClick={() => {
          const f = exportFile(trace, 'perfetto');
          download(new Blob([perfettoJson(trace)], { type: f.type }), f.name);
          setStatus(`Saved ${f.name}: open it in ui.perfetto.dev`);
        }}
      >
        Download Perfetto trace
      </button>
      <button type="button" onClick={() => void copy('RST table', traceToRst(trace))}>
        Copy RST
      </button>
      <button type="button" onClick={() => void copy('Text table', traceToText(trace))}>
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
