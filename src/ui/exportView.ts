import type { TraceData } from '../engine';

/**
 * The step window the timeline shows, for "export the current view". The
 * timeline reports it on every pan or zoom (onViewportChange); it is kept
 * here rather than in the store because nothing else needs it and a store
 * update per zoom frame would re-render subscribers for nothing. It names
 * its trace, so a window left over from another scenario is never used.
 */
let shown: { trace: TraceData; start: number; end: number } | null = null;

export function noteViewport(trace: TraceData, start: number, end: number): void {
  shown = { trace, start, end };
}

/** The window of `trace` on screen, or null when the whole run is shown (or not known). */
export function viewportOf(trace: TraceData): readonly [number, number] | null {
  return shown && shown.trace === trace ? [shown.start, shown.end] : null;
}
