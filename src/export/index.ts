/**
 * The exports of a run, for talks and commit messages: what `run --format`
 * writes and what the app's export controls download or copy. Every one is
 * a pure function of a trace, so the CLI and the app produce the same bytes.
 */
import type { TraceData } from '../engine';
import type { ExportFormat } from './formats';
import { traceToPerfetto } from './perfetto';
import { traceToRst } from './rst';
import { timelineSvg, type SvgOptions } from './svg';
import { traceToText } from './text';

/** One event per line: a diff of two traces then shows which events changed. */
export function perfettoJson(trace: TraceData): string {
  const events = traceToPerfetto(trace).traceEvents.map((e) => JSON.stringify(e));
  return `{"traceEvents":[\n${events.join(',\n')}\n]}`;
}

export function exportTrace(trace: TraceData, format: ExportFormat, svg: SvgOptions = {}): string {
  switch (format) {
    case 'svg':
      return timelineSvg(trace, svg);
    case 'rst':
      return traceToRst(trace);
    case 'text':
      return traceToText(trace);
    case 'perfetto':
      return perfettoJson(trace);
  }
}

/** File name and MIME type of a download. */
export function exportFile(trace: TraceData, format: 'svg' | 'perfetto' | 'png') {
  const base = `lockstep-${trace.scenario}-${trace.variant}`.replace(/[^\w.-]+/g, '_');
  if (format === 'svg') return { name: `${base}.svg`, type: 'image/svg+xml' };
  if (format === 'png') return { name: `${base}.png`, type: 'image/png' };
  return { name: `${base}.perfetto.json`, type: 'application/json' };
}

export { timelineSvg, type SvgOptions } from './svg';
export { traceToRst } from './rst';
export { traceToText } from './text';
export { traceToPerfetto } from './perfetto';
export { EXPORT_FORMATS, isExportFormat, type ExportFormat } from './formats';
