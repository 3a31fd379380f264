/**
 * The locking.rst table in plain monospace, for a mail or a commit message:
 * no markup, at most 79 columns where the content allows. When it cannot
 * (more than two CPUs with long lines: three columns of 28 characters take
 * 94), columns keep 28 characters each and the table is as wide as it must be;
 * code lines longer than their column wrap inside it with a deeper indent.
 */
import type { TraceData } from '../engine';
import { fitWidths, renderGrid, spanWidth, type GridRow } from './grid';
import { buildStory, wrapCode, wrapWords, type Story } from './story';
import { lockdepReports } from './lockdep';

export const TEXT_WIDTH = 79;
export const MIN_COLUMN = 28;

function cell(prose: string | undefined, code: readonly string[], width: number): string[] {
  const lines = prose ? [...wrapWords(prose, width), ''] : [];
  for (const c of code) lines.push(...wrapCode(c, width));
  return lines;
}

export function storyToText(story: Story): string {
  const natural = story.columns.map((head, t) => {
    const rows = story.rows.filter((r) => r.thread === t);
    const code = Math.max(0, ...rows.flatMap((r) => r.lines).map((l) => l.length));
    // Prose wraps anywhere; ask for no more room than the code or 30 columns.
    const prose = rows.some((r) => r.narration) ? 30 : 0;
    return Math.max(head.length, code, prose, 1);
  });
  const widths = fitWidths(natural, TEXT_WIDTH, MIN_COLUMN);
  const full = spanWidth(widths);
  const rows: GridRow[] = [
    { span: ['At the beginning:', '', ...story.initial.flatMap((l) => wrapCode(`  ${l}`, full))] },
    { cells: story.columns.map((c, t) => wrapWords(c, widths[t] ?? MIN_COLUMN)) },
    ...story.rows.map((r): GridRow => ({
      cells: widths.map((w, t) => (t === r.thread ? cell(r.narration, r.lines, w) : [])),
    })),
  ];
  const width = Math.max(TEXT_WIDTH, full + 4);
  return [
    ...wrapWords(story.title, width),
    '',
    ...renderGrid(widths, rows),
    '',
    ...story.outcome.flatMap((o) => [...wrapWords(o, width), '']),
  ]
    .join('\n')
    .trimEnd();
}

/** The table, followed for lock-order findings by lockdep's report of each cycle. */
export function traceToText(trace: TraceData): string {
  const reports = lockdepReports(trace);
  return [storyToText(buildStory(trace)), ...reports].join('\n\n');
}
