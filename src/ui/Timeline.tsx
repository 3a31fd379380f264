import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TraceData } from '../engine';
import { createTimeline, type TimelineController } from '../timeline/createTimeline';
import { traceTimelineHeight } from '../timeline/layout';
import { noteViewport } from './exportView';

export interface TimelineProps {
  trace: TraceData;
  /** Steps executed: 0 is the initial state, `trace.steps.length` the end. */
  cursor: number;
  talk: boolean;
  /** Receives the cursor that puts the clicked step just behind it. */
  onStepClick: (cursor: number) => void;
}

/**
 * React shell around the D3 timeline controller (as xyflow wraps XYPanZoom):
 * the controller is created once and receives props through `update`, so
 * React never re-renders the SVG and zooming never goes through React.
 */
export function Timeline({ trace, cursor, talk, onStepClick }: TimelineProps) {
  const host = useRef<HTMLDivElement>(null);
  const controller = useRef<TimelineController | null>(null);
  // The controller keeps the callback it was created with; route it through a
  // ref so a new onStepClick each render does not rebuild the timeline.
  const clickRef = useRef(onStepClick);
  const [width, setWidth] = useState(0);
  // Talk mode fills the free height: the host is sized by CSS and the drawing scales to it.
  const [free, setFree] = useState(0);

  // The window on screen, for the export of the current view (exportView.ts).
  const traceRef = useRef(trace);

  useEffect(() => {
    clickRef.current = onStepClick;
    traceRef.current = trace;
  }, [onStepClick, trace]);

  // A layout effect that measures the host at once: the first drawing goes into the
  // frame that first shows the page. Waiting for the ResizeObserver's first report
  // drew it a frame later, after a second style, layout and paint of the whole page
  // (bench/uiOpen.ts). The observer then follows resizes; an equal size re-renders nothing.
  useLayoutEffect(() => {
    const node = host.current;
    if (!node) return;
    const c = createTimeline({
      node,
      onStepClick: (next) => clickRef.current(next),
      onViewportChange: (v) => noteViewport(traceRef.current, v.start, v.end),
    });
    controller.current = c;
    // The host has no padding or border: its client box is the observer's content box.
    setWidth(Math.floor(node.clientWidth));
    setFree(Math.floor(node.clientHeight));
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      // Whole pixels only: sub-pixel jitter would otherwise re-layout in a loop.
      if (box) {
        setWidth(Math.floor(box.width));
        setFree(Math.floor(box.height));
      }
    });
    observer.observe(node);
    return () => {
      observer.disconnect();
      c.destroy();
      controller.current = null;
    };
  }, []);

  // Rounded to 8 px so that the scrollbar or a one-line verdict does not redraw everything.
  const fit = talk && free > 0 ? Math.floor(free / 8) * 8 : undefined;
  useEffect(() => {
    if (width > 0)
      controller.current?.update({ trace, cursor, talk, width, ...(fit && { fitHeight: fit }) });
  }, [trace, cursor, talk, width, fit]);

  const height = useMemo(() => traceTimelineHeight(trace, talk), [trace, talk]);
  return (
    // Focusable so that a keyboard user can reach the timeline (and scroll it when it overflows);
    // stepping keys work from here as from anywhere on the page.
    <div
      ref={host}
      className="timeline-host"
      data-testid="timeline-host"
      tabIndex={0}
      role="region"
      aria-label="Timeline, one lane per CPU (Left and Right arrows step)"
      style={talk ? undefined : { width: '100%', height }}
    />
  );
}
