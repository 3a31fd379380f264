import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import { useApp } from '../storeContext';
import type { MapView } from '../../scenarios/mapLayout';
import { hitTest, moveFocus, type MapKey } from './geometry';
import { announce, describeState, type StateDescription } from './describe';
import { markBoxes, paintMap, sizeCanvas } from './paint';
import { MapLegend, MapList } from './MapList';

const KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']);

/**
 * Every distinct final state at once, as a treemap on a canvas (20,000 DOM
 * nodes would not stay fluid): kinds, then groups, then states sized by the
 * interleavings reaching them. Hover describes a state; a click, or Enter on
 * the keyboard focus, replays its witness at its violation. The list below
 * is the same map in words.
 */
export default function OutcomeMap({ view, reduced }: { view: MapView; reduced: boolean }) {
  const replayOutcome = useApp((s) => s.replayOutcome);
  const wrap = useRef<HTMLDivElement>(null);
  const base = useRef<HTMLCanvasElement>(null);
  const hoverMark = useRef<HTMLDivElement>(null);
  const focusMark = useRef<HTMLDivElement>(null);
  const scale = useRef(1);
  const marks = useRef({ hover: -1, focus: -1 });
  const [cssW, setCssW] = useState(0);
  const [painted, setPainted] = useState(false);
  const [tip, setTip] = useState<{ x: number; y: number; d: StateDescription } | null>(null);
  const [spoken, setSpoken] = useState('');

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setCssW(Math.floor(e?.contentRect.width ?? 0)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const cssH = Math.round((cssW * view.height) / view.width);
  useEffect(() => {
    if (!cssW || !base.current) return;
    scale.current = cssW / view.width;
    sizeCanvas(base.current, cssW, cssH);
    setPainted(false);
    const painter = paintMap(base.current, view, scale.current, () => setPainted(true));
    redraw();
    return () => painter.cancel();
    // redraw reads refs only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cssW, cssH, view]);

  /** Moves the two marks (plain style writes: no React render, no canvas repaint). */
  function redraw() {
    const place = (el: HTMLDivElement | null, p: number) => {
      if (!el) return;
      el.hidden = p < 0;
      if (p < 0) return;
      const { state } = markBoxes(view, scale.current, p);
      Object.assign(el.style, {
        left: `${state.left}px`,
        top: `${state.top}px`,
        width: `${state.width}px`,
        height: `${state.height}px`,
      });
    };
    place(hoverMark.current, marks.current.hover);
    place(focusMark.current, marks.current.focus);
  }

  const at = (e: MouseEvent<HTMLElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const s = scale.current;
    return { p: hitTest(view, (e.clientX - r.left) / s, (e.clientY - r.top) / s), r, e };
  };

  const onMove = (e: MouseEvent<HTMLDivElement>) => {
    const { p, r } = at(e);
    if (p === marks.current.hover) return;
    marks.current.hover = p;
    redraw();
    setTip(
      p < 0
        ? null
        : { x: e.clientX - r.left, y: e.clientY - r.top, d: describeState(view, p, reduced) },
    );
  };

  const onLeave = () => {
    marks.current.hover = -1;
    redraw();
    setTip(null);
  };

  const focusOn = (p: number) => {
    marks.current.focus = p;
    redraw();
    setSpoken(p < 0 ? '' : announce(view, p, reduced, view.count));
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (KEYS.has(e.key)) {
      e.preventDefault();
      focusOn(moveFocus(view, marks.current.focus, e.key as MapKey));
    } else if (e.key === 'Enter' && marks.current.focus >= 0) {
      e.preventDefault();
      void replayOutcome(marks.current.focus);
    }
  };

  return (
    <div className="outcome-map" data-testid="outcome-map">
      <MapLegend view={view} reduced={reduced} />
      <div className="outcome-map-frame" ref={wrap}>
        <div
          className="outcome-map-canvas"
          role="application"
          aria-roledescription="outcome map"
          aria-label={`Outcome map of ${view.count} final states. Arrow keys move between states, Enter replays the focused one.`}
          aria-describedby="outcome-map-spoken"
          tabIndex={0}
          data-testid="outcome-map-canvas"
          data-painted={painted ? 'true' : 'false'}
          style={{ height: cssH }}
          onPointerMove={onMove}
          onPointerLeave={onLeave}
          onClick={(e) => {
            const { p } = at(e);
            if (p >= 0) {
              focusOn(p);
              void replayOutcome(p);
            }
          }}
          onFocus={() => marks.current.focus < 0 && view.count > 0 && focusOn(0)}
          onKeyDown={onKey}
        >
          <canvas ref={base} aria-hidden="true" />
          <div ref={hoverMark} className="outcome-map-mark hover" hidden />
          <div ref={focusMark} className="outcome-map-mark focus" hidden />
          {tip && (
            <div
              className="outcome-map-tip"
              data-testid="outcome-map-tip"
              role="tooltip"
              style={{
                left: Math.min(tip.x + 14, Math.max(0, cssW - 320)),
                top: tip.y + 14,
              }}
            >
              <strong>{tip.d.title}</strong>, {tip.d.size}
              <div>Group: {tip.d.group}</div>
              {tip.d.differs.length > 0 && (
                <ul>
                  {tip.d.differs.map((t) => (
                    <li key={t}>{t}</li>
                  ))}
                </ul>
              )}
              <div className="outcome-map-hint">Click to replay its witness at the violation.</div>
            </div>
          )}
        </div>
      </div>
      <p
        id="outcome-map-spoken"
        className="outcome-map-spoken"
        aria-live="polite"
        data-testid="outcome-map-focus"
      >
        {spoken}
      </p>
      <MapList view={view} reduced={reduced} onReplay={replayOutcome} />
    </div>
  );
}
