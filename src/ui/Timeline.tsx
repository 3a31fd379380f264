import { useEffect, useMemo, useRef, useState } from 'react';
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

  // The window on screen, for the export of the current view (exportView.ts).
  const traceRef = useRef(trace);

  useEffect(() => {
    clickRef.current = onStepClick;
    traceRef.current = trace;
  }, [onStepClick, trace]);

  useEffect(() => {
    const node = host.current;
    if (!node) return;
    const c = createTimeline({
      node,
      onStepClick: (next) => clickRef.current(next),
      onViewportChange: (v) => noteViewport(traceRef.current, v.start, v.end),
    });
    controller.current = c;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      // Whole pixels only: sub-pixel jitter would otherwise re-layout in a loop.
      if (w !== undefined) setWidth(Math.floor(w));
    });
    observer.observe(node);
    return () => {
      observer.disconnect();
      c.destroy();
      controller.current = null;
    };
  }, []);

  useEffect(() => {
    if (width > 0) controller.current?.update({ trace, cursor, talk, width });
  }, [trace, cursor, talk, width]);

  const height = useMemo(() => traceTimelineHeight(trace, talk), [trace, talk]);
  return <div ref={host} className="timeline-host" style={{ width: '100%', height }} />;
}
