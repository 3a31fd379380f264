import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitWidths, renderGrid } from './grid';
import { wrapCode, wrapWords } from './story';
import { MIN_COLUMN, TEXT_WIDTH, traceToText } from './text';
import { canonical, everyVariant } from './testTraces';

/** The lines of the grid table in a text export (from the first border to the last). */
function tableLines(text: string): string[] {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.startsWith('+'));
  const last = lines.length - 1 - [...lines].reverse().findIndex((l) => l.startsWith('+'));
  return lines.slice(first, last + 1);
}

describe('text export', () => {
  it('keeps every two-CPU table under 80 columns, and every table rectangular', () => {
    for (const { id, trace } of everyVariant()) {
      const table = tableLines(traceToText(trace));
      const width = table[0]?.length ?? 0;
      expect(
        table.every((l) => l.length === width),
        id,
      ).toBe(true);
      if (trace.threads.length <= 2) expect(width, id).toBeLessThanOrEqual(TEXT_WIDTH);
    }
  });

  it('with four CPUs (ABA) gives each column at least MIN_COLUMN characters instead', () => {
    const table = tableLines(traceToText(canonical('aba')));
    const cols = (table[table.length - 1] ?? '').split('+').slice(1, -1);
    expect(cols).toHaveLength(4);
    for (const c of cols) expect(c.length - 2).toBeGreaterThanOrEqual(MIN_COLUMN);
  });

  it('shows each step of a short run in its CPU column, in schedule order', () => {
    const trace = canonical('hotplug-order');
    const table = tableLines(traceToText(trace)).join('\n');
    // P's cpus_read_lock comes before Q's, and each sits in its own column.
    const p = table.indexOf('| cpus_read_lock();');
    const q = table.indexOf('| cpus_read_lock();  /* held by the');
    expect(p).toBeGreaterThan(0);
    expect(q).toBeGreaterThan(p);
    expect(
      table
        .split('\n')
        .find((l) => l.includes('held by the'))
        ?.startsWith('|   '),
    ).toBe(true);
  });

  it('writes the violation below the table', () => {
    const text = traceToText(canonical('aba'));
    const after = text.slice(text.lastIndexOf('\n+'));
    expect(after).toContain('lost-dirty-log at step 67');
  });
});

describe('grid layout', () => {
  it('fitWidths: never wider than asked, never under the minimum, fits when it can', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 6 }),
        (natural) => {
          const w = fitWidths(natural, TEXT_WIDTH, MIN_COLUMN);
          natural.forEach((n, i) => {
            expect(w[i]).toBeLessThanOrEqual(n);
            expect(w[i]).toBeGreaterThanOrEqual(Math.min(n, MIN_COLUMN));
          });
          const total = (ws: number[]) => ws.reduce((a, b) => a + b, 0) + 3 * ws.length + 1;
          const floor = natural.map((n) => Math.min(n, MIN_COLUMN));
          if (total(floor) <= TEXT_WIDTH) expect(total(w)).toBeLessThanOrEqual(TEXT_WIDTH);
        },
      ),
    );
  });

  it('renderGrid: every line as wide as the borders', () => {
    const lines = renderGrid([5, 7], [{ span: ['spanning'] }, { cells: [['a', 'b'], ['c']] }]);
    expect(lines).toEqual([
      '+-----------------+',
      '| spanning        |',
      '+-------+---------+',
      '| a     | c       |',
      '| b     |         |',
      '+-------+---------+',
    ]);
  });

  it('wrapCode and wrapWords keep every character and fit the width', () => {
    const line = fc.stringMatching(/^[ a-z_(),;*&]{0,120}$/);
    fc.assert(
      fc.property(line, fc.integer({ min: 12, max: 60 }), (s, width) => {
        const squash = (x: string) => x.replace(/\s+/g, '');
        const code = wrapCode(s, width);
        expect(code.every((l) => l.length <= width)).toBe(true);
        expect(squash(code.join(''))).toBe(squash(s));
        const words = wrapWords(s, width);
        expect(words.every((l) => l.length <= width)).toBe(true);
        expect(squash(words.join(''))).toBe(squash(s));
      }),
    );
  });
});
