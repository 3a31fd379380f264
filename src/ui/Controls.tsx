import { useApp, useAppStoreApi } from './storeContext';
import {
  selectCursor,
  selectPlaying,
  selectSpeed,
  selectTalk,
  selectTrace,
} from '../store/selectors';
import { hashOf } from '../store/urlSync';
import { useState } from 'react';

const SPEEDS = [1, 2, 4, 8, 16];

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
  const [copied, setCopied] = useState<string | null>(null);

  const share = async () => {
    const hash = hashOf(store);
    if (!hash) return;
    const url = `${window.location.origin}${window.location.pathname}${hash}`;
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Link copied');
    } catch {
      setCopied(url);
    }
  };

  return (
    <div className="controls" role="toolbar" aria-label="Replay">
      <button
        type="button"
        onClick={a.toStart}
        disabled={cursor === 0}
        aria-label="Jump to start"
        title="Home"
      >
        |◀ Start
      </button>
      <button
        type="button"
        onClick={a.stepBack}
        disabled={cursor === 0}
        aria-label="Step back"
        title="Left arrow"
      >
        ◀ Back
      </button>
      <button
        type="button"
        onClick={a.togglePlay}
        aria-label={playing ? 'Pause' : 'Play'}
        title="Space"
        disabled={n === 0}
      >
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button
        type="button"
        onClick={a.stepForward}
        disabled={cursor >= n}
        aria-label="Step forward"
        title="Right arrow"
      >
        Next ▶
      </button>
      <button
        type="button"
        onClick={a.toEnd}
        disabled={cursor >= n}
        aria-label="Jump to end"
        title="End"
      >
        End ▶|
      </button>
      <span className="step-counter" data-testid="step-counter">
        step <strong>{cursor}</strong> / {n}
      </span>
      <label className="speed">
        speed{' '}
        <select
          value={speed}
          onChange={(e) => a.setSpeed(Number(e.target.value))}
          aria-label="Playback speed"
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s} steps/s
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => void share()} aria-label="Share link">
        Share link
      </button>
      {copied && (
        <output className="copied" data-testid="share-result">
          {copied}
        </output>
      )}
      <button
        type="button"
        onClick={() => a.setTalk(!talk)}
        aria-label={talk ? 'Leave talk mode' : 'Talk mode'}
        title="T"
      >
        {talk ? 'Leave talk mode' : 'Talk mode'}
      </button>
    </div>
  );
}
