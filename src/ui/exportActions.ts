/**
 * What the export controls do, in a module of its own: ExportControls loads
 * it (and the exporters in src/export) on the first export, so the page's
 * first paint does not wait for code that most visits never run.
 */
import type { TraceData } from '../engine';
import { exportFile, perfettoJson, timelineSvg, traceToRst, traceToText } from '../export';
import { download, svgToPng } from './rasterise';
import { viewportOf } from './exportView';

export type Scope = 'view' | 'run';

function picture(trace: TraceData, cursor: number, scope: Scope, width: number): string {
  const win = scope === 'view' ? viewportOf(trace) : null;
  return timelineSvg(trace, { width, cursor, ...(win ? { window: win } : {}) });
}

/** Downloads the picture as SVG; returns what to tell the user. */
export function saveSvg(t: TraceData, at: number, s: Scope, w: number): string {
  const f = exportFile(t, 'svg');
  download(new Blob([picture(t, at, s, w)], { type: f.type }), f.name);
  return `Saved ${f.name}`;
}

export async function savePng(t: TraceData, at: number, s: Scope, w: number): Promise<string> {
  const f = exportFile(t, 'png');
  try {
    download(await svgToPng(picture(t, at, s, w)), f.name);
    return `Saved ${f.name}`;
  } catch (e) {
    return `PNG failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

export function savePerfetto(t: TraceData): string {
  const f = exportFile(t, 'perfetto');
  download(new Blob([perfettoJson(t)], { type: f.type }), f.name);
  return `Saved ${f.name}: open it in ui.perfetto.dev`;
}

export { traceToRst, traceToText };
