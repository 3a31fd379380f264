import { useApp, useAppStoreApi } from './storeContext';
import {
  selectCursor,
  selectPlaying,
  selectSpeed,
  selectTalk,
  selectTrace,
} from '../store/selectors';
import { MAX_TEXT_LINK, fullHashOf, hashOf } from '../store/urlSync';
import { download } from './rasterise';
import { useState } from 'react';
import { rowAt } from './rows';

const SPEEDS = [1, 2, 4, 8, 16];

/** A glyph the screen reader skips, so a button's name is its words ("Next"), as shown. */
const Glyph = ({ g }: { g: string }) => <span aria-hidden="true">{g}</span>;

/** Replay: start, back, play/pause, forward, end, speed; share link; talk mode. */
export function Controls() {
  const store = useAppStoreApi();
  const trace = useApp(selectTrace);
  const cursor = useApp(selectCursor);
  const playing = useApp(selectPlaying);
  const speed = useApp(selectSpeed);
  const talk = useApp(selectTalk);
  const a = store.getState();
  const n = trace?.steps.length ?? 0;
  const rows = trace?.chapters ?? [];
  // What was copied, for which link: the note is stale as soon as the link changes.
  const [copied, setCopied] = useState<{ text: string; hash: string } | null>(null);
  // Controls re-renders on every cursor or trace change, which is every change of the link.
  const hash = hashOf(store);

  const share = async () => {
    const s = store.getState();
    if (!hash && s.text !== null) {
      const kb = Math.ceil((fullHashOf(store)?.length ?? 0) / 1024);
      setCopied({
        text: `This link would be ${kb} kB, over the ${MAX_TEXT_LINK / 1024} kB limit: share the scenario as a .litmus file instead.`,
        hash: 'too-long',
      });
      return;
    }
    if (!hash) return;
    const url = `${window.location.origin}${window.location.pathname}${hash}`;
    try {
      await navigator.clipboard.writeText(url);
      setCopied({ text: 'Link copied', hash });
      // The link holds the text now: replacing it no longer asks.
      if (s.text !== null) s.setTextUnsaved(false);
    } catch {
      setCopied({ text: url, hash });
    }
  };

  return (
    <div className="controls" role="toolbar" aria-label="Replay">
      <button
        type="button"
        onClick={a.toStart}
        disabled={cursor === 0}
        aria-keyshortcuts="Home"
        title="Home"
      >
        <Glyph g="|◀ " />
        Start
      </button>
      <button
        type="button"
        onClick={a.stepBack}
        disabled={cursor === 0}
        aria-keyshortcuts="ArrowLeft Shift+PageUp"
        title="Left arrow, Shift+PageUp"
      >
        <Glyph g="◀ " />
        Back
      </button>
      <button
        type="button"
        onClick={a.togglePlay}
        aria-keyshortcuts="Space"
        title="Space (when no button has focus)"
        disabled={n === 0}
      >
        <Glyph g={playing ? '❚❚ ' : '▶ '} />
        {playing ? 'Pause' : 'Play'}
      </button>
      <button
        type="button"
        onClick={a.stepForward}
        disabled={cursor >= n}
        aria-keyshortcuts="ArrowRight Shift+PageDown"
        title="Right arrow, Shift+PageDown"
      >
        Next
        <Glyph g=" ▶" />
      </button>
      <button
        type="button"
        onClick={a.toEnd}
        disabled={cursor >= n}
        aria-keyshortcuts="End"
        title="End"
      >
        End
        <Glyph g=" ▶|" />
      </button>
      <span className="step-counter" data-testid="step-counter">
        step <strong>{cursor}</strong> / {n}
      </span>
      {rows.length > 0 && (
        <span
          className="row-counter"
          data-testid="row-counter"
          title="PageDown / PageUp: next / previous row"
        >
          row <strong>{rowAt(rows, cursor)}</strong> of {rows.length}
        </span>
      )}
      <label className="speed">
        speed{' '}
        <select value={speed} onChange={(e) => a.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s} steps/s
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => void share()}>
        Share link
      </button>
      {copied && copied.hash === (hash ?? 'too-long') && (
        <output className="copied" data-testid="share-result">
          {copied.text}
        </output>
      )}
      {copied && !hash && copied.hash === 'too-long' && a.text !== null && (
        <button
          type="button"
          data-testid="share-download"
          onClick={() =>
            download(new Blob([a.text ?? ''], { type: 'text/plain' }), 'scenario.litmus')
          }
        >
          Download .litmus
        </button>
      )}
      <button type="button" onClick={() => a.setTalk(!talk)} aria-keyshortcuts="T" title="T">
        {talk ? 'Leave talk mode' : 'Talk mode'}
      </button>
    </div>
  );
}
