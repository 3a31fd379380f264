/**
 * The run as a reStructuredText grid table, the way locking.rst draws its
 * races: "At the beginning::" above, one column per CPU, each cell a
 * literal block of the code that CPU ran, OOPS!!! where it goes wrong, and
 * the violation in prose below. The plain-text form (text.ts) is the same
 * table without the markup.
 */
import type { TraceData } from '../engine';
import { fitWidths, renderGrid, type GridRow } from './grid';
import { buildStory, wrapCode, wrapWords, type Story } from './story';

/** Code lines wider than this (or than their column) wrap inside their literal block. */
const MAX_CODE = 64;
/** Narration wraps to at least this width, so that a column of short code stays readable. */
const MIN_PROSE = 30;

/**
 * Escapes what docutils would read as inline markup or as the start of a
 * list in prose taken from narration or messages.
 */
export function rstEscape(text: string): string {
  const inline = text.replace(/([\\*`|_[\]])/g, '\\$1');
  // "1. CPU 0: ..." would become an enumerated list, "- x" a bullet list.
  return inline.replace(/^(\s*)(\d+|[A-Za-z#])([.)]\s)/, '$1$2\\$3').replace(/^([-+*]\s)/, '\\$1');
}

/** A cell: optional prose ending in `::`, then the code as an indented literal block. */
function cell(prose: string | undefined, code: readonly string[], width: number): string[] {
  const lines = prose ? wrapWords(rstEscape(prose), width - 3) : [];
  if (code.length === 0) return lines;
  if (lines.length === 0) lines.push('::');
  // "text::" renders as "text:"; after a full stop " ::" vanishes instead of doubling it.
  else lines[lines.length - 1] += /[.:;!?]$/.test(lines[lines.length - 1] ?? '') ? ' ::' : '::';
  lines.push('');
  for (const c of code) lines.push(...wrapCode(`  ${c}`, width));
  return lines;
}

/**
 * Columns as wide as their code, narrowed (widest first) to keep the table
 * within 79 columns as the kernel's documents are, but never under
 * MIN_PROSE: with three or more CPUs the table grows wider instead.
 */
function columnWidths(story: Story): number[] {
  const natural = story.columns.map((head, t) => {
    const code = story.rows.filter((r) => r.thread === t).flatMap((r) => r.lines);
    const longest = Math.min(MAX_CODE, Math.max(0, ...code.map((l) => l.length + 2)));
    return Math.max(longest, MIN_PROSE, head.length);
  });
  return fitWidths(natural, 79, MIN_PROSE);
}

export function storyToRst(story: Story): string {
  const widths = columnWidths(story);
  const total = widths.reduce((a, w) => a + w, 0) + 3 * (widths.length - 1);
  const rows: GridRow[] = [
    { span: cell('At the beginning', story.initial, total) },
    { cells: story.columns.map((c, t) => wrapWords(rstEscape(c), widths[t] ?? MIN_PROSE)) },
    ...story.rows.map((r): GridRow => ({
      cells: widths.map((w, t) => (t === r.thread ? cell(r.narration, r.lines, w) : [])),
    })),
  ];
  const para = (text: string) => wrapWords(rstEscape(text), 78).join('\n');
  return [
    para(story.title),
    '',
    ...renderGrid(widths, rows),
    '',
    ...story.outcome.flatMap((o) => [para(o), '']),
  ]
    .join('\n')
    .trimEnd();
}

export function traceToRst(trace: TraceData): string {
  return storyToRst(buildStory(trace));
}
